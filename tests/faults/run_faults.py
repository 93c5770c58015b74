"""Fault run (not part of the test suite): reports keep arriving while the processes that serve and
deliver them are killed, and the database is restarted once. Nothing acknowledged may be lost,
nothing may be stored twice, and every new report's notification reaches the handler's mailbox
exactly once as the recipient sees it (one message per Message-ID).

    .venv/bin/python tests/faults/run_faults.py [--seconds 90] [--clients 4]

What runs, all on this machine (loopback only):
- a PostgreSQL cluster of its own, `faults` on port 5433 (made with pg_createcluster on first use,
  trust auth on loopback), so restarting it disturbs no other database on the machine; a fresh
  database in it, migrated, with the 2025 units of Bắc Ninh and one commune officer;
- S3 (moto's server), Redis as broker (database 13), gunicorn with 2 workers, DEBUG off;
- two Celery workers and Celery beat (the outbox is also swept every minute by beat);
- an SMTP server in this process: the officer's mailbox.

The clients send JSON reports (POST /api/v1/feedback/cases), each with its own Idempotency-Key,
and retry the same key and body after any failure (connection refused or reset, 5xx, timeout)
until they get 200/201 with a tracking code: that is an acknowledgement. Meanwhile the chaos
thread SIGKILLs a gunicorn worker every few seconds (the master starts a new one), SIGKILLs a
Celery worker every ~10 s (started again at once), and restarts PostgreSQL once, mid-run.

Afterwards, with the load stopped, the workers drain the outbox; then the counts:
acknowledged, stored, lost (acknowledged, not stored), duplicated (one key stored twice),
tracking codes that do not match their case, notifications in the officer's view per case,
and raw SMTP deliveries (at-least-once: a worker killed between the SMTP server's "250" and the
commit sends again, under the same Message-ID). Exit code 0 only when lost = duplicated =
mismatched = 0 and every stored case is in the view exactly once.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / ".ci")]

from production_profile import s3_server  # noqa: E402

from tests.production.mailbox import Mailbox  # noqa: E402
from tests.production.processes import BIN, Worker, service_env  # noqa: E402

PG_VERSION = sorted(os.listdir("/etc/postgresql"))[-1] if os.path.isdir("/etc/postgresql") else "15"
CLUSTER, PG_PORT = "faults", 5433
BROKER = "redis://127.0.0.1:6379/13"
WORK = Path(tempfile.mkdtemp(prefix="grassroots-faults-"))
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def sh(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, check=check)


# --- The database cluster of its own ------------------------------------------------------------
def ensure_cluster() -> None:
    clusters = sh("pg_lsclusters", "--no-header").stdout
    if not any(line.split()[:2] == [PG_VERSION, CLUSTER] for line in clusters.splitlines()):
        log(f"pg_createcluster {PG_VERSION} {CLUSTER} -p {PG_PORT} (trust on loopback)")
        sh("pg_createcluster", PG_VERSION, CLUSTER, "-p", str(PG_PORT), "--", "-A", "trust")
    if "online" not in sh("pg_lsclusters", PG_VERSION, CLUSTER, "--no-header").stdout:
        sh("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "start")
    wait_for_postgres()


def wait_for_postgres(timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while sh("pg_isready", "-q", "-h", "127.0.0.1", "-p", str(PG_PORT), check=False).returncode != 0:
        if time.monotonic() > deadline:
            raise SystemExit(f"PostgreSQL on port {PG_PORT} not ready within {timeout:.0f} s")
        time.sleep(0.3)


def restart_postgres() -> float:
    started = time.monotonic()
    sh("pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, CLUSTER, "restart", "-m", "fast")
    wait_for_postgres()
    return time.monotonic() - started


def fresh_database() -> str:
    name = f"faults_{os.getpid()}"
    sh("psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc", f'CREATE DATABASE "{name}"')
    return name


# --- The clients ------------------------------------------------------------------------------
@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    acknowledged: dict[str, str] = field(default_factory=dict)  # idempotency key → tracking code
    given_up: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    attempts: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    replays: int = 0  # acknowledged with 200 "created": false (the report was stored by an earlier try)


def submit_until_acknowledged(port: int, commune: str, key: str, tally: Tally, deadline: float) -> None:
    body = json.dumps(
        {
            "category": "facilities",
            "commune_code": commune,
            "description": f"Đường liên thôn bị sụt lún, cần sửa gấp (phiếu {key}).",
        }
    )
    delay = 0.05
    for _attempt in range(400):
        if time.monotonic() > deadline:
            break
        with tally.lock:
            tally.attempts += 1
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            connection.request(
                "POST",
                "/api/v1/feedback/cases",
                body=body.encode(),
                headers={**PROXY_HEADERS, "Content-Type": "application/json", "Idempotency-Key": key},
            )
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            if response.status in (200, 201):
                answer = json.loads(payload)
                with tally.lock:
                    tally.acknowledged[key] = answer["tracking_code"]
                    tally.replays += response.status == 200
                return
            reason = f"HTTP {response.status}"
            if response.status < 500 and response.status != 429:
                with tally.lock:  # refused for good: counted and shown, never retried
                    tally.refused.append(f"{response.status} {payload[:300]!r}")
                return
        except (OSError, http.client.HTTPException) as exc:
            reason = type(exc).__name__
        with tally.lock:
            tally.failures[reason] += 1
        time.sleep(delay)
        delay = min(delay * 1.5, 1.0)
    with tally.lock:
        tally.given_up.append(key)


def client_loop(port: int, commune: str, tally: Tally, stop: threading.Event, retry_deadline: float) -> None:
    while not stop.is_set() and time.monotonic() < retry_deadline:
        submit_until_acknowledged(port, commune, str(uuid.uuid4()), tally, retry_deadline)


# --- The processes and the chaos ----------------------------------------------------------------
class Gunicorn:
    def __init__(self, env: dict[str, str], port: int) -> None:
        self.log = open(WORK / "gunicorn.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            # --preload: a worker killed is replaced by a fork of the loaded app, at once.
            [str(BIN / "gunicorn"), "grassroots.wsgi", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "120", "--preload"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def workers(self) -> list[int]:
        out = sh("pgrep", "-P", str(self.process.pid), check=False).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def chaos(gunicorn: Gunicorn, workers: list[Worker], stop: threading.Event, seconds: float, events: Counter[str]) -> None:
    started = time.monotonic()
    restarted_db = False
    next_celery_kill = started + 10
    while not stop.wait(random.uniform(2.0, 4.0)):
        now = time.monotonic()
        pids = gunicorn.workers()
        if pids:
            os.kill(random.choice(pids), signal.SIGKILL)
            events["gunicorn worker killed (SIGKILL)"] += 1
        if now >= next_celery_kill:
            victim = workers[events["celery worker killed (SIGKILL)"] % len(workers)]
            victim.kill()
            events["celery worker killed (SIGKILL)"] += 1
            victim.start()
            next_celery_kill = now + 10
        if not restarted_db and now - started > seconds / 2:
            log("restarting PostgreSQL")
            took = restart_postgres()
            events["PostgreSQL restarted"] += 1
            log(f"PostgreSQL back after {took:.1f} s")
            restarted_db = True


def wait_http(port: int, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/readyz", headers=PROXY_HEADERS)
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn not ready")


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
    return result.stdout


SETUP = """
import json
from accounts.models import Role, RoleAssignment, User
from units.models import Unit
commune = Unit.objects.filter(edition="2025", kind="commune", parent__code="24").order_by("code").first()
user = User.objects.filter(username="canbo.xa").first() or User.objects.create_user(
    username="canbo.xa", password="faults-" + "x" * 12, email="canbo.xa@example.invalid", last_name="Nguyễn", first_name="Văn A")
