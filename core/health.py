"""/healthz: is each engine the app depends on answering? 200 when all are, 503 otherwise."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value written")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _storage() -> str:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as fh:
            if fh.read() != b"ok":
                raise RuntimeError("storage did not return the bytes written")
    finally:
        default_storage.delete(name)
    return type(getattr(default_storage, "_wrapped", default_storage)).__name__


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "in-process"
    from grassroots.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        return str(conn.transport.driver_name)


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "storage": _storage, "broker": _broker}


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    results: dict[str, dict[str, object]] = {}
    healthy = True
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            detail = check()
            results[name] = {"ok": True, "detail": detail}
        except Exception as exc:  # noqa: BLE001 - a health check reports every failure, whatever it is
            healthy = False
            results[name] = {"ok": False, "error": type(exc).__name__}
        results[name]["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse({"status": "ok" if healthy else "fail", "checks": results}, status=200 if healthy else 503)


@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """The process is up and serving requests; asks nothing of the database or any other engine, so a
    restart is never triggered by a dependency's outage."""
    return JsonResponse({"status": "ok"})


def _migrations() -> str:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    return "applied"


READINESS: dict[str, Callable[[], str]] = {"database": _database, "migrations": _migrations, "broker": _broker}


@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to take traffic: the database answers, every migration is applied, and the broker answers
    when one is configured (in-process jobs need none). 503 otherwise."""
    results: dict[str, dict[str, object]] = {}
    ready = True
    for name, check in READINESS.items():
        if name == "migrations" and not results["database"]["ok"]:
            results[name] = {"ok": False, "error": "DatabaseUnavailable"}
            continue
        try:
            results[name] = {"ok": True, "detail": check()}
        except Exception as exc:  # noqa: BLE001 - readiness reports every failure, whatever it is
            ready = False
            results[name] = {"ok": False, "error": type(exc).__name__}
    return JsonResponse({"status": "ok" if ready else "fail", "checks": results}, status=200 if ready else 503)
