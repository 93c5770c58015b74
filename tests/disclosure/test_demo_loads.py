"""The demo: a year of disclosures whose figures say something (late, unproven, short postings, a
commune that never discloses its budget), every register's chain intact, loaded once."""

from __future__ import annotations

import io

from django.utils import timezone

from disclosure import chain, demo, queries
from disclosure.models import Disclosure


def test_demo_register_has_realistic_gaps_and_intact_chains(bac_ninh, commune, other_commune) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    demo.load(stdout=out)
    count = Disclosure.objects.count()
    assert count > 15
    for unit in (commune, other_commune):
        assert chain.verify(unit).ok
    today = timezone.localdate()
    f = queries.figures(bac_ninh, today.replace(month=1, day=1), today)
    assert f.late > 0 and f.on_time > 0
    assert 0 < f.proven < f.disclosed
    no_budget = demo._communes()[-1]
    assert not Disclosure.objects.filter(unit=no_budget, obligation__number=2).exists()
    assert 2 in f.missing[no_budget.pk]
    demo.load(stdout=out)
    assert Disclosure.objects.count() == count
