"""Benchmark of the appraisal-quality page (certification) on the demo data, against a baseline
measured in the same run on the same rows: a bare read of the campaign's files with their self-,
district and province scores and check records (what the page must at least read).

    DEBUG=1 .venv/bin/python manage.py shell < bench/appraisal_quality.py

(on the demo database: `make run`, or GRASSROOTS_VAR_DIR with migrate + load_demo). Prints the
best-of-N wall time and query count of the page (the view, rendered, as the standing office) and of
the baseline, and their ratio. The old table took 20–60 s and about 480 queries here."""

import time

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.models import Role, RoleAssignment
from certification import views
from certification.models import AppraisalScore, Campaign, ProvinceCheck, Registration, SelfScore

REPEAT = 5


def measure(fn):  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
    return best, len(captured.captured_queries)


campaign = Campaign.objects.filter(approval_chain="cdp").order_by("-year").first()
office = RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICE, unit=campaign.province).select_related("user").first()
if office is None:  # the demo's standing office sits at the province in force; it sees its predecessors
    office = RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICE).select_related("user").first()
user = office.user
user.is_verified = lambda: True  # as after the second factor


def page():  # type: ignore[no-untyped-def]
    request = RequestFactory().get(f"/staff/chung-nhan/dot/{campaign.pk}/chat-luong-tham-dinh/")
    request.user = user
    request.session = SessionStore()
    response = views.quality(request, pk=campaign.pk)
    assert response.status_code == 200, response.status_code
    return response.content


def baseline():  # type: ignore[no-untyped-def]
    files = Registration.objects.filter(campaign=campaign)
    list(files.values_list("pk", "district_id", "unit__name", "state", "self_total", "district_total", "province_total"))
    list(SelfScore.objects.filter(registration__campaign=campaign).values_list("registration_id", "criterion_id", "score"))
    list(AppraisalScore.objects.filter(registration__campaign=campaign).values_list("registration_id", "level", "criterion_id", "score"))
    list(ProvinceCheck.objects.filter(registration__campaign=campaign).values_list("registration_id", "drawn", "province_total"))


files = Registration.objects.filter(campaign=campaign).count()
t_page, q_page = measure(page)
t_base, q_base = measure(baseline)
print(f"appraisal quality, {campaign} ({files} files), as {user}:")
print(f"  page     {t_page * 1000:.0f} ms / {q_page} queries")
print(f"  baseline {t_base * 1000:.0f} ms / {q_base} queries (bare read of the same rows)")
print(f"  page / baseline {t_page / t_base:.1f}x; under one second: {'yes' if t_page < 1 else 'NO'}")
