"""Out-of-range answers, missing required answers, answers to skipped questions: refused, nothing saved."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from surveys import services
from surveys.models import InstrumentVersion, Mode, Response, Stratum
from tests.surveys.conftest import pks07_answers


def _refused(stratum: Stratum, raw: dict[str, object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        services.submit_response(stratum=stratum, raw=raw, mode=Mode.OPEN, device_id="d")
    assert not Response.objects.exists()
    stratum.refresh_from_db()
    assert stratum.received == 0
    return info.value.message_dict


def test_likert_out_of_range(stratum) -> None:  # type: ignore[no-untyped-def]
    assert "q3" in _refused(stratum, pks07_answers(q3="6"))
    assert "q4" in _refused(stratum, pks07_answers(q4="abc"))


def test_missing_required(stratum) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(stratum, pks07_answers(q1=""))
    assert errors["q1"] == ["Vui lòng trả lời câu này."]


def test_unknown_question(stratum) -> None:  # type: ignore[no-untyped-def]
    assert "q99" in _refused(stratum, pks07_answers(q99="5"))


def test_answer_to_a_skipped_question(instruments) -> None:  # type: ignore[no-untyped-def]
    version: InstrumentVersion = instruments["PKS05"]
    base = {f"q{i}": "4" for i in range(1, 6)}
    # q7 (which field) only applies when q6 = "asked"
    with pytest.raises(ValidationError) as info:
        services.validate_answers(version, {**base, "q6": "no", "q7": "land"})
    assert "q7" in info.value.message_dict
    assert services.validate_answers(version, {**base, "q6": "asked", "q7": "land"})["q7"] == "land"
    with pytest.raises(ValidationError) as info:
        services.validate_answers(version, {**base, "q6": "asked"})
    assert "q7" in info.value.message_dict  # shown and required


def test_choice_outside_the_list_and_number_range(instruments) -> None:  # type: ignore[no-untyped-def]
    pks03 = instruments["PKS03"]
    base = {"q1": "4", "q3": "4", "q4": "4", "q5": "4"}
    with pytest.raises(ValidationError) as info:
        services.validate_answers(pks03, {**base, "q2": ["board", "tivi"], "q6": "51"})
    assert set(info.value.message_dict) == {"q2", "q6"}
    with pytest.raises(ValidationError) as info:
        services.validate_answers(pks03, {**base, "q6": "nan"})
    assert "q6" in info.value.message_dict
    clean = services.validate_answers(pks03, {**base, "q2": ["portal", "board"], "q6": "3"})
    assert clean["q2"] == ["board", "portal"] and clean["q6"] == 3


def test_public_form_keeps_what_was_typed(client, stratum) -> None:  # type: ignore[no-untyped-def]
    url = f"/khao-sat/m/{stratum.open_key}/"
    client.get(url)
    response = client.post(url, {**pks07_answers(q2="7"), "q9": "Góp ý giữ lại"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Chọn một mức từ 1 đến 5." in body and "Góp ý giữ lại" in body
    assert not Response.objects.exists()
