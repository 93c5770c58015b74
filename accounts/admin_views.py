"""The province's administration pages: officials' accounts and roles, the user's own API tokens,
and the province's working calendar. Every write goes through accounts.services."""

from __future__ import annotations

import holidays
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts import services
from accounts.actors import AuthenticatedHttpRequest
from accounts.forms import CalendarDayForm, GrantRoleForm, TokenForm, UserCreateForm
from accounts.models import ApiToken, RoleAssignment, User
from accounts.permissions import PROVINCE_ADMIN_ROLES, can_administer_account, can_manage_accounts, can_manage_calendar, staff_view
from accounts.scope import scope_queryset, visible_units
from core.forms import apply_validation_error
from core.models import CalendarDay
from units.models import Unit, UnitKind


def _admin_units(user: User) -> QuerySet[Unit]:
    return (
        # Roles are granted today, on units in force today.
        Unit.objects.in_force()
        .filter(pk__in=visible_units(user, PROVINCE_ADMIN_ROLES).values("pk"))
        .filter(kind__in=[UnitKind.PROVINCE, UnitKind.DISTRICT, UnitKind.COMMUNE])
        .order_by("path")
    )


def _managed_users(actor: User) -> QuerySet[User]:
    assignments = scope_queryset(RoleAssignment.objects.all(), actor, roles=PROVINCE_ADMIN_ROLES)
    return User.objects.filter(pk__in=assignments.values("user_id"))


def _require_accounts(request: AuthenticatedHttpRequest) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied


@staff_view
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_accounts(request)
    users = _managed_users(request.user).prefetch_related(
        Prefetch("role_assignments", queryset=RoleAssignment.objects.select_related("unit").order_by("unit__path"))
    )
    text = request.GET.get("q", "").strip()
    if text:
        users = users.filter(Q(username__icontains=text) | Q(last_name__icontains=text) | Q(first_name__icontains=text))
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": text})


