"""The clocks of a disclosure: when it falls due (working days after the document's date, on the
province's calendar), how long each posting must stay up, and whether the loudspeaker readings ran
on enough consecutive days. Pure rules over the obligation's numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from core.workdays import Deadline, WorkingCalendar, province_calendar
from disclosure.models import Obligation, Posting


def due(document_date: dt.date, obligation: Obligation, calendar: WorkingCalendar | None = None) -> Deadline:
    return (calendar or province_calendar()).deadline(document_date, obligation.deadline_working_days)


def reasoning(deadline: Deadline, obligation: Obligation) -> str:
    return _("Hạn %(due)s: %(how)s (%(source)s).") % {
        "due": f"{deadline.due:%d/%m/%Y}",
        "how": deadline.explanation(),
        "source": obligation.deadline_source,
    }


def posting_required_until(posting: Posting, obligation: Obligation) -> dt.date | None:
    """The last day the posting must still be up; None when it stays up permanently."""
    if obligation.permanent:
        return None
    return posting.started_on + dt.timedelta(days=max(obligation.min_posting_days, 1) - 1)


def is_short(posting: Posting, obligation: Obligation) -> bool:
    """Taken down before the required period ended (a permanent posting may never be taken down)."""
    if posting.ended_on is None:
        return False
    until = posting_required_until(posting, obligation)
    return until is None or posting.ended_on < until


def longest_run(days: Iterable[dt.date]) -> int:
    """The longest run of consecutive days."""
    ordered = sorted(set(days))
    best = run = 0
    previous: dt.date | None = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == dt.timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


def loudspeaker_met(days: Iterable[dt.date], obligation: Obligation) -> bool:
    return obligation.loudspeaker_days == 0 or longest_run(days) >= obligation.loudspeaker_days
