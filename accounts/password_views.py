"""Officials change their own password (after the second factor) or reset a forgotten one by a link
mailed to the account's address: Django's flows, Vietnamese pages, the write through
accounts.services, reset requests rate-limited per client address and per e-mail address, and the
same answer whether or not an account has the address."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.crypto import salted_hmac
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts import services
from accounts.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from accounts.models import User
from accounts.permissions import staff_view
from core import ratelimit
from core.client_address import client_address


def _reset_key(value: str) -> str:
    # The bucket row is stored: a keyed hash, never an address in clear.
    return salted_hmac("accounts.password-reset", value).hexdigest()[:32]


@method_decorator(staff_view, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        user = form.user  # the view builds the form with request.user
        services.set_password(user=user, by=user, password=form.cleaned_data["new_password1"], reason=_("Tự đổi mật khẩu"))
        update_session_auth_hash(self.request, user)
        return super(auth_views.PasswordChangeView, self).form_valid(form)  # skip Django's own save


@method_decorator(staff_view, name="dispatch")
class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: auth_forms.PasswordResetForm) -> HttpResponse:
        limit = settings.PASSWORD_RESET_REQUESTS_PER_HOUR
        email = form.cleaned_data["email"].strip().lower()
        # Both counters move on every request, whether or not an account has the address, so the
        # answer says nothing about who has an account.
        wait_address = ratelimit.take(ratelimit.Rate("password-reset:address", limit, limit), _reset_key(client_address(self.request)))
        wait_email = ratelimit.take(ratelimit.Rate("password-reset:email", limit, limit), _reset_key(email))
        wait = max(wait_address, wait_email)
        if wait:
            form.add_error(None, _("Đã có quá nhiều yêu cầu đặt lại mật khẩu. Vui lòng thử lại sau một giờ."))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(wait)
            return response
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(never_cache, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: auth_forms.SetPasswordForm[User]) -> HttpResponse:
        user = form.user
        services.set_password(user=user, by=user, password=form.cleaned_data["new_password1"], reason=_("Đặt lại mật khẩu qua thư"))
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return super(auth_views.PasswordResetConfirmView, self).form_valid(form)  # skip Django's own save


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
