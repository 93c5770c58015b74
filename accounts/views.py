"""Sign-in with a second factor, two-factor enrolment, and the staff home page."""

from __future__ import annotations

import base64
import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.actors import AuthenticatedHttpRequest
from accounts.forms import LoginForm, OtpForm
from accounts.models import EnrolmentLink, RoleAssignment
from accounts.permissions import PROVINCE_ADMIN_ROLES, can_view_audit, has_staff_role, is_verified, staff_view
from accounts.scope import role_roots
from core.models import AuditEntry

_NEXT = "_login_next"
_ENROL = "_enrolment_link"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        # A pending enrolment link (e.g. the first superuser's, who has no role yet) leads to the
        # setup page too.
        if settings.OTP_REQUIRED and (has_staff_role(user) or _ENROL in self.request.session):
            nxt = self.get_redirect_url()
            if nxt:
                self.request.session[_NEXT] = nxt
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                return redirect("accounts:otp")
            return redirect("accounts:otp_setup")
        return response


def _after_verified(request: HttpRequest) -> HttpResponse:
    nxt = request.session.pop(_NEXT, "")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(nxt)
    return redirect("accounts:home")


def _check_code(form: OtpForm, device: TOTPDevice) -> bool:
    """Verify the code, honouring the device's throttling (each failure doubles the wait)."""
    allowed, _data = device.verify_is_allowed()
    if not allowed:
        form.add_error("token", _("Bạn đã nhập sai nhiều lần. Vui lòng chờ ít giây rồi thử lại."))
        return False
    if device.verify_token(form.cleaned_data["token"]):
        return True
    form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại và thử lại."))
    return False


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    if is_verified(request.user):
        return _after_verified(request)
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_setup")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        otp_login(request, device)
        return _after_verified(request)
    return render(request, "accounts/otp.html", {"form": form})


def _qr_svg(uri: str) -> str:
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@never_cache
@require_http_methods(["GET"])
def enrol(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link an administrator issued: remembered in the session, then the official signs
    in with their password and sets up the authenticator app."""
    link = EnrolmentLink.find_valid(token)
    if link is None or (request.user.is_authenticated and request.user.pk != link.user_id):
        return render(request, "accounts/enrol_invalid.html", status=404)
    request.session[_ENROL] = link.pk
    if request.user.is_authenticated:
        return redirect("accounts:otp_setup")
    messages.info(request, _("Đăng nhập bằng mật khẩu để thiết lập ứng dụng xác thực."))
    return redirect("accounts:login")


def _enrolment_link(request: AuthenticatedHttpRequest) -> EnrolmentLink | None:
    pk = request.session.get(_ENROL)
    link = EnrolmentLink.objects.filter(pk=pk, user=request.user).first() if pk else None
    return link if link is not None and link.is_valid else None


@never_cache  # the page shows the authenticator's secret
@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator app with an administrator's one-time link: show the QR code and
    secret, confirm with one code. A password alone never enrols a second factor."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp")
    link = _enrolment_link(request)
    if link is None:
        return render(request, "accounts/otp_setup_needs_link.html", status=403)
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=request.user, name=_("Ứng dụng xác thực"), confirmed=False)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check_code(form, device):
        try:
            services.confirm_enrolment(link=link, device=device, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        else:
            request.session.pop(_ENROL, None)
            otp_login(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp cho tài khoản."))
            return _after_verified(request)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_svg(device.config_url), "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))},
    )


@staff_view
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    assignments = RoleAssignment.objects.filter(user=request.user).select_related("unit", "unit__parent").order_by("unit__path")
    return render(request, "accounts/home.html", {"assignments": assignments, "can_view_audit": can_view_audit(request.user)})


def no_role(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/no_role.html", status=403)


@staff_view
def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail for province staff: filter by record type, actor and date; newest first."""
    if not can_view_audit(request.user):
        raise PermissionDenied
    roots = role_roots(request.user, PROVINCE_ADMIN_ROLES)
    entries = AuditEntry.objects.select_related("actor")
    scope = Q(unit_path="")
    for root in roots:
        scope |= Q(unit_path__startswith=root.path)
    entries = entries.filter(scope)
    model = request.GET.get("model", "")
    if model:
        entries = entries.filter(model_label=model)
    actor = request.GET.get("actor", "").strip()
    if actor:
        entries = entries.filter(Q(actor_label__icontains=actor))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    models = AuditEntry.objects.order_by("model_label").values_list("model_label", flat=True).distinct()
    return render(request, "accounts/audit_list.html", {"page": page, "models": models, "model": model, "actor": actor})
