"""Quality flags that matter: exact and near duplicates on all answers, straight-lining that fires
on short forms, speeders; the documented rule leaves flagged responses out of the index and the
campaign page says how many."""

from __future__ import annotations

from surveys import conf, queries, services
from surveys.models import Flag, Mode, Response, Stratum
from tests.surveys.conftest import pks07_answers


def _submit(stratum, answers, device, seconds=None):  # type: ignore[no-untyped-def]
    return services.submit_response(stratum=stratum, raw=answers, mode=Mode.OPEN, device_id=device, duration_seconds=seconds)


def test_straight_lining_fires_on_a_short_form(instruments) -> None:  # type: ignore[no-untyped-def]
    pks06 = instruments["PKS06"]  # five Likert items: fewer than STRAIGHT_LINE_MIN_ITEMS
    assert pks06.questions.filter(kind="likert").count() < conf.STRAIGHT_LINE_MIN_ITEMS
    same = {f"q{i}": 4 for i in range(1, 6)}
    assert Flag.STRAIGHT_LINE in services.quality_flags(pks06, same, None)
    assert Flag.STRAIGHT_LINE not in services.quality_flags(pks06, {**same, "q5": 5}, None)
    assert Flag.STRAIGHT_LINE not in services.quality_flags(pks06, {"q1": 4, "q2": 4}, None)  # too few answered


def test_exact_duplicates_on_all_answers_are_flagged_and_one_copy_with_text_kept(campaign, stratum) -> None:  # type: ignore[no-untyped-def]
    text = "Cán bộ một cửa hướng dẫn tận tình, cảm ơn xã."
    likert_only = _submit(stratum, pks07_answers(3, q8="4"), "x")
    honest = _submit(stratum, pks07_answers(3, q8="4"), "y")  # eight Likert answers alike: flagged, kept
    likert_only.refresh_from_db()
    assert likert_only.flags == honest.flags == [Flag.DUPLICATE] and not likert_only.excluded and not honest.excluded
    first = _submit(stratum, pks07_answers(2, q9=text), "a")
    copy = _submit(stratum, pks07_answers(2, q9=text), "b")
    first.refresh_from_db()
    # both flagged (a flag on the later one only would tell the order); one kept, by its random id
    assert Flag.DUPLICATE in first.flags and Flag.DUPLICATE in copy.flags
    kept = min((first, copy), key=lambda r: str(r.pk))
    assert [r.excluded for r in (first, copy)] == [r is not kept for r in (first, copy)]
    rows = queries.response_rows(campaign=campaign)
    assert len(rows) == 3 and {r.weight for r in rows} == {stratum.population / 3}  # n_h counts kept responses
    assert ("Phiếu bị loại khỏi chỉ số (theo quy tắc bên dưới)", 1) in queries.flag_counts(campaign=campaign, roots=[stratum.unit])


def test_short_identical_patterns_are_flagged_not_excluded(campaign, doi_ngo) -> None:  # type: ignore[no-untyped-def]
    officials = Stratum.objects.select_related("form__campaign", "form__version").get(
        form__campaign=campaign, form__group="officials", unit=doi_ngo
    )
    short = {f"q{i}": "5" for i in range(1, 7)}  # PKS01: six answers, honest people answer alike
    _submit(officials, short, "a")
    again = _submit(officials, short, "b")
    assert Flag.DUPLICATE in again.flags and not again.excluded


def test_near_duplicates_and_fast_ones_are_left_out(campaign, stratum) -> None:  # type: ignore[no-untyped-def]
    _submit(stratum, pks07_answers(4, q2="5"), "a", seconds=300)
    near = _submit(stratum, pks07_answers(4, q2="3"), "b", seconds=300)  # one answer of eight differs
    assert near.flags == [Flag.NEAR_DUPLICATE] and not near.excluded
    assert all(Flag.NEAR_DUPLICATE in r.flags for r in Response.objects.filter(stratum=stratum))  # both of the pair
    fast = _submit(stratum, pks07_answers(4, q2="2"), "c", seconds=3)
    assert set(fast.flags) == {Flag.NEAR_DUPLICATE, Flag.TOO_FAST} and fast.excluded
    far = _submit(stratum, pks07_answers(4, q2="1", q3="1"), "d", seconds=300)  # two differ
    assert Flag.NEAR_DUPLICATE not in far.flags
    assert Response.objects.filter(stratum=stratum, excluded=True).count() == 1


def test_the_campaign_page_states_the_rule_and_the_count(campaign, stratum, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    _submit(stratum, pks07_answers(3, q9="Thời gian chờ còn lâu vào buổi sáng."), "a")
    _submit(stratum, pks07_answers(3, q9="Thời gian chờ còn lâu vào buổi sáng."), "b")
    body = client_for(district_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/").content.decode()
    assert "Quy tắc loại phiếu khỏi chỉ số" in body and "Phiếu bị loại khỏi chỉ số" in body
    assert "Người được mời bằng mã mời một lần" in body
