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


@requires_redis
@pytest.mark.django_db
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_metrics_reports_the_redis_queue_depth(settings):
    """Jobs sent to the broker with no worker running wait in the queue; /metrics counts them."""
    from prometheus_client.parser import text_string_to_metric_families

    from grassroots.celery import app

    settings.CELERY_BROKER_URL = REDIS_URL
    settings.METRICS_BEARER_TOKEN = "t"
    app.conf.broker_url = REDIS_URL
    try:
        with app.connection_for_write() as conn:
            # The queue exists once a worker has declared it, as it does when it starts.
            app.amqp.queues[app.conf.task_default_queue](conn.default_channel).declare()
            conn.default_channel.queue_purge("celery")
            # Published on this very connection: the app's producer pool may still hold a connection
            # to the broker an earlier test configured.
            producer = conn.Producer()
            for _ in range(3):
                app.send_task("core.tasks.deliver_outbox", producer=producer)
        text = Client().get("/metrics", headers={"Authorization": "Bearer t"}).content.decode()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")
    finally:
        app.conf.broker_url = None
    values = {s.name: s.value for f in text_string_to_metric_families(text) for s in f.samples if not s.labels}
    assert values["grassroots_queue_depth"] == 3


@requires_redis
@pytest.mark.django_db
def test_metrics_reads_zero_before_any_worker_declared_the_queue(settings):
    """A fresh broker (no worker started yet) has no queue: nothing waits, and the source is up."""
    from prometheus_client.parser import text_string_to_metric_families

    from grassroots.celery import app

    settings.CELERY_BROKER_URL = REDIS_URL
    settings.METRICS_BEARER_TOKEN = "t"
    app.conf.broker_url = REDIS_URL
    try:
        with app.connection_for_write() as conn:
            conn.default_channel.client.flushdb()
        text = Client().get("/metrics", headers={"Authorization": "Bearer t"}).content.decode()
    finally:
        app.conf.broker_url = None
    samples = [s for f in text_string_to_metric_families(text) for s in f.samples]
    assert next(s.value for s in samples if s.name == "grassroots_queue_depth" and not s.labels) == 0
    assert next(s.value for s in samples if s.name == "grassroots_metrics_source_up" and s.labels.get("source") == "broker") == 1


@requires_redis
def test_clearing_the_cache_keeps_the_broker_queue_and_other_prefixes():
    """The cache and the Celery broker often share one Redis: a clear drops only this cache's keys."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    from core.cache import PrefixedRedisCache

    ours = PrefixedRedisCache(REDIS_URL, {"KEY_PREFIX": "site-a"})
    theirs = PrefixedRedisCache(REDIS_URL, {"KEY_PREFIX": "site-b"})
    server = redis.Redis.from_url(REDIS_URL)
    try:
        ours.set_many({f"k{i}": i for i in range(2500)})
        theirs.set("k1", "b")
        server.lpush("celery", "a queued job")
        ours.clear()
        assert ours.get("k1") is None and ours.get("k2499") is None
        assert theirs.get("k1") == "b" and server.llen("celery") == 1
        assert isinstance(ours, RedisCache)
    finally:
        server.delete("celery")
        theirs.clear()
        ours.clear()
