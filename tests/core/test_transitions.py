"""core.transitions: a (state, action) → state table, one `move` that refuses in Vietnamese any
move not in the table; used by every lifecycle."""

import pytest
from django.core.exceptions import ValidationError

from certification.models import TRANSITIONS as FILE_TRANSITIONS
from core import transitions
from feedback.models import TRANSITIONS as CASE_TRANSITIONS
from surveys.models import CAMPAIGN_TRANSITIONS, VERSION_TRANSITIONS

DOOR = transitions.table([(("closed",), "open", "opened"), (("opened",), "close", "closed"), (("opened", "closed"), "knock", None)])


def test_table_lists_each_source_state_and_none_keeps_the_state():
    assert DOOR == {
        ("closed", "open"): "opened",
        ("opened", "close"): "closed",
        ("opened", "knock"): "opened",
        ("closed", "knock"): "closed",
    }


def test_move_returns_the_target_state():
    assert transitions.move(DOOR, "closed", "open") == "opened"


def test_a_move_not_in_the_table_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as err:
        transitions.move(DOOR, "closed", "close")
    assert "Không thể" in err.value.messages[0]
    with pytest.raises(ValidationError) as err:
        transitions.move(DOOR, "closed", "close", refusal="Cửa đang đóng.")
    assert err.value.messages == ["Cửa đang đóng."]


def test_allowed_actions_and_all_actions():
    assert transitions.allowed_actions(DOOR, "closed") == {"open", "knock"}
    assert transitions.actions(DOOR) == {"open", "close", "knock"}
    assert transitions.can_move(DOOR, "opened", "close") and not transitions.can_move(DOOR, "opened", "open")


@pytest.mark.parametrize("table", [CASE_TRANSITIONS, FILE_TRANSITIONS, CAMPAIGN_TRANSITIONS, VERSION_TRANSITIONS])
def test_every_lifecycle_is_a_table_of_the_same_shape(table):
    assert table and all(isinstance(k, tuple) and len(k) == 2 and isinstance(v, str) for k, v in table.items())
