from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.forms import YesNoField, model_choice_field
from feedback import conf, services, throttle
from feedback.models import Action, Case, Category, Channel, Finding, Kind, RatingReason, RegisterClass, Score
from units.models import Unit, UnitKind, UnitQuerySet


def commune_queryset() -> UnitQuerySet:
    """The communes in force today: the only ones a new report may be about."""
    return Unit.objects.filter(kind=UnitKind.COMMUNE).in_force()


def province_queryset() -> UnitQuerySet:
    """The provinces in force today (34 since 1 July 2025), by name."""
    return Unit.objects.filter(kind=UnitKind.PROVINCE).in_force().order_by("name")


def communes_of(province: Unit | None) -> UnitQuerySet:
    """The communes in force in `province`, by name: what the report form lists once the province
    is chosen."""
    if province is None:
        return Unit.objects.none()
    return commune_queryset().filter(path__startswith=province.path).order_by("name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > conf.MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Chỉ gửi được tối đa %(n)d tệp.") % {"n": conf.MAX_ATTACHMENTS})
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class SubmitForm(forms.Form):
    """The citizen's report. Anonymous unless the reporter ticks `give_contact`."""

    kind = forms.ChoiceField(
        label=_("Loại đơn"), choices=Kind.choices, initial=Kind.FEEDBACK, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    category = forms.ChoiceField(
        label=_("Lĩnh vực"), choices=Category.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"})
    )
    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=Unit.objects.none(), required=False)
    unit = forms.ModelChoiceField(
        label=_("Xã, phường, thị trấn được phản ánh"),
        queryset=Unit.objects.none(),
        error_messages={
            "required": _("Chọn xã, phường, thị trấn được phản ánh."),
            "invalid_choice": _("Không tìm thấy đơn vị này, vui lòng chọn lại."),
        },
    )
    about_officials = YesNoField(label=_("Phản ánh về hành vi của cán bộ, lãnh đạo xã"), required=False)
    description = forms.CharField(
        label=_("Nội dung phản ánh"),
        min_length=10,
        max_length=conf.MAX_DESCRIPTION_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Nhập nội dung phản ánh."),
            "min_length": _("Nội dung phản ánh cần ít nhất 10 ký tự."),
            "max_length": _("Nội dung phản ánh dài %(show_value)d ký tự, vượt giới hạn %(limit_value)d ký tự. Vui lòng rút gọn."),
        },
    )
    # A declared field: the form's metaclass moves it into base_fields, so `self.files` stays the
    # uploaded files (django-stubs cannot tell the two apart).
    files = MultipleFileField(  # type: ignore[assignment]  # see the comment above
        label=_("Ảnh hoặc tệp PDF (tối đa 3 tệp, mỗi tệp đến 5 MB)"),
    )
    give_contact = forms.BooleanField(label=_("Tôi muốn để lại thông tin liên hệ"), required=False)
    name = forms.CharField(label=_("Họ và tên"), required=False, max_length=200)
    phone = forms.CharField(
        label=_("Điện thoại"), required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"})
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False, error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    allow_publication = YesNoField(
        label=_("Đồng ý công khai nội dung (đã lược bỏ thông tin cá nhân) và câu trả lời"), required=False, initial=True
    )
    # A field people never see and robots fill in.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    started = forms.CharField(widget=forms.HiddenInput)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "province").queryset = province_queryset()
        # Every commune, the abolished ones included: a posted id of a commune no longer in force
        # reaches the service, which refuses it and names the successor to offer (the page lists
        # only communes in force).
        model_choice_field(self, "unit").queryset = Unit.objects.filter(kind=UnitKind.COMMUNE)
        if not self.is_bound:
            self.initial.setdefault("started", throttle.form_started_token())
            self.initial.setdefault("idempotency_key", uuid.uuid4().hex)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("website"):
            raise forms.ValidationError(_("Không gửi được phản ánh. Vui lòng tải lại trang và thử lại."))
        if not throttle.filled_by_person(data.get("started", "")):
            raise forms.ValidationError(_("Biểu mẫu được gửi quá nhanh hoặc đã quá cũ. Vui lòng kiểm tra lại nội dung và bấm Gửi lần nữa."))
        if data.get("give_contact") and not (data.get("name") or data.get("phone") or data.get("email")):
            self.add_error("name", _("Bạn đã chọn để lại liên hệ: nhập họ tên, điện thoại hoặc thư điện tử."))
        return data

    def contact(self) -> dict[str, str]:
        if not self.cleaned_data.get("give_contact"):
            return {}
        return {k: self.cleaned_data.get(k) or "" for k in ("name", "phone", "email")}

    def selected_unit(self) -> Unit | None:
        """The commune the reporter picked (posted, or `?unit=` from the search page), if any."""
        try:
            return Unit.objects.filter(kind=UnitKind.COMMUNE, pk=int(self.data.get("unit") or self.initial.get("unit") or 0)).first()
        except (TypeError, ValueError):
            return None

    def selected_province(self) -> Unit | None:
        """The province whose communes the form lists: the one chosen, else the selected commune's
        (as it is in force today)."""
        try:
            chosen = int(self.data.get("province") or self.initial.get("province") or 0)
        except (TypeError, ValueError):
            chosen = 0
        if chosen:
            found = province_queryset().filter(pk=chosen).first()
            if found is not None:
                return found
        unit = self.selected_unit()
        if unit is not None:
            from units.structure import current_unit

            current = current_unit(unit) or unit
            return province_queryset().filter(pk__in=current.ancestor_ids()).first()
        return None


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"})
    )


