"""/metrics for the operators, in the Prometheus text exposition format.

- `grassroots_http_request_duration_seconds`: a histogram of request latency by route name (the URL
  pattern's name, never the raw path, so the number of series stays bounded), method and status class,
  recorded by `RequestMetricsMiddleware`. Under gunicorn every worker is its own process: with
  `PROMETHEUS_MULTIPROC_DIR` set (an empty directory, wiped at each start) prometheus-client writes each
  worker's values to files there and a scrape sums them, whichever worker answers it.
- figures read at each scrape: the Celery queue depth (0 with in-process jobs), the outbox backlog
  (unsent messages, age of the oldest), and every `GaugeItem` the capabilities declare in their manifests
  (feedback's overdue cases...). core names no capability: it iterates the registry.

Never public: the page answers only to the addresses in `METRICS_ALLOWED_ADDRESSES` or to a request
carrying `Authorization: Bearer <METRICS_BEARER_TOKEN>`; with neither set it is a 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Min
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone
from django.views.decorators.cache import never_cache
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from core import capabilities
from core.client_address import client_address
from core.models import OutboxMessage

log = logging.getLogger(__name__)

# Buckets from 5 ms to 10 s: the targets are 150 ms for a submission and 1 s for a staff page.
_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# The process's own registry: with PROMETHEUS_MULTIPROC_DIR the values go to files in that directory
# instead, and a scrape reads them all through MultiProcessCollector.
_LOCAL = CollectorRegistry()
REQUEST_DURATION = Histogram(
    "grassroots_http_request_duration_seconds",
    "Time to answer a request, by route name, method and status class.",
    ("route", "method", "status"),
    buckets=_BUCKETS,
    registry=_LOCAL,
)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unmatched>"
    return str(match.view_name or match.url_name or "<unnamed>")


class RequestMetricsMiddleware:
    """Times every request (first in MIDDLEWARE, so the time includes the other middleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"
        REQUEST_DURATION.labels(_route(request), method, f"{response.status_code // 100}xx").observe(time.perf_counter() - started)
        return response


def _queue_depth() -> float:
    if not settings.CELERY_BROKER_URL:
        return 0.0  # in-process jobs run at once: nothing waits
    from amqp.exceptions import ChannelError

    from grassroots.celery import app

    queue = app.conf.task_default_queue or "celery"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
        try:
            _name, count, _consumers = conn.default_channel.queue_declare(queue=queue, passive=True)
        except ChannelError:  # the passive declare of a queue that does not exist (404 NOT_FOUND)
            return 0.0  # no worker has declared the queue yet: nothing can be waiting in it
        return float(count)


class _LiveCollector(Collector):
    """Figures computed from the database and the broker at each scrape."""

    def collect(self) -> Iterator[Metric]:
        errors = GaugeMetricFamily(
            "grassroots_metrics_source_up", "1 when the source of a figure answered this scrape, 0 otherwise.", labels=["source"]
        )

        def guarded(source: str, compute: Callable[[], Iterator[Metric]]) -> Iterator[Metric]:
            try:
                yield from list(compute())
                errors.add_metric([source], 1.0)
            except Exception:  # one failing source must not hide the others
                log.exception("metrics source %s failed", source)
                errors.add_metric([source], 0.0)

        def queue() -> Iterator[Metric]:
            depth = _queue_depth()
            yield GaugeMetricFamily(
                "grassroots_queue_depth", "Background jobs waiting in the broker's queue (0 with in-process jobs).", value=depth
            )

        def outbox() -> Iterator[Metric]:
            pending = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
            agg = pending.aggregate(oldest=Min("created_at"))
            oldest = agg["oldest"]
            age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
            yield GaugeMetricFamily("grassroots_outbox_pending_messages", "Notifications queued and not yet sent.", value=pending.count())
            yield GaugeMetricFamily(
                "grassroots_outbox_failed_messages",
                "Notifications that ran out of attempts.",
                value=OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count(),
            )
            yield GaugeMetricFamily(
                "grassroots_outbox_oldest_pending_age_seconds", "Age of the oldest unsent notification (0 when none).", value=max(age, 0.0)
            )

        yield from guarded("broker", queue)
        yield from guarded("outbox", outbox)
        for capability in capabilities.registry.all():
            for gauge in capability.gauges:

                def one(gauge: capabilities.GaugeItem = gauge) -> Iterator[Metric]:
                    yield GaugeMetricFamily(f"grassroots_{gauge.name}", gauge.help, value=float(gauge.compute()))

                yield from guarded(f"{capability.name}.{gauge.name}", one)
        yield errors


def exposition() -> bytes:
    """The whole page: request histograms (summed over the workers in multiprocess mode) and the live
    figures."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(REQUEST_DURATION)
    registry.register(_LiveCollector())
    return generate_latest(registry)


def _address_allowed(request: HttpRequest, allowed: list[str]) -> bool:
    try:
        address = ipaddress.ip_address(client_address(request))
    except ValueError:
        return False
    for entry in allowed:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            log.warning("METRICS_ALLOWED_ADDRESSES holds an invalid entry: %r", entry)
    return False


def _token_matches(request: HttpRequest, token: str) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    allowed: list[str] = list(settings.METRICS_ALLOWED_ADDRESSES)
    token: str = settings.METRICS_BEARER_TOKEN
    if not allowed and not token:
        raise Http404
    if not ((token and _token_matches(request, token)) or (allowed and _address_allowed(request, allowed))):
        return HttpResponseForbidden("Không được phép xem số liệu vận hành.", content_type="text/plain; charset=utf-8")
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
