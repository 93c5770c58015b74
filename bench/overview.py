"""Benchmark of the leader's overview (steering) on the demo data, against a bare Django page
measured in the same run (a view rendering a template with one query: what any page costs).

    DEBUG=1 .venv/bin/python manage.py shell < bench/overview.py

(on the demo database: `make run`, or GRASSROOTS_VAR_DIR with migrate + load_demo). Prints the
best-of-N wall time and query count of the overview of the demo province (as its leader, every
commune on the map) as a leader opens it after the morning job stored the day's figures, and as
it computes them (the job's work, or the first reader's of the day), of the bare page, and the
ratios."""

import time

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment
from steering import overview_views
from steering.models import OverviewSnapshot
from units.demo import demo_province
from units.models import Unit

REPEAT = 5


def measure(fn):  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
    return best, len(captured.captured_queries)


province = demo_province()
leader = RoleAssignment.objects.filter(role__in=[Role.PROVINCE_LEADER, Role.PROVINCE_OFFICE], unit=province).select_related("user").first()
user = leader.user
user.is_verified = lambda: True  # as after the second factor
bare_template = engines["django"].from_string("<html><body><h1>{{ unit.name }}</h1></body></html>")


def page():  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/staff/chi-dao/tong-quan/")
    request.user = user
    request.session = SessionStore()
    response = overview_views.overview_page(request)
    assert response.status_code == 200, response.status_code
    return response.content


def bare():  # type: ignore[no-untyped-def]
    return HttpResponse(bare_template.render({"unit": Unit.objects.get(pk=province.pk)})).content


def computed():  # type: ignore[no-untyped-def]
    """The page with no figures stored for the day: it computes them (what the morning job does)."""
    OverviewSnapshot.objects.filter(unit=province).delete()
    return page()


communes = page().count(b'class="map-point"')
page_time, page_queries = measure(page)
compute_time, compute_queries = measure(computed)
bare_time, bare_queries = measure(bare)
print(f"overview of {province.name}: {communes} communes on the map")
print(f"overview page (the day's figures stored): {page_time * 1000:.0f} ms, {page_queries} queries")
print(f"overview page computing the figures:      {compute_time * 1000:.0f} ms, {compute_queries} queries")
print(f"bare page:                                {bare_time * 1000:.1f} ms, {bare_queries} queries")
print(f"ratio overview / bare: {page_time / bare_time:.0f}x stored, {compute_time / bare_time:.0f}x computing")