class AddInfoForm(forms.Form):
    text = forms.CharField(label=_("Thông tin bổ sung"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    files = MultipleFileField(  # type: ignore[assignment]  # a declared field, see SubmitForm.files
        label=_("Ảnh hoặc tệp PDF bổ sung")
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Vì sao vấn đề chưa được giải quyết?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class StaffActionForm(forms.Form):
    action = forms.ChoiceField(choices=Action.choices, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    register_class = forms.ChoiceField(
        label=_("Phân loại theo Nghị định 20/2008"), required=False, choices=[("", "—"), *RegisterClass.choices[1:]]
    )
    finding = forms.ChoiceField(label=_("Kết luận"), required=False, choices=[("", "—"), *Finding.choices])
    to_unit = forms.ModelChoiceField(label=_("Đơn vị nhận"), required=False, queryset=Unit.objects.none())
    assignee: forms.ModelChoiceField[User] = forms.ModelChoiceField(label=_("Cán bộ xử lý"), required=False, queryset=None)
    note_for_reporter = forms.BooleanField(label=_("Gửi ghi chú này cho người phản ánh (mặc định là ghi chú nội bộ)"), required=False)
    public_summary = forms.CharField(
        label=_("Tóm tắt phản ánh để công khai (tự viết, không chép nguyên văn, không có thông tin cá nhân)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    public_answer = forms.CharField(
        label=_("Trả lời để công khai (tự viết, không có họ tên, điện thoại, số giấy tờ)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_about_officials = forms.BooleanField(
        label=_("Tôi xác nhận nội dung về cán bộ đã được xác minh và phần công khai không nêu tên cán bộ"), required=False
    )

    def __init__(self, *args: Any, units: Any = None, users: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_unit").queryset = units if units is not None else Unit.objects.none()
        model_choice_field(self, "assignee").queryset = users if users is not None else User.objects.none()


# The edges' one table of staff actions: the page's POST handler and the JSON API both read an
# action and its fields (the cleaned StaffActionForm, or the API payload with its objects loaded)
# and call the one service for it. Each service checks permission, state and its own input.
StaffActionService = Callable[[Case, Any, Mapping[str, Any]], Case]
STAFF_ACTION_SERVICES: dict[str, StaffActionService] = {
    Action.ACCEPT: lambda case, by, d: services.accept_case(
        case=case, by=by, register_class=d["register_class"], note=d["note"], note_for_reporter=d["note_for_reporter"]
    ),
    Action.DECLINE: lambda case, by, d: services.decline_case(case=case, by=by, reason=d["note"]),
    Action.ASSIGN: lambda case, by, d: services.assign_case(
        case=case, by=by, assignee=d["assignee"], note=d["note"], note_for_reporter=d["note_for_reporter"]
    ),
    Action.START: lambda case, by, d: services.start_case(case=case, by=by, note=d["note"], note_for_reporter=d["note_for_reporter"]),
    Action.TRANSFER: lambda case, by, d: services.transfer_case(
        case=case, by=by, to_unit=d["to_unit"], note=d["note"], note_for_reporter=d["note_for_reporter"]
    ),
    Action.REQUEST_INFO: lambda case, by, d: services.request_information(case=case, by=by, question=d["note"]),
    Action.ANSWER: lambda case, by, d: services.answer_case(case=case, by=by, answer=d["note"], finding=d.get("finding") or ""),
    Action.CLOSE: lambda case, by, d: services.close_case(case=case, by=by, note=d["note"], note_for_reporter=d["note_for_reporter"]),
    Action.REOPEN: lambda case, by, d: services.reopen_case(case=case, by=by, note=d["note"], note_for_reporter=d["note_for_reporter"]),
    Action.PUBLISH: lambda case, by, d: services.publish_case(
        case=case,
        by=by,
        public_summary=d["public_summary"],
        public_answer=d["public_answer"],
        confirm_about_officials=d["confirm_about_officials"],
        note_for_reporter=d["note_for_reporter"],
    ),
}


def take_staff_action(*, case: Case, by: User, data: Mapping[str, Any]) -> Case:
    """Run the service for `data["action"]`; an action that is not a staff action is refused."""
    service = STAFF_ACTION_SERVICES.get(data.get("action", ""))
    if service is None:
        raise ValidationError(gettext("Thao tác không hợp lệ."))
    return service(case, by, data)


class UnitWithValidityField(forms.ModelChoiceField):  # type: ignore[type-arg]  # ModelChoiceField[Unit] is not subscriptable at runtime
    """A unit choice that says when a unit of the earlier list stopped being in force."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.valid_to is not None:
            return gettext("%(name)s (đến %(day)s)") % {"name": obj.name, "day": obj.valid_to.strftime("%d/%m/%Y")}
        return str(obj.name)


class EnterCaseForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        choices=[c for c in Channel.choices if c[0] in (Channel.PAPER, Channel.PHONE, Channel.EMAIL, Channel.MEETING)],
    )
    received_on = forms.DateField(
        label=_("Ngày tiếp nhận"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("Ngày nhận đơn, cuộc gọi hoặc thư (để trống là hôm nay); xã được phản ánh phải còn hiệu lực vào ngày này."),
        error_messages={"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Kind.choices)
    category = forms.ChoiceField(label=_("Lĩnh vực"), choices=Category.choices)
    unit = UnitWithValidityField(label=_("Xã được phản ánh"), queryset=Unit.objects.none())
    about_officials = forms.BooleanField(label=_("Về hành vi của cán bộ, lãnh đạo xã"), required=False)
    description = forms.CharField(label=_("Nội dung"), min_length=10, widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=_("Họ và tên người phản ánh (nếu có)"), required=False, max_length=200)
    phone = forms.CharField(label=_("Điện thoại (nếu có)"), required=False, max_length=20)
    email = forms.EmailField(label=_("Thư điện tử (nếu có)"), required=False)
    allow_publication = forms.BooleanField(label=_("Người phản ánh đồng ý công khai"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units

    def clean_received_on(self) -> Any:
        from django.utils import timezone

        day = self.cleaned_data.get("received_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("Ngày tiếp nhận không được sau hôm nay."))
        return day


class RoutingRuleForm(forms.Form):
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False, choices=[("", _("Mọi lĩnh vực")), *Category.choices])
    unit = forms.ModelChoiceField(label=_("Địa bàn (tỉnh, xã)"), queryset=Unit.objects.none())
    responsible_unit = forms.ModelChoiceField(label=_("Đơn vị xử lý"), queryset=Unit.objects.none())
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units
        model_choice_field(self, "responsible_unit").queryset = units


class DeadlineForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    working_days = forms.IntegerField(label=_("Số ngày làm việc"), min_value=1, max_value=90)
    source = forms.CharField(label=_("Căn cứ"), max_length=300)


class CounterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Xã, phường, thị trấn"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Tên quầy"), max_length=200)
    officer_name = forms.CharField(label=_("Cán bộ trực (nếu có)"), required=False, max_length=200)
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "unit").queryset = units


class RatingForm(forms.Form):
    score = forms.ChoiceField(choices=Score.choices)
    reasons = forms.MultipleChoiceField(
        label=_("Lý do (nếu có)"), required=False, choices=RatingReason.choices, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
