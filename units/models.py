"""Administrative units (a tree of any depth) and the steering committees that work at each one."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from core.text import search_key


class UnitKind(models.TextChoices):
    NATION = "nation", _("Cả nước")
    PROVINCE = "province", _("Tỉnh")
    DISTRICT = "district", _("Huyện")
    COMMUNE = "commune", _("Xã")
    VILLAGE = "village", _("Thôn, tổ dân phố")


class UnitQuerySet(models.QuerySet["Unit"]):
    def in_force(self, on: dt.date | None = None) -> UnitQuerySet:
        """Units valid on `on` (today by default)."""
        from django.utils import timezone

        day = on or timezone.localdate()
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))

    def subtree_of(self, unit: Unit) -> UnitQuerySet:
        return self.filter(path__startswith=unit.path)

    def search(self, text: str) -> UnitQuerySet:
        key = search_key(text)
        if not key:
            return self.none()
        return self.filter(search_text__contains=key)


class Unit(models.Model):
    """An administrative unit with its official GSO code.

    The tree has no fixed depth: province → district → commune → village before 1 Jul 2025,
    province → commune → village after. `path` is the materialised path of primary keys
    ("/1/12/345/"), so a whole subtree is one indexed prefix query whatever the depth, and codes
    reused across the 2024 and 2025 code lists never collide. A unit superseded by the 2025 merges
    keeps its history (valid_to) and points to its successor.
    """

    code = models.CharField(_("mã"), max_length=20)
    edition = models.CharField(_("danh mục"), max_length=10, help_text=_("Năm của bảng danh mục đơn vị hành chính (2024, 2025, ...)"))
    name = models.CharField(_("tên"), max_length=200)
    short_name = models.CharField(_("tên ngắn"), max_length=200, blank=True)
    type_name = models.CharField(
        _("loại đơn vị"), max_length=50, blank=True, help_text=_("Huyện, Thành phố, Xã, Phường, Thị trấn, Thôn...")
    )
    kind = models.CharField(_("cấp"), max_length=10, choices=UnitKind.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", verbose_name=_("đơn vị kế thừa"), null=True, blank=True, on_delete=models.SET_NULL, related_name="predecessors"
    )
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    households = models.PositiveIntegerField(_("số hộ gia đình"), null=True, blank=True)
    search_text = models.CharField(max_length=400, editable=False, db_index=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="unit_code_unique_per_edition"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_validity_ordered",
            ),
        ]
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.derive_search_text()
        if kwargs.get("update_fields") is not None:
            # The derived columns always go with the fields they derive from.
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "path", "depth"}
        with transaction.atomic():
            if self.pk is None:
                # The path needs the primary key: insert with a unique placeholder, then fix it.
                self.path = f"tmp-{uuid.uuid4().hex}"
                super().save(*args, **kwargs)
                self._set_path()
                Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                return
            old = Unit.objects.filter(pk=self.pk).values_list("path", "depth").first()
            self._set_path()
            super().save(*args, **kwargs)
            if old and old[0] != self.path:
                self._move_descendants(*old)

    def derive_search_text(self) -> None:
        self.search_text = search_key(f"{self.name} {self.short_name} {self.code}")

    @classmethod
    def insert_many(cls, units: list[Unit]) -> list[Unit]:
        """Insert new units whose parents are saved, in two statements per batch instead of three per
        unit (a whole code list loads in seconds): the derived columns are set as save() sets them."""
        for unit in units:
            unit.derive_search_text()
            unit.path = f"tmp-{uuid.uuid4().hex}"
        with transaction.atomic():
            created = cls.objects.bulk_create(units, batch_size=500)
            for unit in created:
                parent = unit.parent
                unit.path = f"{parent.path}{unit.pk}/" if parent else f"/{unit.pk}/"
                unit.depth = parent.depth + 1 if parent else 0
            cls.objects.bulk_update(created, ["path", "depth"], batch_size=500)
        return created

    def clean(self) -> None:
        # Forms (the admin's included) get a message instead of the ValueError save() raises.
        if self.pk and self.parent_id:
            parent_path = Unit.objects.filter(pk=self.parent_id).values_list("path", flat=True).first() or ""
            if f"/{self.pk}/" in parent_path:
                raise ValidationError({"parent": _("Không thể đặt một đơn vị vào dưới chính nó hoặc đơn vị trực thuộc của nó.")})

    def _set_path(self) -> None:
        if self.parent_id:
            parent = Unit.objects.only("path", "depth").get(pk=self.parent_id)
            if parent.path.startswith(f"/{self.pk}/") or f"/{self.pk}/" in parent.path:
                raise ValueError("A unit cannot be placed under its own descendant.")
            self.path = f"{parent.path}{self.pk}/"
            self.depth = parent.depth + 1
        else:
            self.path = f"/{self.pk}/"
            self.depth = 0

    def _move_descendants(self, old_path: str, old_depth: int) -> None:
        """Re-root the whole subtree in one UPDATE, whatever its size or depth."""
        Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
            path=Concat(Value(self.path), Substr("path", len(old_path) + 1), output_field=models.CharField()),
            depth=F("depth") + (self.depth - old_depth),
        )

    @property
    def is_in_force(self) -> bool:
        from django.utils import timezone

        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (self.valid_to is None or self.valid_to >= today)

    def ancestors(self) -> list[Unit]:
        ids = [int(p) for p in self.path.strip("/").split("/")[:-1] if p]
        by_id = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def ancestor_ids(self) -> list[int]:
        return [int(p) for p in self.path.strip("/").split("/") if p]

    def district(self) -> Unit | None:
        return next((u for u in self.ancestors() if u.kind == UnitKind.DISTRICT), None)

    def is_within(self, other: Unit) -> bool:
        return self.path.startswith(other.path)


class SteeringCommittee(models.Model):
    """A steering committee (Ban Chỉ đạo) of a unit, or one of its sub-committees (tiểu ban) or its
    working group (tổ giúp việc), or its standing office (cơ quan thường trực)."""

    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("Ban Chỉ đạo")
        SUBCOMMITTEE = "subcommittee", _("Tiểu ban")
        WORKING_GROUP = "working_group", _("Tổ giúp việc")
        STANDING_OFFICE = "standing_office", _("Cơ quan thường trực")

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="committees")
    parent = models.ForeignKey(
        "self", verbose_name=_("thuộc Ban Chỉ đạo"), null=True, blank=True, on_delete=models.PROTECT, related_name="subgroups"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.COMMITTEE)
    name = models.CharField(_("tên"), max_length=300)
    decision_ref = models.CharField(_("quyết định thành lập"), max_length=200, blank=True)
    established_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["unit__path", "kind", "name"]
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = _("ban chỉ đạo")

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    class Position(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        STANDING_DEPUTY = "standing_deputy", _("Phó Trưởng ban Thường trực")
        DEPUTY = "deputy", _("Phó Trưởng ban")
        MEMBER = "member", _("Thành viên")
        GROUP_LEADER = "group_leader", _("Tổ trưởng")
        GROUP_MEMBER = "group_member", _("Tổ viên")

    committee = models.ForeignKey(SteeringCommittee, verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=200)
    job_title = models.CharField(_("chức vụ, đơn vị công tác"), max_length=300, blank=True)
    position = models.CharField(_("chức danh trong ban"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_memberships",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    since = models.DateField(_("từ ngày"), null=True, blank=True)
    until = models.DateField(_("đến ngày"), null=True, blank=True)
    followed_units = models.ManyToManyField(Unit, verbose_name=_("địa bàn theo dõi, phụ trách"), blank=True, related_name="followers")

    class Meta:
        ordering = ["committee", "position", "full_name"]
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = _("thành viên ban chỉ đạo")

    def __str__(self) -> str:
        return f"{self.full_name} – {self.get_position_display()}"
