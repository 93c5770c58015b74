"""Granting and withdrawing roles: audited like every record that decides who may act."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.actors import SYSTEM, Actor, person
from accounts.models import ROLE_UNIT_KINDS, Role, RoleAssignment, User
from accounts.permissions import PROVINCE_ADMIN_ROLES, can_administer_account, can_administer_role
from accounts.scope import can_reach
from core import audit
from core.models import AuditEntry
from units.models import Unit, UnitKind
from units.structure import require_in_force


def _may_grant(actor: Actor, unit: Unit) -> bool:
    # SYSTEM is the platform itself (demo loader, management commands run by an operator).
    return actor is SYSTEM or can_reach(actor, unit, PROVINCE_ADMIN_ROLES)


@transaction.atomic
def grant_role(*, user: User, unit: Unit, role: str, by: Actor) -> RoleAssignment:
    """Give `user` `role` over `unit` and its subtree. Idempotent: granting twice returns the
    existing assignment."""
    if not _may_grant(by, unit):
        raise PermissionDenied(_("Bạn không có quyền phân quyền tại đơn vị này."))
    if by is not SYSTEM:
        # A role is granted today, so on a unit in force today; the demo and operators' commands
        # (SYSTEM) may record a role held on a unit before it was abolished.
        require_in_force(unit)
    if role not in Role.values:
        raise ValidationError(_("Vai trò không hợp lệ."))
    if by is not SYSTEM and not can_administer_role(by, unit, role):
        raise PermissionDenied(_("Bạn không được cấp vai trò cao hơn vai trò quản trị của mình."))
    _require_user_manager(by, user, roleless_ok=True)
    if unit.kind not in ROLE_UNIT_KINDS[role]:
        raise ValidationError(
            _("Vai trò “%(role)s” không cấp được ở %(unit)s.") % {"role": Role(role).label, "unit": unit.get_kind_display().lower()}
        )
    existing = RoleAssignment.objects.filter(user=user, unit=unit, role=role).first()
    if existing:
        return existing
    assignment = RoleAssignment.objects.create(user=user, unit=unit, role=role, granted_by=person(by))
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=assignment, unit_path=unit.path)
    return assignment


@transaction.atomic
def revoke_role(*, assignment: RoleAssignment, by: Actor, reason: str = "") -> None:
    if not _may_grant(by, assignment.unit):
        raise PermissionDenied(_("Bạn không có quyền phân quyền tại đơn vị này."))
    _require_user_manager(by, assignment.user)
    before = audit.snapshot(assignment)
    pk = assignment.pk
    assignment.delete()
    assignment.pk = pk
    audit.record(
        actor=by, action=AuditEntry.Action.DELETE, instance=assignment, before=before, unit_path=assignment.unit.path, reason=reason
    )


def can_manage_accounts(actor: Actor, unit: Unit) -> bool:
    return _may_grant(actor, unit)


USER_FIELDS = ("last_name", "first_name", "email", "phone", "job_title")


@transaction.atomic
def create_user(*, by: Actor, unit: Unit, role: str, username: str, password: str, data: dict[str, Any]) -> User:
    """Create an official's account with its first role. The password is checked against the
    validators; the trail records the account without its password."""
    from django.contrib.auth.password_validation import validate_password

    if not _may_grant(by, unit):
        raise PermissionDenied(_("Bạn không có quyền tạo tài khoản tại đơn vị này."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Tên đăng nhập đã có người dùng.")})
    user = User(username=username, **{k: data.get(k, "") for k in USER_FIELDS})
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=user, unit_path=unit.path)
    grant_role(user=user, unit=unit, role=role, by=by)
    return user


def _user_unit_path(user: User) -> str:
    first = RoleAssignment.objects.filter(user=user).select_related("unit").order_by("unit__depth").first()
    return first.unit.path if first else ""


def _require_user_manager(actor: Actor, user: User, *, roleless_ok: bool = False) -> None:
    # SYSTEM is the platform itself (an operator's management command). An account without any role
    # is outside every scope: it may receive a first role, nothing else.
    if actor is SYSTEM:
        return
    if not can_administer_account(actor, user) or (not roleless_ok and not RoleAssignment.objects.filter(user=user).exists()):
        raise PermissionDenied(_("Bạn không có quyền quản lý tài khoản này."))


@transaction.atomic
def set_user_active(*, user: User, by: Actor, active: bool, reason: str = "") -> User:
    """Lock or unlock an account (a locked account cannot log in or use its API tokens)."""
    _require_user_manager(by, user)
    if user.pk == by.pk and not active:
        raise ValidationError(_("Không thể tự khoá tài khoản của chính mình."))
    before = audit.snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=user, before=before, unit_path=_user_unit_path(user), reason=reason)
    return user


@transaction.atomic
def reset_two_factor(*, user: User, by: Actor, reason: str = "") -> int:
    """Remove the user's authenticator devices (a lost phone); they enrol again with a new enrolment
    link (issue_enrolment_link), never with the password alone."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    _require_user_manager(by, user)
    devices = list(TOTPDevice.objects.filter(user=user))
    for device in devices:
        before = audit.snapshot(device)
        pk = device.pk
        device.delete()
        device.pk = pk
        audit.record(
            actor=by, action=AuditEntry.Action.DELETE, instance=device, before=before, unit_path=_user_unit_path(user), reason=reason
        )
    return len(devices)


