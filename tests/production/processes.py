"""The production profile's processes, started for real from the tests and the fault run: a Celery
worker (the `celery` program of the lock file) on the settings the caller gives as environment."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
BIN = ROOT / ".venv" / "bin"


def database_url(settings_dict: dict[str, object]) -> str:
    """The URL of the database Django is connected to (the test database under pytest)."""
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def service_env(*, database: str, broker: str, mail_port: int, **extra: str) -> dict[str, str]:
    """A production process's environment: DEBUG off, PostgreSQL, the Redis broker, SMTP to the
    local mailbox, S3 as the caller's environment has it (S3_BUCKET, S3_ENDPOINT_URL, …)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_SETTINGS", "GRASSROOTS_TESTING"))}
    env.pop("TEST_DATABASE_URL", None)
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": "production-test-" + os.urandom(16).hex(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://localhost",
            "DATABASE_URL": database,
            "REDIS_URL": broker,
            "CELERY_BROKER_URL": broker,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(mail_port),
            "PYTHONDONTWRITEBYTECODE": "1",
            # The worker's log is read while it runs ("ready.", "Task … succeeded"): unbuffered.
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


class Worker:
    """One `celery worker` process (solo pool: the process that takes a job runs it)."""

    def __init__(self, env: dict[str, str], *, name: str = "w") -> None:
        self.env = env
        self.name = name
        self.log = Path(tempfile.mkstemp(prefix=f"celery-{name}-", suffix=".log")[1])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, *, ready_timeout: float = 300) -> Worker:
        offset = self.log.stat().st_size  # a restarted worker appends to the same log
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [
                    str(BIN / "celery"), "-A", "grassroots", "worker", "--pool", "solo", "-l", "info",
                    "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{self.name}-{os.getpid()}@%h",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited at start:\n{self.text()[offset:][-3000:]}")
            if " ready." in self.text()[offset:]:
                return self
            time.sleep(0.2)
        self.kill()  # never left behind: it would take the next run's jobs
        raise RuntimeError(f"celery worker not ready within {ready_timeout:.0f} s:\n{self.text()[-3000:]}")

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL: the worker dies wherever it is, as in a crash or an OOM kill."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.unlink(missing_ok=True)
