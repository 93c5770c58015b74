"""The operators' endpoints: /livez (the process only), /readyz (database, migrations, broker), and
/metrics in the Prometheus text format, never public, with request latency histograms that add up over
gunicorn's worker processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core import health
from core.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "s3cret-scrape-token"


def _families(text: str) -> dict[str, list[tuple[str, dict[str, str], float]]]:
    """Strict parse (prometheus-client's own parser raises on a malformed line)."""
    return {family.name: [(s.name, s.labels, s.value) for s in family.samples] for family in text_string_to_metric_families(text)}


def _scrape(**headers: str) -> str:
    response = Client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"} | headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def test_livez_answers_without_touching_the_database():
    # No django_db mark: any query here would raise "Database access not allowed".
    response = Client().get("/livez")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ready_with_the_database_migrated_and_in_process_jobs(settings):
    settings.CELERY_BROKER_URL = ""
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["migrations"] == {"ok": True, "detail": "applied"}
    assert body["checks"]["broker"]["detail"] == "in-process"


@pytest.mark.django_db
def test_readyz_is_503_while_a_migration_is_not_applied():
    MigrationRecorder.Migration.objects.filter(app="core").order_by("-id").first().delete()  # type: ignore[union-attr]
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "error": "RuntimeError"}


@pytest.mark.django_db
def test_readyz_is_503_when_the_database_does_not_answer(monkeypatch):
    def refuse() -> str:
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.READINESS, "database", refuse)
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["migrations"]["ok"] is False


@pytest.mark.django_db
def test_readyz_is_503_when_the_configured_broker_is_unreachable(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from grassroots.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/readyz")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False


@pytest.mark.django_db
def test_metrics_is_not_public_by_default(settings):
    settings.METRICS_ALLOWED_ADDRESSES = []
    settings.METRICS_BEARER_TOKEN = ""
    assert Client().get("/metrics").status_code == 404
    assert Client().get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


@pytest.mark.django_db
def test_metrics_needs_the_token_or_an_allowed_address(settings):
    settings.METRICS_BEARER_TOKEN = TOKEN
    settings.METRICS_ALLOWED_ADDRESSES = ["10.1.0.0/16"]
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics").status_code == 403
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 403
    # A forged X-Forwarded-For from an untrusted peer does not make it an allowed address.
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"X-Forwarded-For": "10.1.2.3"}).status_code == 403
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 200
    assert Client(REMOTE_ADDR="203.0.113.9").get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


@pytest.mark.django_db
def test_metrics_exposes_request_latency_by_route_method_and_status_class(settings):
    settings.METRICS_BEARER_TOKEN = TOKEN
    before = _families(_scrape()).get("grassroots_http_request_duration_seconds", [])

    def count(samples: list[tuple[str, dict[str, str], float]], route: str, status: str) -> float:
        return sum(v for n, labels, v in samples if n.endswith("_count") and labels == {"route": route, "method": "GET", "status": status})

    Client().get("/livez")
    Client().get("/livez")
    Client().get("/khong-co-trang-nay/12345")
    samples = _families(_scrape())["grassroots_http_request_duration_seconds"]
    assert count(samples, "livez", "2xx") == count(before, "livez", "2xx") + 2
    # An unknown path is one bounded series, never a series per raw path.
    assert count(samples, "<unmatched>", "4xx") == count(before, "<unmatched>", "4xx") + 1
    assert not any("khong-co-trang-nay" in str(labels) for _n, labels, _v in samples)
    livez = {"route": "livez", "method": "GET", "status": "2xx"}
    buckets = [labels["le"] for n, labels, _v in samples if n.endswith("_bucket") and livez.items() <= labels.items()]
    assert "0.15" in buckets and "+Inf" in buckets


@pytest.mark.django_db
def test_metrics_reports_the_outbox_backlog_and_queue_depth(settings):
    settings.METRICS_BEARER_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = ""
    empty = _families(_scrape())
    assert empty["grassroots_outbox_pending_messages"][0][2] == 0
    assert empty["grassroots_outbox_oldest_pending_age_seconds"][0][2] == 0
    assert empty["grassroots_queue_depth"][0][2] == 0

    def message(status: str, age: dt.timedelta) -> None:
        m = OutboxMessage.objects.create(recipient="a@example.org", subject="s", body="b", status=status)
        OutboxMessage.objects.filter(pk=m.pk).update(created_at=timezone.now() - age)

    message(OutboxMessage.Status.PENDING, dt.timedelta(hours=2))
    message(OutboxMessage.Status.PENDING, dt.timedelta(minutes=5))
    message(OutboxMessage.Status.SENT, dt.timedelta(days=3))
    message(OutboxMessage.Status.FAILED, dt.timedelta(days=1))
    figures = _families(_scrape())
    assert figures["grassroots_outbox_pending_messages"][0][2] == 2
    assert figures["grassroots_outbox_failed_messages"][0][2] == 1
    assert 7200 <= figures["grassroots_outbox_oldest_pending_age_seconds"][0][2] < 7300
    up = {labels["source"]: v for _n, labels, v in figures["grassroots_metrics_source_up"]}
    assert up["outbox"] == 1 and up["broker"] == 1


@pytest.mark.django_db
def test_a_failing_source_is_reported_without_hiding_the_others(settings):
    settings.METRICS_BEARER_TOKEN = TOKEN
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from grassroots.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        figures = _families(_scrape())
    finally:
        app.conf.broker_url = None
    up = {labels["source"]: v for _n, labels, v in figures["grassroots_metrics_source_up"]}
    assert up["broker"] == 0 and up["outbox"] == 1
    assert "grassroots_queue_depth" not in figures
    assert "grassroots_outbox_pending_messages" in figures


_WORKER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve
from core import prometheus
mode = sys.argv[1]
if mode == "serve":
    request = RequestFactory().get("/livez")
    request.resolver_match = resolve("/livez")
    for _ in range(int(sys.argv[2])):
        prometheus.RequestMetricsMiddleware(lambda r: HttpResponse("ok"))(request)
else:
    sys.stdout.write(prometheus.exposition().decode())
"""


def test_request_histograms_add_up_across_worker_processes(tmp_path):
    """Two 'gunicorn workers' (separate processes) serve requests; a third answers the scrape and
    reports both workers' requests (PROMETHEUS_MULTIPROC_DIR)."""
    env = os.environ | {"PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "GRASSROOTS_TESTING": "1", "DEBUG": "1"}
    for n in ("3", "4"):
        subprocess.run([sys.executable, "-c", _WORKER, "serve", n], cwd=ROOT, env=env, check=True, timeout=60)
    scrape = [sys.executable, "-c", _WORKER, "scrape"]
    out = subprocess.run(scrape, cwd=ROOT, env=env, check=True, timeout=60, capture_output=True, text=True)
    samples = _families(out.stdout)["grassroots_http_request_duration_seconds"]
    counts = [v for n, labels, v in samples if n.endswith("_count") and labels == {"route": "livez", "method": "GET", "status": "2xx"}]
    assert counts == [7]


@pytest.mark.django_db
def test_probes_answer_over_plain_http_when_https_is_enforced(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/livez").status_code == 200
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/metrics").status_code == 301  # not a probe: https only
