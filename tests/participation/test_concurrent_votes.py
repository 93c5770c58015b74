"""Concurrent votes with the same code: exactly one ballot remains (threads, on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Role, User
from participation import services
from participation.models import Ballot, VoteCode
from units.models import Unit, UnitKind

pytestmark = pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_same_code_from_many_threads_leaves_one_ballot(doi_ngo: Unit, make_user) -> None:  # type: ignore[no-untyped-def]
    village = Unit(code="07444.dong-thoi", edition="2024", name="Thôn Đồng Thời", kind=UnitKind.VILLAGE, parent=doi_ngo)
    village.save()
    head: User = make_user(Role.VILLAGE_HEAD, village)
    for i in range(3):
        services.save_household(village=village, by=head, code=f"D{i}", head_name=f"Hộ {i}")
    matter = services.create_matter(village=village, by=head, subject=6, method="online", title="Đồng thời")
    services.record_online_agreement(matter=matter, by=head, households_agreed=2, agreed_on=timezone.localdate(), basis="BB")
    services.announce_matter(matter=matter, by=head, on=timezone.localdate(), closes_at=timezone.now() + dt.timedelta(days=1))
    issued = services.open_vote(matter=matter, by=head)
    options = list(matter.options.values_list("pk", flat=True))
    barrier = threading.Barrier(8)
    receipts: list[str] = []
    errors: list[BaseException] = []

    def vote(n: int) -> None:
        try:
            barrier.wait()
            receipts.append(services.cast_vote(code=issued[0].code, matter_id=matter.pk, option_id=options[n % 2]).receipt)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert Ballot.objects.filter(matter=matter).count() == 1
    assert len(receipts) == 8 and Ballot.objects.get(matter=matter).receipt in receipts
    assert VoteCode.objects.filter(matter=matter, has_voted=True).count() == 1
