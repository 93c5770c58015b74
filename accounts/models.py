"""Users, roles scoped to a unit and its subtree, and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from units.models import Unit, UnitKind


class User(AbstractUser):
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    job_title = models.CharField(_("chức vụ"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name) if p).strip()

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    PROVINCE_OFFICE = "province_office", _("Cơ quan thường trực BCĐ tỉnh")
    PROVINCE_LEADER = "province_leader", _("Lãnh đạo tỉnh / thành viên BCĐ tỉnh")
    DISTRICT_COMMITTEE = "district_committee", _("Ban Chỉ đạo cấp huyện")
    DISTRICT_APPRAISER = "district_appraiser", _("Tổ thẩm định cấp huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ, công chức cấp xã")
    COMMUNE_CHAIRMAN = "commune_chairman", _("Chủ tịch UBND cấp xã")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn, tổ trưởng tổ dân phố")


# The unit level each role is granted at: a role outside its level makes no sense (a district
# appraiser at a commune) and is refused when assigned.
ROLE_UNIT_KINDS: dict[str, set[str]] = {
    Role.SYSTEM_ADMIN: {UnitKind.PROVINCE},
    Role.PROVINCE_OFFICE: {UnitKind.PROVINCE},
    Role.PROVINCE_LEADER: {UnitKind.PROVINCE},
    Role.DISTRICT_COMMITTEE: {UnitKind.DISTRICT},
    Role.DISTRICT_APPRAISER: {UnitKind.DISTRICT},
    Role.COMMUNE_OFFICER: {UnitKind.COMMUNE},
    Role.COMMUNE_CHAIRMAN: {UnitKind.COMMUNE},
    Role.VILLAGE_HEAD: {UnitKind.VILLAGE},
}


class RoleAssignment(models.Model):
    """`user` holds `role` over `unit` and its whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người dùng"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="role_assignments")
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    granted_at = models.DateTimeField(_("cấp lúc"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người cấp"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="role_assignment_unique")]
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("khoá API")
        verbose_name_plural = _("khoá API")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, lifetime_days: int | None = None) -> tuple[ApiToken, str]:
        raw = "gr_" + secrets.token_urlsafe(32)
        days = lifetime_days if lifetime_days is not None else settings.API_TOKEN_DEFAULT_DAYS
        expires_at = timezone.now() + dt.timedelta(days=days)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=_hash_token(raw), expires_at=expires_at)
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The live token with this value: not revoked and not expired."""
        return (
            cls.objects.select_related("user")
            .filter(digest=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


class EnrolmentLink(models.Model):
    """A one-time link an administrator issues so that an official can set up their authenticator
    app: a password alone never enrols a second factor. Only the SHA-256 of the link's secret is
    stored; the link expires and works once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolment_links")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    used_at = models.DateTimeField(_("dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đường dẫn thiết lập xác thực hai lớp")
        verbose_name_plural = _("đường dẫn thiết lập xác thực hai lớp")

    def __str__(self) -> str:
        return f"{self.user} – {self.created_at:%d/%m/%Y %H:%M}"

    @classmethod
    def issue(cls, *, user: User, created_by: User | None) -> tuple[EnrolmentLink, str]:
        raw = secrets.token_urlsafe(32)
        expires_at = timezone.now() + dt.timedelta(hours=settings.TWO_FACTOR_ENROLMENT_HOURS)
        link = cls.objects.create(user=user, digest=_hash_token(raw), created_by=created_by, expires_at=expires_at)
        return link, raw

    @classmethod
    def find_valid(cls, raw: str) -> EnrolmentLink | None:
        """The unused, unexpired link with this secret, or None."""
        return (
            cls.objects.select_related("user").filter(digest=_hash_token(raw), used_at__isnull=True, expires_at__gt=timezone.now()).first()
        )

    @property
    def is_valid(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()
