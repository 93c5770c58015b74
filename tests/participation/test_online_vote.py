"""The online household vote: one code per household, the last vote counts, refusals change
nothing, the tally with every receipt after the close, paper ballots in the same tally, and a
ballot table that leads to no household."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from accounts.models import User
from participation import queries, services
from participation.models import Ballot, Household, Matter, MatterState, VoteCode

Voting = tuple[Matter, list[services.IssuedCode]]


def _options(matter: Matter) -> tuple[int, int]:
    yes, no = matter.options.order_by("position")
    return yes.pk, no.pk


def test_one_code_per_household_in_residence_only_hashes_kept(voting: Voting, households: list[Household]) -> None:
    matter, codes = voting
    assert len(codes) == 12 == VoteCode.objects.filter(matter=matter).count()
    stored = set(VoteCode.objects.values_list("digest", flat=True))
    assert not any(c.code in d for c in codes for d in stored)


def test_vote_then_change_keeps_one_ballot_with_a_new_receipt(voting: Voting) -> None:
    matter, codes = voting
    yes, no = _options(matter)
    first = services.cast_vote(code=codes[0].code, matter_id=matter.pk, option_id=yes)
    assert not first.changed
    second = services.cast_vote(code=services.format_code(codes[0].code).lower(), matter_id=matter.pk, option_id=no)
    assert second.changed and second.receipt != first.receipt
    assert list(Ballot.objects.filter(matter=matter).values_list("receipt", "option")) == [(second.receipt, no)]
    status = services.check_vote(code=codes[0].code)
    assert status.has_voted and status.receipt == second.receipt and status.option is not None and status.option.pk == no
    assert VoteCode.objects.filter(matter=matter, has_voted=True).count() == 1


@pytest.mark.parametrize(
    ("code", "message"),
    [("ABC", "gồm 10 ký tự"), ("2222222222", "không đúng")],
)
def test_bad_codes_are_refused(voting: Voting, code: str, message: str) -> None:
    matter, _codes = voting
    with pytest.raises(ValidationError, match=message):
        services.cast_vote(code=code, matter_id=matter.pk, option_id=_options(matter)[0])
    assert not Ballot.objects.exists()


def test_foreign_code_wrong_option_and_after_close_change_nothing(voting: Voting, make_matter: Callable[..., Matter]) -> None:
    matter, codes = voting
    other = make_matter(title="Khác")
    with pytest.raises(ValidationError, match="không dùng cho nội dung"):
        services.cast_vote(code=codes[0].code, matter_id=other.pk, option_id=_options(other)[0])
    with pytest.raises(ValidationError, match="phương án"):
        services.cast_vote(code=codes[0].code, matter_id=matter.pk, option_id=_options(other)[0])
    later = timezone.now() + dt.timedelta(days=4)
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.cast_vote(code=codes[0].code, matter_id=matter.pk, option_id=_options(matter)[0], now=later)
    assert not Ballot.objects.exists() and not VoteCode.objects.filter(has_voted=True).exists()


def test_matter_not_open_online(make_matter: Callable[..., Matter], village_head: User, households: list[Household]) -> None:
    matter = make_matter()
    services.record_online_agreement(matter=matter, by=village_head, households_agreed=6, agreed_on=timezone.localdate(), basis="Biên bản")
    services.announce_matter(matter=matter, by=village_head, on=timezone.localdate(), closes_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="6/12 hộ là chưa đủ"):
        services.open_vote(matter=matter, by=village_head)
    matter.refresh_from_db()
    assert matter.state == MatterState.ANNOUNCED and not VoteCode.objects.exists()


def test_online_refused_for_subjects_one_to_five(make_matter: Callable[..., Matter]) -> None:
    with pytest.raises(ValidationError, match="nhóm 6"):
        make_matter(subject=1)


def test_reissued_code_replaces_the_old(voting: Voting, village_head: User) -> None:
    matter, codes = voting
    new = services.reissue_code(matter=matter, by=village_head, household=codes[1].household)
    with pytest.raises(ValidationError, match="đã được thay"):
        services.cast_vote(code=codes[1].code, matter_id=matter.pk, option_id=_options(matter)[0])
    services.cast_vote(code=new.code, matter_id=matter.pk, option_id=_options(matter)[0])


def test_paper_ballots_join_the_tally_and_close_publishes_receipts(voting: Voting, village_head: User) -> None:
    matter, codes = voting
    yes, no = _options(matter)
    receipts = [services.cast_vote(code=c.code, matter_id=matter.pk, option_id=yes).receipt for c in codes[:5]]
    services.cast_vote(code=codes[5].code, matter_id=matter.pk, option_id=no)
    with pytest.raises(ValidationError, match="mỗi hộ chỉ một phiếu"):
        services.enter_paper_ballots(matter=matter, by=village_head, households=[codes[0].household], votes={yes: 1})
    with pytest.raises(ValidationError, match="phải bằng"):
        services.enter_paper_ballots(matter=matter, by=village_head, households=[codes[6].household], votes={yes: 2})
    paper = services.enter_paper_ballots(
        matter=matter, by=village_head, households=[codes[6].household, codes[7].household], votes={yes: 1, no: 1}
    )
    with pytest.raises(ValidationError, match="phiếu giấy"):
        services.cast_vote(code=codes[6].code, matter_id=matter.pk, option_id=yes)
    assert queries.published_tally(matter) == []  # nothing before the close
    with pytest.raises(ValidationError, match="Chưa đến"):
        services.close_vote(matter=matter, by=village_head)
    closed = services.close_vote(matter=matter, by=village_head, now=timezone.now() + dt.timedelta(days=4))
    assert closed.state == MatterState.DECIDED
    tally = queries.published_tally(closed)
    assert len(tally) == 8 and {r for r, _c in tally} >= set(receipts) | set(paper)
    # 6 of 12 households chose "Đồng ý": exactly half is not more than half.
    assert [(a.votes, a.needed, a.passed) for a in queries.arithmetic(closed)] == [(6, 7, False), (2, 7, False)]
    assert closed.passed is False and closed.represented == 8 and closed.send_due_on is not None


def test_the_ballot_table_leads_to_no_household() -> None:
    """No foreign key to a household or a code, no time, no sequential key on Ballot; VoteCode
    keeps no time either and nothing of the ballot."""
    ballot_fields = {f.name: f for f in Ballot._meta.get_fields()}
    assert set(ballot_fields) == {"id", "matter", "option", "lookup", "receipt"}
    assert isinstance(ballot_fields["id"], models.UUIDField)
    related = {f.related_model for f in Ballot._meta.get_fields() if f.is_relation}
    assert Household not in related and VoteCode not in related
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in Ballot._meta.get_fields())
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in VoteCode._meta.get_fields())
    assert Ballot._meta.ordering == []


def test_stored_rows_cannot_be_matched(voting: Voting) -> None:
    matter, codes = voting
    yes = _options(matter)[0]
    for issued in codes[:3]:
        services.cast_vote(code=issued.code, matter_id=matter.pk, option_id=yes)
    digests = set(VoteCode.objects.values_list("digest", flat=True))
    lookups = set(Ballot.objects.values_list("lookup", flat=True))
    assert not digests & lookups
    ballot_ids = [str(b) for b in Ballot.objects.values_list("id", flat=True)]
    assert all(len(b) == 36 for b in ballot_ids)  # random UUIDs, not a sequence
