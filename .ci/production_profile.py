"""The production profile on one machine: PostgreSQL, Redis (cache and Celery broker), S3-compatible
storage (moto's S3 server, installed from the lock file), gunicorn, a Celery worker and Celery beat.

    .venv/bin/python .ci/production_profile.py site          # make prod-local: the whole site, until Ctrl-C
    .venv/bin/python .ci/production_profile.py run -- CMD…   # CMD with S3 and Redis configured (CI's test step)

`site` makes (or reuses) the database PROD_DATABASE (default `grassroots_local` on the local server),
migrates it, loads the demo data on first use, collects the static files, and serves the site on
http://127.0.0.1:$PORT with DEBUG off; its uploads go to the bucket on the local S3 server (data kept
in var/prod-local/s3 while it runs: moto keeps objects in memory, so they last as long as the server).

`run` starts an S3 server on a free loopback port with an empty bucket, points the settings at it
and at Redis (REDIS_URL, database 14 unless given) and runs CMD. CELERY_BROKER_URL stays empty for
CMD: the test suite runs its jobs in-process, and the tests marked `production` start a real worker
on REDIS_URL themselves. The server is stopped when CMD ends, and CMD's exit code is returned.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python")
REDIS_DEFAULT = "redis://127.0.0.1:6379/14"
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
# moto accepts any credentials; a real S3 or MinIO is given its own through the same variables.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "grassroots-local", "AWS_SECRET_ACCESS_KEY": "grassroots-local-secret", "S3_REGION": "us-east-1"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{what} exited at start ({process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not listen on 127.0.0.1:{port} within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes], name: str) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            log(f"{name} did not stop in 20 s: killed")
            process.kill()
            process.wait()


@contextmanager
def s3_server(bucket: str, port: int = 0) -> Iterator[dict[str, str]]:
    """moto's S3 server on a loopback port with `bucket` created; yields the settings' variables."""
    import boto3

    port = port or free_port()
    process = subprocess.Popen(  # noqa: S603 - the lock file's moto_server, fixed arguments
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_for_port(port, process, "moto_server")
        env = {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}", **S3_CREDENTIALS}
        client = boto3.client(
            "s3",
            endpoint_url=env["S3_ENDPOINT_URL"],
            region_name=env["S3_REGION"],
            aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        )
        client.create_bucket(Bucket=bucket)
        log(f"S3 (moto) on {env['S3_ENDPOINT_URL']}, bucket {bucket} (pid {process.pid})")
        yield env
    finally:
        _stop(process, "moto_server")


def _redis_up(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        raise SystemExit(f"Redis at {url} does not answer ({exc}); start it (see .ci/run)") from None


def run(command: list[str]) -> int:
    redis_url = os.environ.get("REDIS_URL") or REDIS_DEFAULT
    _redis_up(redis_url)
    with s3_server("grassroots-test") as s3:
        env = dict(os.environ, **s3, REDIS_URL=redis_url, CELERY_BROKER_URL="")
        log(f"Redis cache on {redis_url}; running: {' '.join(command)}")
        return subprocess.call(command, env=env)  # noqa: S603 - the caller's own command


def _manage(env: dict[str, str], *args: str, debug: bool = False) -> None:
    run_env = dict(env, DEBUG="1", OTP_REQUIRED="1") if debug else env
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=run_env, check=True)  # noqa: S603 - our own manage.py


def _database(name: str) -> tuple[str, bool]:
    """The URL of database `name` on the local server, created if missing; True when created."""
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_SERVER}/{name}", not exists


def site(port: int, s3_port: int, workers: int) -> int:
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    _redis_up(redis_url)
    database_url, created = _database(os.environ.get("PROD_DATABASE", "grassroots_local"))
    var = ROOT / "var" / "prod-local"
    (var / "media").mkdir(parents=True, exist_ok=True)
    metrics_dir = var / "metrics"
    with ExitStack() as stack:
        s3 = stack.enter_context(s3_server("grassroots-local", s3_port))
        env = {
            **os.environ,
            **s3,
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "prod-local-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": f"http://127.0.0.1:{port}",
            # Plain HTTP on loopback: no TLS proxy in front of this one-machine profile.
            "SECURE": "0",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or redis_url,
            "STATIC_ROOT": str(var / "static"),
            "GRASSROOTS_VAR_DIR": str(var),
            "EMAIL_BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"),
            "METRICS_ALLOWED_ADDRESSES": "127.0.0.1",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        }
        log(f"database {database_url}{' (new)' if created else ''}: migrate")
        _manage(env, "migrate", "--noinput")
        if created:
            log("load_demo (first start of this database)")
            _manage(env, "load_demo", debug=True)
        _manage(env, "collectstatic", "--noinput", "-v", "0")
        shutil.rmtree(metrics_dir, ignore_errors=True)  # emptied before each start
        metrics_dir.mkdir()
        processes = {
            "gunicorn": [str(BIN / "gunicorn"), "grassroots.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"],
            "celery worker": [str(BIN / "celery"), "-A", "grassroots", "worker", "-l", "info", "-c", "2"],
            "celery beat": [str(BIN / "celery"), "-A", "grassroots", "beat", "-l", "info", "-s", str(var / "celerybeat-schedule")],
        }
        running: dict[str, subprocess.Popen[bytes]] = {}
        for name, argv in processes.items():
            running[name] = subprocess.Popen(argv, cwd=ROOT, env=env)  # noqa: S603 - our own programs
            stack.callback(_stop, running[name], name)
        _wait_for_port(port, running["gunicorn"], "gunicorn", timeout=60)
        log(f"serving http://127.0.0.1:{port}/ (readiness: /readyz, metrics: /metrics); Ctrl-C stops everything")
        try:
            while all(p.poll() is None for p in running.values()):
                time.sleep(1)
        except KeyboardInterrupt:
            return 0
        dead = [name for name, p in running.items() if p.poll() is not None]
        log(f"stopped: {', '.join(dead)} exited")
        return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    site_parser = sub.add_parser("site", help="the whole site on this machine, until Ctrl-C")
    site_parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    site_parser.add_argument("--s3-port", type=int, default=int(os.environ.get("S3_PORT", "9100")))
    site_parser.add_argument("--workers", type=int, default=2)
    run_parser = sub.add_parser("run", help="run a command with S3 and Redis configured")
    run_parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.mode == "site":
        return site(args.port, args.s3_port, args.workers)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("run needs a command after --")
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
