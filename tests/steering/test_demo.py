"""The demo loads the seed notice with its nine tasks and realistic progress, once."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.utils import timezone

from accounts.models import Role, User
from steering import demo
from steering.models import ChairmanRating, Directive, DirectiveTask, MethodState, RatingMethod, TaskState
from units.models import Unit


def test_the_seed_notice_loads_with_progress_and_overdue_tasks(bac_giang: Unit, luc_nam: Unit, make_user: Callable[..., User]) -> None:
    make_user(Role.PROVINCE_OFFICE, bac_giang, username="tinh.thuongtruc")
    make_user(Role.PROVINCE_LEADER, bac_giang, username="tinh.lanhdao")
    make_user(Role.DISTRICT_COMMITTEE, luc_nam, username="lucnam.bcd")
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())  # idempotent
    directive = Directive.objects.get(number=demo.NOTICE_NUMBER)
    assert directive.unit == bac_giang and directive.issued_on.year == 2024
    tasks = {t.number: t for t in DirectiveTask.objects.filter(directive=directive)}
    assert sorted(tasks) == list(range(1, 10))
    assert tasks[9].state == TaskState.DONE
    assert tasks[8].state == TaskState.RETURNED
    assert tasks[6].state == TaskState.SUBMITTED
    assert tasks[2].due_on.isoformat() == "2024-06-30" and tasks[4].due_on.isoformat() == "2024-12-31"
    assert tasks[7].owners.count() == 10 and all(o.edition == "2024" for o in tasks[7].owners.all())
    today = timezone.localdate()
    assert sum(t.is_overdue(today) for t in tasks.values()) >= 5


def test_the_demo_publishes_a_method_and_rates_the_communes_for_the_current_year(new_commune: Unit) -> None:
    out = io.StringIO()
    demo.load_ratings(stdout=out)
    demo.load_ratings(stdout=io.StringIO())  # idempotent
    method = RatingMethod.objects.get(province=new_commune.parent)
    assert method.state == MethodState.PUBLISHED and method.components.count() == 9
    year = timezone.localdate().year
    ratings = ChairmanRating.objects.filter(method=method, period_start__year=year, period_end__year=year)
    assert list(ratings.values_list("unit", flat=True)) == [new_commune.pk]
    assert ratings.get().figures.count() == 9 and "Xếp loại chủ tịch UBND: 1 đơn vị" in out.getvalue()
