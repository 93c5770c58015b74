"""Benchmark of the two dashboard reads mended in review, each against its old way measured in the
same run on the same data (the demo database: `make run`, or GRASSROOTS_VAR_DIR with load_demo).

    DEBUG=1 .venv/bin/python manage.py shell < bench/bench_dashboards.py

Prints best-of-N wall time and query counts, and the ratio old / new.
"""

import datetime as dt
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from feedback import queries as feedback_queries
from surveys import queries as survey_queries
from surveys.models import Campaign
from units.models import Unit, UnitKind

REPEAT = 5


def measure(fn):  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
    return best, len(captured.captured_queries)


def report(name, old, new):  # type: ignore[no-untyped-def]
    (t_old, q_old), (t_new, q_new) = measure(old), measure(new)
    print(f"{name}: old {t_old * 1000:.0f} ms / {q_old} queries; new {t_new * 1000:.0f} ms / {q_new} queries;", end=" ")
    print(f"ratio old/new {t_old / t_new:.1f}x")


province = Unit.objects.filter(kind=UnitKind.PROVINCE).order_by("edition").first()
end = dt.date.today()
start = end - dt.timedelta(days=365)
children = list(Unit.objects.filter(parent=province).exclude(kind=UnitKind.VILLAGE).order_by("name")[:60])
report(
    "feedback dashboard, per-unit table (province)",
    lambda: [(c, feedback_queries.figures(unit=c, start=start, end=end)) for c in children],
    lambda: feedback_queries.child_figures(unit=province, start=start, end=end),
)

campaign = Campaign.objects.order_by("-ends_on").first()
districts = survey_queries.index_cells(view=survey_queries.reading(campaign=campaign, roots=[province]), by="district")
report(
    "survey results, year comparison (province)",
    lambda: survey_queries.year_comparison(campaign=campaign, roots=[province]),
    lambda: survey_queries.year_comparison(campaign=campaign, roots=[province], current=districts),
)
