"""Computing a province's ratings: every commune and district in force on the period's last day,
the figures read through core.metrics (in batches: the query count does not grow with the units
for batched figures), each component with its numerator, denominator, source and link."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.actors import SYSTEM
from steering import rating, rating_services, services
from steering.models import ChairmanRating, Directive, RatingFigure
from units.models import UnitKind

pytestmark = pytest.mark.django_db
START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


@pytest.fixture
def method(province_officer, bac_giang):  # type: ignore[no-untyped-def]
    draft = rating_services.create_method(by=province_officer, province=bac_giang, title="Phương pháp")
    return rating_services.publish_method(by=province_officer, method=draft)


@pytest.fixture
def doi_ngo_task_done_on_time(bac_giang, doi_ngo):  # type: ignore[no-untyped-def]
    directive = services.create_directive(
        by=SYSTEM,
        unit=bac_giang,
        kind=Directive.Kind.PLAN,
        number="05/KH",
        issued_on=dt.date(2024, 2, 1),
        issuer="BCĐ tỉnh",
        title="Kế hoạch",
    )
    done = services.add_task(
        by=SYSTEM,
        directive=directive,
        number=1,
        title="Hội nghị đối thoại",
        owners=[doi_ngo],
        deadline_text="30/06/2024",
        expected_output="",
    )
    late = services.add_task(
        by=SYSTEM,
        directive=directive,
        number=2,
        title="Kiện toàn Ban TTND",
        owners=[doi_ngo],
        deadline_text="30/09/2024",
        expected_output="",
    )
    type(done).objects.filter(pk=done.pk).update(state="done", completed_on=dt.date(2024, 6, 20), percent=100)
    return done, late


def test_every_commune_and_district_in_force_is_rated_with_its_method(method, bac_giang, province_officer) -> None:  # type: ignore[no-untyped-def]
    ratings = rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
    kinds = {r.unit.kind for r in ratings}
    assert kinds == {UnitKind.COMMUNE, UnitKind.DISTRICT}  # before 1 July 2025 districts still had chairmen
    assert len(ratings) == rating.rated_units(bac_giang, START, END).count() == 202
    assert RatingFigure.objects.filter(rating__method=method).count() == 202 * method.components.count()
    # computing again with the same version replaces, does not duplicate
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
    assert ChairmanRating.objects.filter(method=method).count() == 202


def test_a_figure_keeps_its_numerator_denominator_and_link(method, bac_giang, doi_ngo, province_officer, doi_ngo_task_done_on_time) -> None:  # type: ignore[no-untyped-def]
    rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
    mine = ChairmanRating.objects.get(method=method, unit=doi_ngo)
    tasks = mine.figures.get(metric_key="steering.tasks_on_time_rate")
    assert (tasks.value, tasks.numerator, tasks.denominator, tasks.included, tasks.score) == (50.0, 1.0, 2, True, 50.0)
    assert tasks.link.startswith("/staff/chi-dao/xep-loai/nhiem-vu/?don_vi=") and tasks.source
    # beside it only "no substantiated harassment" (a count with no minimum: full marks): 10 and 10 of
    # the weights, renormalised to 50 % each
    harassment = mine.figures.get(metric_key="feedback.harassment_substantiated")
    assert (harassment.value, harassment.score, harassment.weight_used, tasks.weight_used) == (0.0, 100.0, 50.0, 50.0)
    assert float(mine.score) == 75.0 and mine.band == "Hoàn thành tốt nhiệm vụ"
    # the others say so instead of scoring 0
    others = mine.figures.exclude(metric_key__in=["steering.tasks_on_time_rate", "feedback.harassment_substantiated"])
    assert all(not f.included and f.score is None and f.note.startswith("Không đủ dữ liệu") for f in others)
    # a commune without any data has no score at all, not 0
    empty = ChairmanRating.objects.filter(method=method, unit__kind=UnitKind.COMMUNE).exclude(unit=doi_ngo).first()
    assert empty is not None and empty.score is None and empty.band == ""


def test_computing_takes_queries_independent_of_the_units(method, province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    """Every default component's figure has a batch in its capability: reading the figures of all
    202 units takes a fixed number of queries (core.metrics.compute_many, predecessors included),
    not one per unit nor per unit and component."""
    with CaptureQueriesContext(connection) as queries:
        ratings = rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
    reads = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("INSERT")]
    print(f"\n{len(ratings)} units × {method.components.count()} components: {len(queries)} queries, {len(reads)} not inserts")
    print("\n".join(f"{n} × {sql}" for sql, n in Counter(sql[:100] for sql in reads).most_common(3)))
    assert len(ratings) == 202
    # each component's bulk read also finds the units' predecessors (one query per hop of history)
    assert len(reads) < 50
    # the inserts are bulk: a handful of batches for 202 ratings and their 1,818 figures
    assert len(queries) - len(reads) < 40


def test_refusals(method, bac_giang, district_officer, province_leader) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        rating_services.compute_ratings(by=district_officer, province=bac_giang, start=START, end=END)
    with pytest.raises(ValidationError, match="sau ngày bắt đầu"):
        rating_services.compute_ratings(by=province_leader, province=bac_giang, start=END, end=START)
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        rating_services.compute_ratings(by=province_leader, province=bac_giang, start=dt.date(2099, 1, 1), end=dt.date(2099, 12, 31))
    assert not ChairmanRating.objects.exists()


def test_no_published_method_is_refused(province_officer, bac_giang) -> None:  # type: ignore[no-untyped-def]
    rating_services.create_method(by=province_officer, province=bac_giang, title="Bản nháp")
    with pytest.raises(ValidationError, match="chưa ban hành phương pháp"):
        rating_services.compute_ratings(by=province_officer, province=bac_giang, start=START, end=END)
