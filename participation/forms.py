"""Forms, and the one table of staff action → service the staff page and the staff API share."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from accounts.models import User
from core.forms import choice_field, model_choice_field
from participation import services
from participation.models import (
    Consultation,
    DraftKind,
    Household,
    HouseholdStatus,
    Matter,
    MatterAction,
    Method,
    OpinionChannel,
    Subject,
)
from units.models import Unit


class HouseholdForm(forms.Form):
    code = forms.CharField(label=_l("Mã hộ"), max_length=30)
    head_name = forms.CharField(label=_l("Họ tên chủ hộ"), max_length=200)
    phone = forms.CharField(label=_l("Điện thoại (không bắt buộc)"), max_length=20, required=False)
    status = forms.ChoiceField(label=_l("Tình trạng"), choices=HouseholdStatus.choices, initial=HouseholdStatus.ACTIVE)


class ImportForm(forms.Form):
    file = forms.FileField(label=_l("Tệp Excel (.xlsx) hoặc CSV: mã hộ, chủ hộ, điện thoại, tình trạng"))


class MatterForm(forms.Form):
    subject = forms.TypedChoiceField(label=_l("Nhóm nội dung (Điều 15)"), choices=Subject.choices, coerce=int)
    method = forms.ChoiceField(label=_l("Hình thức quyết định"), choices=Method.choices)
    title = forms.CharField(label=_l("Tên nội dung"), max_length=300)
    description = forms.CharField(label=_l("Nội dung chi tiết"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    options = forms.CharField(
        label=_l("Các phương án, mỗi dòng một phương án"),
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="\n".join(services.DEFAULT_OPTIONS),
    )

    def option_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]


class CommuneMatterForm(MatterForm):
    commune = forms.ModelChoiceField(label=_l("Xã, phường"), queryset=Unit.objects.none())
    field_order = ["commune", "subject", "method", "title", "description", "options"]

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communes is not None:
            model_choice_field(self, "commune").queryset = communes


def parse_day(data: Mapping[str, Any], name: str, *, required: bool = True) -> dt.date | None:
    raw = str(data.get(name) or "").strip()
    if not raw:
        if required:
            raise ValidationError({name: _("Nhập ngày (dd/mm/yyyy).")})
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar day, no time
        except ValueError:
            continue
    raise ValidationError({name: _("Ngày “%(v)s” không hợp lệ (dd/mm/yyyy).") % {"v": raw[:20]}})


def _int(data: Mapping[str, Any], name: str) -> int:
    raw = str(data.get(name) or "0").strip()
    if not raw.isdigit():
        raise ValidationError({name: _("“%(v)s” phải là số nguyên không âm.") % {"v": raw[:20]}})
    return int(raw)


def _closes_at(data: Mapping[str, Any]) -> dt.datetime:
    raw = str(data.get("closes_at") or "").strip()
    try:
        naive = dt.datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValidationError({"closes_at": _("Nhập thời điểm kết thúc biểu quyết (ngày và giờ).")}) from exc
    return timezone.make_aware(naive) if timezone.is_naive(naive) else naive


def _votes(matter: Matter, data: Mapping[str, Any]) -> dict[int, int]:
    return {o.pk: _int(data, f"votes_{o.pk}") for o in matter.options.all()}


def _households(matter: Matter, ids: list[str]) -> list[Household]:
    wanted = {int(i) for i in ids if str(i).isdigit()}
    found = list(Household.objects.filter(village=matter.village, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError(_("Có hộ không thuộc sổ hộ của thôn."))
    return found


def _record_result(matter: Matter, by: User, data: Mapping[str, Any], lists: Mapping[str, list[str]]) -> Any:
    attendance: list[tuple[Household, str]] = []
    if matter.method == Method.MEETING:
        present = _households(matter, lists.get("present", []))
        attendance = [(h, str(data.get(f"rep_{h.pk}") or h.head_name)) for h in present]
    return services.record_result(
        matter=matter,
        by=by,
        decided_on=parse_day(data, "decided_on") or timezone.localdate(),
        votes=_votes(matter, data),
        minutes=str(data.get("minutes") or ""),
        attendance=attendance,
        ballots_returned=_int(data, "ballots_returned") if matter.method == Method.BALLOT else None,
    )


Handler = Callable[[Matter, User, Mapping[str, Any], Mapping[str, list[str]]], Any]

# One table for the page's POST handler and the staff API. Opening the vote (it hands out the
# codes once, as the slips PDF) is its own edge.
STAFF_ACTION_SERVICES: dict[str, Handler] = {
    MatterAction.ANNOUNCE: lambda m, by, d, _l: services.announce_matter(
        matter=m,
        by=by,
        on=parse_day(d, "notice_on") or timezone.localdate(),
        meeting_on=parse_day(d, "meeting_on", required=False),
        closes_at=_closes_at(d) if m.method == Method.ONLINE else None,
    ),
    "agreement": lambda m, by, d, _l: services.record_online_agreement(
        matter=m,
        by=by,
        households_agreed=_int(d, "households_agreed"),
        agreed_on=parse_day(d, "agreed_on") or timezone.localdate(),
        basis=str(d.get("basis") or ""),
    ),
    MatterAction.RECORD_RESULT: _record_result,
    MatterAction.CLOSE_VOTE: lambda m, by, _d, _l: services.close_vote(matter=m, by=by),
    "paper": lambda m, by, d, lists: services.enter_paper_ballots(
        matter=m, by=by, households=_households(m, lists.get("paper", [])), votes=_votes(m, d)
    ),
    MatterAction.SEND: lambda m, by, d, _l: services.send_to_commune(matter=m, by=by, on=parse_day(d, "sent_on") or timezone.localdate()),
    MatterAction.RECOGNISE: lambda m, by, d, _l: services.recognise_matter(
        matter=m, by=by, on=parse_day(d, "recognised_on") or timezone.localdate(), reference=str(d.get("reference") or "")
    ),
    MatterAction.CANCEL: lambda m, by, d, _l: services.cancel_matter(matter=m, by=by, reason=str(d.get("reason") or "")),
}


def take_staff_action(*, action: str, matter: Matter, by: User, data: Mapping[str, Any], lists: Mapping[str, list[str]]) -> Any:
    handler = STAFF_ACTION_SERVICES.get(action)
    if handler is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    return handler(matter, by, data, lists)


class ConsultationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_l("Xã, phường"), queryset=Unit.objects.none())
    kind = forms.ChoiceField(label=_l("Loại dự thảo"), choices=DraftKind.choices)
    title = forms.CharField(label=_l("Tên dự thảo"), max_length=300)
    draft = forms.CharField(label=_l("Nội dung dự thảo"), widget=forms.Textarea(attrs={"rows": 6}))
    clauses = forms.CharField(
        label=_l("Các điều, khoản để góp ý (mỗi dòng một mục, không bắt buộc)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    published_on = forms.DateField(label=_l("Ngày công bố"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_l("Hạn góp ý"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, communes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if communes is not None:
            model_choice_field(self, "unit").queryset = communes

    def clause_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["clauses"].splitlines() if line.strip()]


class OpinionForm(forms.Form):
    clause = forms.ChoiceField(label=_l("Góp ý cho điều, khoản"), required=False)
    text = forms.CharField(label=_l("Nội dung góp ý"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    author_name = forms.CharField(label=_l("Họ tên (không bắt buộc; để trống để góp ý ẩn danh)"), max_length=200, required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, consultation: Consultation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "clause").choices = [("", _("Góp ý chung cho cả dự thảo"))] + [(c, c) for c in consultation.clauses]
        if not self.is_bound:
            self.initial["idempotency_key"] = uuid.uuid4().hex


class StaffOpinionForm(OpinionForm):
    channel = forms.ChoiceField(
        label=_l("Kênh"),
        choices=[(c.value, c.label) for c in (OpinionChannel.MEETING, OpinionChannel.BOX, OpinionChannel.HOTLINE)],
    )
    received_on = forms.DateField(label=_l("Ngày nhận"), widget=forms.DateInput(attrs={"type": "date"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)


def summary_groups(consultation: Consultation, data: Mapping[str, Any]) -> list[services.GroupAnswer]:
    """The summary form's groups: rows group_<n>_topic / _taken_up / _reason, and each opinion's
    group number in opinion_<id>."""
    members: dict[int, list[int]] = {}
    for opinion in consultation.opinions.all():
        raw = str(data.get(f"opinion_{opinion.pk}") or "")
        if raw.isdigit():
            members.setdefault(int(raw), []).append(opinion.pk)
    groups = []
    for n in range(1, SUMMARY_GROUP_ROWS + 1):
        topic = str(data.get(f"group_{n}_topic") or "").strip()
        if not topic and not members.get(n):
            continue
        groups.append(
            services.GroupAnswer(
                topic=topic,
                taken_up=str(data.get(f"group_{n}_taken_up") or "") == "1",
                reason=str(data.get(f"group_{n}_reason") or ""),
                opinion_ids=members.get(n, []),
            )
        )
    return groups


SUMMARY_GROUP_ROWS = 6
