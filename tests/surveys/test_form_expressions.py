"""A form read from XLSForm is answered as it says: group and question relevance, constraints with
their messages in the respondent's language, integers, dates, notes and calculations; the
questionnaire shows every language the form carries."""

from __future__ import annotations

import io
import math

import pytest
from django.core.exceptions import ValidationError

from surveys import expressions, forms, services, xlsform
from tests.surveys.test_xlsform_pyxform import RICH, RICH_CHOICES, RICH_SETTINGS, _workbook

VI, EN = "Tiếng Việt (vi)", "English (en)"


def test_expressions_follow_xpath_values() -> None:
    answers = {"used": ["civil", "land"], "members": 4, "area": 200.0, "name": ""}
    assert expressions.holds("selected(${used}, 'land') and count-selected(${used}) = 2", answers)
    assert not expressions.holds("selected(${used}, 'lan')", answers)
    assert expressions.evaluate(expressions.parse("${area} div ${members}"), answers) == 50.0
    assert expressions.holds("${name} = ''", answers) and not expressions.holds("${members} > 4", answers)
    assert math.isnan(expressions.evaluate(expressions.parse("${name} + 1"), answers))
    assert not expressions.holds("${name} >= 0", answers)  # NaN compares false
    assert expressions.holds(". >= 1 and . <= 9", {}, 3) and not expressions.holds(". >= 1", {}, 0)
    assert expressions.display(expressions.evaluate(expressions.parse("round(10 div 3, 2)"), {})) == "3.33"
    assert expressions.holds("regex(., '^[0-9]{4}$')", {}, "2026") and not expressions.holds("not(true())", {})
    with pytest.raises(expressions.ExpressionError, match="today"):
        expressions.parse("today() > 1")
    with pytest.raises(expressions.ExpressionError):
        expressions.parse("${a} = ")


@pytest.fixture
def rich(province_officer):  # type: ignore[no-untyped-def]
    return xlsform.import_xlsform(by=province_officer, upload=io.BytesIO(_workbook(RICH, RICH_CHOICES, RICH_SETTINGS)), code="THU")


def _answers(**extra: object) -> dict[str, object]:
    return {"members": "3", "used": ["civil"], "satisfied": "2", **extra}


@pytest.mark.django_db
def test_group_relevance_hides_and_requires_only_when_shown(rich) -> None:  # type: ignore[no-untyped-def]
    clean = services.validate_answers(rich, _answers())
    assert clean == {"members": 3, "used": ["civil"], "satisfied": "2"}
    with pytest.raises(ValidationError) as info:
        services.validate_answers(rich, _answers(area="12"))  # the land group is hidden
    assert "area" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.validate_answers(rich, _answers(used=["land"]))  # shown now, and area is required
    assert set(info.value.message_dict) == {"area"}
    clean = services.validate_answers(rich, _answers(used=["land"], area="150.5", applied="2026-11-30"))
    assert clean["area"] == 150.5 and clean["applied"] == "2026-11-30"
    assert services.calculated(rich, clean) == {"per_head": "50.166666666666664"}


@pytest.mark.django_db
def test_constraints_answer_in_the_respondents_language(rich) -> None:  # type: ignore[no-untyped-def]
    for language, message in ((VI, "Ít nhất 1 người"), (EN, "At least 1")):
        with pytest.raises(ValidationError) as info:
            services.validate_answers(rich, _answers(members="0"), language=language)
        assert info.value.message_dict["members"] == [message]
    with pytest.raises(ValidationError) as info:
        services.validate_answers(rich, _answers(members="2.5"))
    assert info.value.message_dict["members"] == ["Nhập một số nguyên."]
    with pytest.raises(ValidationError) as info:
        services.validate_answers(rich, _answers(used=["civil", "land"], area="5", comment="x" * 501), language=EN)
    assert info.value.message_dict["comment"] == ["At most 500 characters"]
    with pytest.raises(ValidationError) as info:
        services.validate_answers(rich, _answers(consent="đồng ý"))  # a note takes no answer
    assert "consent" in info.value.message_dict


@pytest.mark.django_db
def test_the_questionnaire_shows_each_language(rich) -> None:  # type: ignore[no-untyped-def]
    assert forms.language_choices(rich) == [(VI, VI), (EN, EN)]
    english = forms.question_items(rich, language=EN)
    items = {it["q"].code: it for block in english for it in block["items"]}
    assert items["members"]["label"] == "Household size" and items["members"]["hint"] == "Children included"
    assert [o["label"] for o in items["used"]["options"]] == ["Land", "Civil status"]
    assert items["area"]["headings"] == ["Land"] and items["applied"]["headings"] == []
    assert english[1]["title"] == "Household"
    vietnamese = forms.question_items(rich, language="klingon")  # unknown: the form's default
    assert {it["q"].code: it for block in vietnamese for it in block["items"]}["members"]["label"] == "Số người trong hộ"