@transaction.atomic
def set_password(*, user: User, by: User, password: str, reason: str) -> None:
    """An official sets their own password: after proving the current one (password change) or
    with a reset link mailed to them (password reset). Checked against the validators; the trail
    records the change without the password."""
    from django.contrib.auth.password_validation import validate_password

    if by.pk != user.pk:
        raise PermissionDenied(_("Chỉ chủ tài khoản mới đặt được mật khẩu của mình."))
    validate_password(password, user)
    before = audit.snapshot(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=user, before=before, unit_path=_user_unit_path(user), reason=reason)


@transaction.atomic
def issue_enrolment_link(*, user: User, by: Actor, site_url: str = "") -> str:
    """A one-time, expiring link (TWO_FACTOR_ENROLMENT_HOURS) with which `user` sets up their
    authenticator app; earlier unused links of the user stop working. Issued by an administrator
    who may manage the account (or the system: an operator's command). Returns the link's secret,
    shown once; with `site_url` and an e-mail address on the account, the link is also mailed."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import EnrolmentLink
    from core.outbox import queue_message

    _require_user_manager(by, user)
    EnrolmentLink.objects.filter(user=user, used_at__isnull=True, expires_at__gt=timezone.now()).update(expires_at=timezone.now())
    link, raw = EnrolmentLink.issue(user=user, created_by=person(by))
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=link, unit_path=_user_unit_path(user))
    if site_url and user.email:
        url = site_url.rstrip("/") + reverse("accounts:enrol", args=[raw])
        queue_message(
            recipient=user.email,
            subject=_("Thiết lập xác thực hai lớp cho tài khoản %(u)s") % {"u": user.username},
            body=_(
                "Quản trị viên đã cấp cho ông/bà đường dẫn thiết lập ứng dụng xác thực (dùng một lần, hết hạn sau %(h)s giờ):\n"
                "%(url)s\n\nMở đường dẫn, đăng nhập bằng mật khẩu rồi quét mã QR bằng ứng dụng xác thực trên điện thoại. "
                "Nếu ông/bà không đề nghị việc này, hãy báo ngay cho quản trị viên."
            )
            % {"h": settings.TWO_FACTOR_ENROLMENT_HOURS, "url": url},
            link=url,
        )
    return raw


@transaction.atomic
def confirm_enrolment(*, link: Any, device: Any, by: User) -> None:
    """`by` confirmed the first code of `device` with their enrolment link: the device becomes a
    confirmed second factor and the link is spent (it works once)."""
    from django.utils import timezone

    from accounts.models import EnrolmentLink

    link = EnrolmentLink.objects.select_for_update().get(pk=link.pk)
    if link.user_id != by.pk or device.user_id != by.pk:
        raise PermissionDenied(_("Đường dẫn thiết lập này không dành cho tài khoản của bạn."))
    if not link.is_valid:
        raise ValidationError(_("Đường dẫn thiết lập đã được dùng hoặc đã hết hạn. Vui lòng đề nghị quản trị viên cấp đường dẫn mới."))
    before = audit.snapshot(link)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    unit_path = _user_unit_path(by)
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=link, before=before, unit_path=unit_path)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=device, unit_path=unit_path)


@transaction.atomic
def issue_api_token(*, user: User, by: User, name: str, lifetime_days: int | None = None) -> tuple[Any, str]:
    """Issue a bearer token for `user` (only the user themself), valid for `lifetime_days` (the
    default lifetime if None, never more than API_TOKEN_MAX_DAYS). Returns (token, raw value shown
    once)."""
    from django.conf import settings

    from accounts.models import ApiToken

    if by.pk != user.pk:
        raise PermissionDenied(_("Chỉ chủ tài khoản mới tạo được khoá API của mình."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Đặt tên cho khoá để nhận biết (ví dụ: ứng dụng Zalo của xã).")})
    days = settings.API_TOKEN_DEFAULT_DAYS if lifetime_days is None else lifetime_days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError({"lifetime_days": _("Thời hạn của khoá từ 1 đến %(max)s ngày.") % {"max": settings.API_TOKEN_MAX_DAYS}})
    token, raw = ApiToken.issue(user=user, name=name[:100], lifetime_days=days)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=token, unit_path=_user_unit_path(user))
    return token, raw


@transaction.atomic
def revoke_api_token(*, token: Any, by: User) -> None:
    from django.utils import timezone

    if by.pk != token.user_id:
        raise PermissionDenied(_("Chỉ chủ tài khoản mới thu hồi được khoá API của mình."))
    if token.revoked_at:
        return
    before = audit.snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=by, action=AuditEntry.Action.UPDATE, instance=token, before=before, unit_path=_user_unit_path(token.user))


# --- The province's working calendar ----------------------------------------------------------


def calendar_province(*, by: User, province: Unit | None = None) -> Unit | None:
    """The province whose calendar `by` edits: `province` if given and administered by them, else
    the province of their own administrative role. None is the calendar every province shares, which
    only an administrator at the national root edits."""
    from accounts.permissions import PROVINCE_ADMIN_ROLES, can_manage_calendar
    from accounts.scope import can_reach

    if not can_manage_calendar(by):
        raise PermissionDenied(_("Chỉ cơ quan thường trực cấp tỉnh được điều chỉnh lịch làm việc."))
    if province is not None:
        if province.kind != UnitKind.PROVINCE or not can_reach(by, province, PROVINCE_ADMIN_ROLES):
            raise PermissionDenied(_("Bạn không điều chỉnh được lịch làm việc của tỉnh này."))
        return province
    held = [a.unit for a in RoleAssignment.objects.filter(user=by, role__in=PROVINCE_ADMIN_ROLES).select_related("unit")]
    if any(u.kind == UnitKind.NATION for u in held):
        return None
    for unit in held:
        if unit.kind == UnitKind.PROVINCE:
            return unit
        found = next((a for a in unit.ancestors() if a.kind == UnitKind.PROVINCE), None)
        if found is not None:
            return found
    raise PermissionDenied(_("Chỉ cơ quan thường trực cấp tỉnh được điều chỉnh lịch làm việc."))


@transaction.atomic
def add_calendar_day(*, by: User, date: Any, kind: str, reason: str, province: Unit | None = None) -> Any:
    """Declare an extra day off or a make-up working day in a province's calendar (the actor's own
    province unless `province` names another they administer); listeners (e.g. feedback due dates
    in that province) are told inside the same transaction."""
    from core.calendar_hooks import calendar_changed
    from core.models import CalendarDay

    province = calendar_province(by=by, province=province)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi lý do (ví dụ: số văn bản của UBND tỉnh).")})
    if kind == CalendarDay.Kind.WORKING_DAY and date.weekday() < 5:
        raise ValidationError({"date": _("Ngày làm việc bù phải là Thứ Bảy hoặc Chủ nhật.")})
    if CalendarDay.objects.filter(date=date, province=province).exists():
        raise ValidationError({"date": _("Ngày %(d)s đã được điều chỉnh.") % {"d": date.strftime("%d/%m/%Y")}})
    day = CalendarDay.objects.create(date=date, kind=kind, reason=reason[:300], province=province)
    audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=day, unit_path=province.path if province else "")
    calendar_changed(changed_date=date, by=by, province=province)
    return day


@transaction.atomic
def remove_calendar_day(*, by: User, day: Any) -> None:
    from core.calendar_hooks import calendar_changed

    if day.province_id is None:
        if calendar_province(by=by) is not None:
            raise PermissionDenied(_("Ngày này áp dụng cho mọi tỉnh; chỉ quản trị cấp toàn quốc được xoá."))
    else:
        calendar_province(by=by, province=day.province)
    before = audit.snapshot(day)
    pk, date = day.pk, day.date
    day.delete()
    day.pk = pk
    audit.record(actor=by, action=AuditEntry.Action.DELETE, instance=day, before=before)
    calendar_changed(changed_date=date, by=by, province=day.province)