RoleAssignment.objects.get_or_create(user=user, unit=commune, role=Role.COMMUNE_OFFICER)
print(json.dumps({"commune": commune.code, "email": user.email}))
"""

CHECK = """
import json, os
from collections import Counter
from core.crypto import digest
from core.models import OutboxMessage
from feedback.models import Case
acked = json.load(open(os.environ["FAULTS_ACKNOWLEDGED"]))
cases = [{"description": c.description, "code_digest": c.code_digest, "label": c.register_label} for c in Case.objects.all()]
per_key = Counter()
by_key = {}
for case in cases:
    key = case["description"].rsplit("(phiếu ", 1)[-1].rstrip(").")
    per_key[key] += 1
    by_key[key] = case
lost = [k for k in acked if per_key[k] == 0]
duplicated = {k: n for k, n in per_key.items() if n > 1}
mismatched = [k for k, code in acked.items() if k in by_key and by_key[k]["code_digest"] != digest(code, purpose="tracking")]
outbox = Counter(OutboxMessage.objects.values_list("status", flat=True))
print(json.dumps({
    "stored": len(cases), "lost": lost, "duplicated": duplicated, "mismatched": mismatched,
    "stored_not_acknowledged": sorted(set(per_key) - set(acked)),
    "outbox": dict(outbox),
    "labels": [c["label"] for c in cases],
}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=90, help="how long the clients send new reports")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--database", help="reuse this migrated database of the faults cluster (its reports and outbox are emptied first)")
    parser.add_argument("--drain-seconds", type=float, default=180, help="how long to wait for the outbox to empty afterwards")
    args = parser.parse_args()
    started = time.monotonic()
    ensure_cluster()
    database = args.database or fresh_database()
    from production_profile import free_port

    port = free_port()
    with Mailbox() as mailbox, s3_server("grassroots-faults") as s3:
        env = service_env(
            database=f"postgres://postgres@127.0.0.1:{PG_PORT}/{database}",
            broker=BROKER,
            mail_port=mailbox.port,
            **s3,
            BEHIND_PROXY="1",
            FEEDBACK_SUBMIT_BURST="1000000",
            FEEDBACK_SUBMIT_PER_HOUR="1000000",
            GRASSROOTS_VAR_DIR=str(WORK / "var"),
        )
        sh(str(BIN / "python"), "-c", f"import redis; redis.Redis.from_url('{BROKER}').flushdb()")
        if args.database:
            log(f"database {database} on port {PG_PORT}: reports and outbox emptied")
            sql = "TRUNCATE feedback_case, core_outboxmessage, core_ratebucket CASCADE"
            sh("psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc", sql, database)
        else:
            log(f"database {database} on port {PG_PORT}: migrate, import the 2025 units of province 24")
            manage(env, "migrate", "--noinput")
            manage(env, "import_units", "--province", "24", "--structure", "2025")
        setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        gunicorn = Gunicorn(env, port)
        workers = [Worker(env, name=f"faults{i}") for i in range(2)]
        starting = [threading.Thread(target=w.start) for w in workers]
        for thread in starting:
            thread.start()
        for thread in starting:
            thread.join()
        beat_log = open(WORK / "beat.log", "wb")  # noqa: SIM115
        beat = subprocess.Popen(
            [str(BIN / "celery"), "-A", "grassroots", "beat", "-l", "info", "-s", str(WORK / "beat-schedule")],
            cwd=ROOT, env=env, stdout=beat_log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_http(port)
            log(f"site on 127.0.0.1:{port}, 2 Celery workers, beat; {args.clients} clients for {args.seconds:.0f} s with chaos")
            tally, events = Tally(), Counter[str]()
            stop_clients, stop_chaos = threading.Event(), threading.Event()
            retry_deadline = time.monotonic() + args.seconds + 120
            client_args = (port, setup["commune"], tally, stop_clients, retry_deadline)
            clients = [threading.Thread(target=client_loop, args=client_args) for _ in range(args.clients)]
            chaos_thread = threading.Thread(target=chaos, args=(gunicorn, workers, stop_chaos, args.seconds, events))
            load_started = time.monotonic()
            for thread in [*clients, chaos_thread]:
                thread.start()
            time.sleep(args.seconds)
            stop_chaos.set()
            chaos_thread.join()
            stop_clients.set()
            for thread in clients:
                thread.join()
            load_seconds = time.monotonic() - load_started
            log(f"load over after {load_seconds:.0f} s: {len(tally.acknowledged)} acknowledged; draining the outbox")
            (WORK / "acknowledged.json").write_text(json.dumps(tally.acknowledged))
            drain_deadline = time.monotonic() + args.drain_seconds
            while True:
                check_env = dict(env, FAULTS_ACKNOWLEDGED=str(WORK / "acknowledged.json"))
                result = json.loads(manage(check_env, "shell", "-c", CHECK).strip().splitlines()[-1])
                if result["outbox"].get("pending", 0) == 0 or time.monotonic() > drain_deadline:
                    break
                time.sleep(5)
            time.sleep(2)  # a delivery finishing its SMTP conversation
        finally:
            beat.terminate()
            try:
                beat.wait(timeout=60)
            except subprocess.TimeoutExpired:
                beat.kill()
            beat_log.close()
            for worker in workers:
                worker.stop()
            gunicorn.stop()
    view = mailbox.view(setup["email"])
    new_report_mails = [m for m in view if str(m["Subject"]).startswith("Phản ánh mới số")]
    per_case = Counter(str(m["Subject"]).removeprefix("Phản ánh mới số ").strip() for m in new_report_mails)
    raw = [d for d in mailbox.all() if setup["email"] in d.recipients]
    labels_stored = Counter(result["labels"])
    missing_mail = len(set(labels_stored) - set(per_case))
    repeated_in_view = {k: n for k, n in per_case.items() if n > 1}
    figures = {
        "seconds of load": round(load_seconds),
        "clients": args.clients,
        "chaos": dict(events),
        "requests sent (with retries)": tally.attempts,
        "failed tries, by cause": dict(tally.failures),
        "acknowledged": len(tally.acknowledged),
        "acknowledged on a retry of a stored report (200, created false)": tally.replays,
        "given up by the client": len(tally.given_up),
        "refused (4xx other than 429), first ones": tally.refused[:3],
        "refused": len(tally.refused),
        "stored": result["stored"],
        "lost": len(result["lost"]),
        "duplicated": len(result["duplicated"]),
        "tracking code not matching its case": len(result["mismatched"]),
        "stored but never acknowledged": len(result["stored_not_acknowledged"]),
        "outbox": result["outbox"],
        "notifications in the officer's view": len(new_report_mails),
        "cases without a notification in the view": missing_mail,
        "notifications in the view for no stored case": len(set(per_case) - set(labels_stored)),
        "cases notified more than once in the view": len(repeated_in_view),
        "SMTP deliveries to the officer (raw)": len(raw),
        "repeated deliveries (same Message-ID)": sum(n - 1 for n in mailbox.repeats().values()),
        "total seconds": round(time.monotonic() - started),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    ok = (
        not tally.refused
        and not result["lost"]
        and not result["duplicated"]
        and not result["mismatched"]
        and missing_mail == 0
        and not repeated_in_view
        and not set(per_case) - set(labels_stored)
        and len(labels_stored) == result["stored"]
    )
    print("PASS" if ok else "FAIL")
    if not args.database:
        sh("psql", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-qc", f'DROP DATABASE IF EXISTS "{database}"', check=False)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