@staff_view
def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_accounts(request)
    form = UserCreateForm(request.POST or None, units=_admin_units(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                by=request.user, unit=data["unit"], role=data["role"], username=data["username"], password=data["password1"], data=data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã tạo tài khoản %(u)s.") % {"u": user.username})
            _issue_enrolment_link(request, user)
            return redirect("accounts:user", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


_ENROLMENT_SHOWN = "_enrolment_link_shown"


def _issue_enrolment_link(request: AuthenticatedHttpRequest, user: User) -> None:
    """Issue the account's one-time enrolment link and keep it for one display on the account page
    (it is also mailed when the account has an e-mail address)."""
    raw = services.issue_enrolment_link(user=user, by=request.user, site_url=request.build_absolute_uri("/"))
    request.session[_ENROLMENT_SHOWN] = {"user": user.pk, "url": request.build_absolute_uri(reverse("accounts:enrol", args=[raw]))}


def _managed_user(request: AuthenticatedHttpRequest, pk: int) -> User:
    _require_accounts(request)
    return get_object_or_404(_managed_users(request.user), pk=pk)


@never_cache  # may show a new enrolment link once
@staff_view
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = _managed_user(request, pk)
    form = GrantRoleForm(request.POST or None, units=_admin_units(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(user=user, unit=form.cleaned_data["unit"], role=form.cleaned_data["role"], by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            apply_validation_error(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Đã cấp quyền."))
            return redirect("accounts:user", pk=user.pk)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "account": user,
            "assignments": user.role_assignments.select_related("unit").order_by("unit__path"),
            "form": form,
            "has_2fa": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
            "can_administer": can_administer_account(request.user, user),
            "enrolment_url": _pop_enrolment_url(request, user),
            "enrolment_hours": settings.TWO_FACTOR_ENROLMENT_HOURS,
        },
    )


def _pop_enrolment_url(request: AuthenticatedHttpRequest, user: User) -> str:
    shown = request.session.get(_ENROLMENT_SHOWN)
    if not shown or shown.get("user") != user.pk:
        return ""
    del request.session[_ENROLMENT_SHOWN]
    return str(shown["url"])


@staff_view
@require_POST
def role_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_accounts(request)
    assignment = get_object_or_404(
        scope_queryset(RoleAssignment.objects.select_related("unit", "user"), request.user, roles=PROVINCE_ADMIN_ROLES), pk=pk
    )
    services.revoke_role(assignment=assignment, by=request.user, reason=request.POST.get("reason", "")[:500])
    messages.success(request, _("Đã thu hồi quyền."))
    return redirect("accounts:user", pk=assignment.user_id)


@staff_view
@require_POST
def user_set_active(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(user=user, by=request.user, active=active, reason=request.POST.get("reason", "")[:500])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã mở khoá tài khoản.") if active else _("Đã khoá tài khoản."))
    return redirect("accounts:user", pk=user.pk)


@staff_view
@require_POST
def user_reset_2fa(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = _managed_user(request, pk)
    try:
        services.reset_two_factor(user=user, by=request.user, reason=request.POST.get("reason", "")[:500])
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        _issue_enrolment_link(request, user)
        messages.success(request, _("Đã huỷ thiết bị xác thực; người dùng thiết lập lại bằng đường dẫn dưới đây."))
    return redirect("accounts:user", pk=user.pk)


@staff_view
@require_POST
def user_enrolment_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A new one-time enrolment link (the earlier one expired or was lost)."""
    user = _managed_user(request, pk)
    try:
        _issue_enrolment_link(request, user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã cấp đường dẫn thiết lập xác thực hai lớp mới."))
    return redirect("accounts:user", pk=user.pk)


@never_cache  # the new token is shown on this page once: no copy may stay in a cache
@staff_view
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, raw = services.issue_api_token(
                user=request.user, by=request.user, name=form.cleaned_data["name"], lifetime_days=form.cleaned_data["lifetime_days"]
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at")
    return render(request, "accounts/token_list.html", {"form": form, "tokens": tokens, "raw": raw})


@staff_view
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.revoke_api_token(token=token, by=request.user)
    messages.success(request, _("Đã thu hồi khoá %(n)s.") % {"n": token.name})
    return redirect("accounts:tokens")


@staff_view
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_calendar(request.user):
        raise PermissionDenied
    # Each province keeps its own calendar on top of the shared one: the actor's own province, or
    # another they administer (?tinh=<id>, e.g. for an administrator at the national root).
    chosen = request.GET.get("tinh", "")
    choosable = Unit.objects.in_force().filter(
        kind=UnitKind.PROVINCE, pk__in=visible_units(request.user, PROVINCE_ADMIN_ROLES).values("pk")
    )
    province = choosable.filter(pk=int(chosen)).first() if chosen.isdigit() else None
    if chosen and province is None:
        raise Http404
    province = services.calendar_province(by=request.user, province=province)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_calendar_day(by=request.user, province=province, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã cập nhật lịch làm việc."))
            return redirect(request.get_full_path())
    this_year = timezone.localdate().year
    requested = request.GET.get("nam", "")
    year = int(requested) if requested.isdigit() and 2000 <= int(requested) <= 2100 else this_year
    national = sorted(holidays.country_holidays("VN", years=year, language="vi").items())
    days = CalendarDay.objects.filter(date__year=year, province=province)
    shared = CalendarDay.objects.filter(date__year=year, province__isnull=True) if province is not None else CalendarDay.objects.none()
    context = {
        "form": form,
        "days": days,
        "shared": shared,
        "province": province,
        "provinces": choosable if choosable.count() > 1 else [],
        "national": national,
        "year": year,
        "years": range(year - 1, year + 2),
    }
    return render(request, "accounts/calendar.html", context)


@staff_view
@require_POST
def calendar_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not can_manage_calendar(request.user):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay, pk=pk)
    services.remove_calendar_day(by=request.user, day=day)
    messages.success(request, _("Đã xoá điều chỉnh ngày %(d)s.") % {"d": day.date.strftime("%d/%m/%Y")})
    back = reverse("accounts:calendar")
    return redirect(f"{back}?tinh={day.province_id}" if day.province_id else back)
