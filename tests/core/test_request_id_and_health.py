"""Every response carries a request id; /healthz reports each engine and fails when one does."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import storages
from django.test import Client

from core import health
from core.middleware import current_request_id
from core.uploads import stored_names

PAGE = "/tra-cuu/"


@pytest.mark.parametrize("incoming", ["abc12345-XYZ.def_9", "0" * 64])
def test_a_well_formed_request_id_is_echoed(db, incoming):
    assert Client().get(PAGE, headers={"X-Request-ID": incoming})["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", [None, "", "short", "has spaces in it", "x" * 65, "<script>alert(1)</script>"])
def test_a_missing_or_malformed_request_id_is_replaced(db, incoming):
    headers = {"X-Request-ID": incoming} if incoming is not None else {}
    generated = Client().get(PAGE, headers=headers)["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert Client().get(PAGE)["X-Request-ID"] != generated


def test_the_request_id_does_not_leak_past_the_request(db):
    Client().get(PAGE, headers={"X-Request-ID": "req-leak-0001"})
    assert current_request_id() == ""


def test_healthz_reports_all_four_checks(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "storage", "broker"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["broker"]["detail"] == "in-process"
    # The configured storage: the local folder, or S3 in the production profile's CI step.
    assert body["checks"]["storage"]["detail"] == type(storages["default"]).__name__
    assert body["checks"]["cache"]["detail"] == settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    assert "no-cache" in response["Cache-Control"]
    assert not list(stored_names("healthz"))  # the probe file is removed


class _BrokenCache:
    def set(self, *args: object, **kwargs: object) -> None:
        raise ConnectionError("cache server unreachable")


def test_healthz_is_503_when_the_cache_fails(db, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(health, "cache", _BrokenCache())
    response = Client().get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError", "ms": body["checks"]["cache"]["ms"]}
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"] and body["checks"]["broker"]["ok"]
    assert "unreachable" not in response.content.decode()  # no internals in the public answer
