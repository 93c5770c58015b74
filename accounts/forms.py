from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.forms import choice_field


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(label=_("Mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị khoá."),
    }


class OtpForm(forms.Form):
    token = forms.RegexField(
        label=_("Mã xác thực 6 số"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Mã xác thực gồm đúng 6 chữ số.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"]
        return token.strip()


class DateField(forms.DateField):
    widget = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%d/%m/%Y", "%Y-%m-%d"])
        kwargs.setdefault("error_messages", {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
        super().__init__(**kwargs)


def _unit_field(units: QuerySet[Any]) -> forms.ModelChoiceField[Any]:
    field: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Đơn vị"), queryset=units)
    # Django's per-field hook for option labels: indent each unit under its parent (provinces, one
    # level below the national root, are not indented).
    field.label_from_instance = lambda obj: ("— " * max(obj.depth - 1, 0)) + obj.name  # type: ignore[method-assign]
    return field


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"))
    unit: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)

    def __init__(self, *args: Any, units: QuerySet[Any], **kwargs: Any) -> None:
        from accounts.models import Role

        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = Role.choices
        self.fields["unit"] = _unit_field(units)


class UserCreateForm(GrantRoleForm):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[a-z0-9._-]{3,150}$",
        error_messages={"invalid": _("Chỉ dùng chữ thường không dấu, số, dấu chấm, gạch ngang; 3–150 ký tự.")},
    )
    last_name = forms.CharField(label=_("Họ và tên đệm"), max_length=150)
    first_name = forms.CharField(label=_("Tên"), max_length=150)
    job_title = forms.CharField(label=_("Chức vụ"), max_length=200, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.RegexField(
        label=_("Điện thoại"), regex=r"^[0-9 +.]{8,20}$", required=False, error_messages={"invalid": _("Số điện thoại không hợp lệ.")}
    )
    password1 = forms.CharField(
        label=_("Mật khẩu ban đầu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    field_order = ["username", "last_name", "first_name", "job_title", "email", "phone", "unit", "role", "password1", "password2"]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không khớp."))
        return data


TOKEN_LIFETIMES = (7, 30, 90, 180, 365)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên khoá"), max_length=100, help_text=_("Ví dụ: ứng dụng báo cáo của xã."))
    lifetime_days = forms.TypedChoiceField(label=_("Thời hạn"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from django.conf import settings

        super().__init__(*args, **kwargs)
        days = sorted({d for d in TOKEN_LIFETIMES if d <= settings.API_TOKEN_MAX_DAYS} | {settings.API_TOKEN_DEFAULT_DAYS})
        choice_field(self, "lifetime_days").choices = [(d, _("%(n)s ngày") % {"n": d}) for d in days]
        self.fields["lifetime_days"].initial = settings.API_TOKEN_DEFAULT_DAYS


class CalendarDayForm(forms.Form):
    date = DateField(label=_("Ngày"))
    kind = forms.ChoiceField(label=_("Loại điều chỉnh"))
    reason = forms.CharField(label=_("Lý do, văn bản"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from core.models import CalendarDay

        super().__init__(*args, **kwargs)
        choice_field(self, "kind").choices = CalendarDay.Kind.choices


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with Vietnamese labels; the view saves through accounts.services."""

    error_messages = {
        **auth_forms.SetPasswordForm.error_messages,
        "password_incorrect": _("Mật khẩu hiện tại không đúng."),
        "password_mismatch": _("Hai mật khẩu mới không khớp."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Mật khẩu hiện tại")
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password1"].help_text = _("Ít nhất 10 ký tự, không quá giống tên đăng nhập, không chỉ gồm chữ số.")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]  # not subscriptable at runtime
    error_messages = {**auth_forms.SetPasswordForm.error_messages, "password_mismatch": _("Hai mật khẩu mới không khớp.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Mật khẩu mới")
        self.fields["new_password1"].help_text = _("Ít nhất 10 ký tự, không quá giống tên đăng nhập, không chỉ gồm chữ số.")
        self.fields["new_password2"].label = _("Nhập lại mật khẩu mới")


class PasswordResetForm(auth_forms.PasswordResetForm):
    """The reset e-mail goes through the outbox (retried until the mail server accepts it); the
    answer is the same whether or not an account has the address."""

    email = forms.EmailField(
        label=_("Thư điện tử của tài khoản"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, object],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.db import transaction
        from django.template import loader
        from django.urls import reverse

        from core.outbox import queue_message

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        # The body (the template) carries the same link: the message is left as it is.
        link = f"{context['protocol']}://{context['domain']}" + reverse(
            "accounts:password_reset_confirm", args=[context["uid"], context["token"]]
        )
        with transaction.atomic():
            queue_message(recipient=to_email, subject=subject, body=body, link=link)
