"""One way to state a lifecycle. Each lifecycle (a feedback case, a commune's certification file, a
survey campaign, a questionnaire version) keeps one table of its allowed moves,
`(state, action) → state`, next to its state enum; services move a record only through `move`, and
pages ask `allowed_actions` which buttons to show. A move that is not in the table is refused with
a Vietnamese message and changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Transitions = Mapping[tuple[str, str], str]


def table(moves: Iterable[tuple[Iterable[str], str, str | None]]) -> dict[tuple[str, str], str]:
    """Build a table from `(states it may start from, action, state it leads to)` rows; a target of
    None keeps the state (a step that is recorded but does not move the record)."""
    result: dict[tuple[str, str], str] = {}
    for sources, action, target in moves:
        for state in sources:
            result[(str(state), str(action))] = str(target if target is not None else state)
    return result


def move(transitions: Transitions, state: str, action: str, *, refusal: str | None = None) -> str:
    """The state `action` leads to from `state`, or a ValidationError with `refusal` (a clear
    Vietnamese sentence naming the record's state; a generic one if not given)."""
    target = transitions.get((state, action))
    if target is None:
        raise ValidationError(refusal or _("Không thể thực hiện thao tác này ở trạng thái hiện tại."))
    return target


def can_move(transitions: Transitions, state: str, action: str) -> bool:
    return (state, action) in transitions


def allowed_actions(transitions: Transitions, state: str) -> set[str]:
    """The actions that may be taken from `state`."""
    return {action for (source, action) in transitions if source == state}


def actions(transitions: Transitions) -> set[str]:
    """Every action the lifecycle knows."""
    return {action for (_source, action) in transitions}
