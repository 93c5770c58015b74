"""The production engines the settings switch to: Redis as cache and Celery broker. On CI (and any
machine with Redis on 127.0.0.1:6379) these run against the real server."""

import os
import socket

import pytest
from django.test import Client

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


requires_redis = pytest.mark.skipif(not _redis_up() and not os.environ.get("CI"), reason="Redis not running on 127.0.0.1:6379")


@requires_redis
@pytest.mark.django_db
def test_healthz_reports_redis_cache_and_broker(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    settings.CELERY_BROKER_URL = REDIS_URL
    from grassroots.celery import app

    app.conf.broker_url = REDIS_URL
    try:
        response = Client().get("/healthz")
        body = response.json()
        assert response.status_code == 200, body
        assert body["checks"]["cache"]["detail"] == "RedisCache"
        assert body["checks"]["broker"]["detail"] == "redis"
    finally:
        app.conf.broker_url = None


@pytest.mark.django_db
def test_healthz_fails_when_the_broker_is_unreachable(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    from grassroots.celery import app

    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = Client().get("/healthz")
    finally:
        app.conf.broker_url = None
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
