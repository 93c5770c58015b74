"""A throw-away production-like site for CI: a fresh database with the demo data, static files
collected with the manifest storage, and gunicorn serving it on a loopback port with DEBUG off.

Used by `.ci/production_smoke.py` and `.ci/api_fuzz.py`. The demo loader refuses to run with DEBUG
off (it must never touch a real system), so the data is loaded with DEBUG=1 into the same database
the production-settings server then reads.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")


# Requests arrive as from the TLS-terminating proxy (BEHIND_PROXY=1): no redirect to https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def production_env(workdir: Path, *, database_url: str = "") -> dict[str, str]:
    """Production settings as the README lists them: DEBUG off, a secret key, allowed hosts, behind
    a TLS-terminating proxy (the requests carry X-Forwarded-Proto: https)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GRASSROOTS_TESTING"))}
    env.pop("TEST_DATABASE_URL", None)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "ci-" + os.urandom(24).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://localhost",
            "BEHIND_PROXY": "1",
            "GRASSROOTS_VAR_DIR": str(workdir / "var"),
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    else:
        env.pop("DATABASE_URL", None)
    (workdir / "var").mkdir(parents=True, exist_ok=True)
    return env


def manage(env: dict[str, str], *args: str, debug: bool = False, timeout: int = 600) -> str:
    run_env = dict(env, DEBUG="1", OTP_REQUIRED="1") if debug else env
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [PYTHON, "manage.py", *args], cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        sys.stderr.write(result.stderr[-4000:])
        raise SystemExit(f"manage.py {' '.join(args)} failed ({result.returncode})")
    return result.stdout


def prepare(env: dict[str, str]) -> None:
    """Migrate, load the demo data, and collect the static files with production settings."""
    log("migrate")
    manage(env, "migrate", "--noinput")
    log("load_demo")
    manage(env, "load_demo", "--quiet-logins", debug=True, timeout=900)
    log("collectstatic (DEBUG=0, manifest storage)")
    manage(env, "collectstatic", "--noinput")


def query(env: dict[str, str], code: str) -> object:
    """Run Python in the site's Django (demo settings on the same database); `code` prints JSON."""
    return json.loads(manage(env, "shell", "-c", code, debug=True).strip().splitlines()[-1])


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, boot_timeout: float = 60) -> Iterator[str]:
    """Serve the site with gunicorn on a free loopback port; yields the base URL."""
    port = free_port()
    log_file = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115 - read after the server stops
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn with fixed arguments
        [GUNICORN, "grassroots.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + boot_timeout
        while True:
            if process.poll() is not None:
                raise SystemExit("gunicorn exited at start:\n" + Path(log_file.name).read_text()[-4000:])
            try:
                connection = http.client.HTTPConnection(f"127.0.0.1:{port}", timeout=5)
                connection.request("GET", "/healthz", headers=PROXY_HEADERS)
                connection.getresponse().read()  # answering, whatever the status: the callers judge it
                connection.close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not answer within the boot timeout") from None
                time.sleep(0.5)
        log(f"gunicorn serving {base} (pid {process.pid})")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        server_log = Path(log_file.name).read_text()
        if "Traceback" in server_log or '"level": "ERROR"' in server_log:
            print("--- gunicorn log (errors) ---")
            print(server_log[-6000:])
        Path(log_file.name).unlink(missing_ok=True)
