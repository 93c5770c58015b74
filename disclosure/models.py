"""Disclosure (công khai, Law 10/2022/QH15 arts. 11–14): the obligations as versioned data, each
commune's register of what it disclosed, how and where, the proof that it was posted, and the
hash-chained register entries that make a backdated or edited disclosure detectable.

`RegisterEntry` is the register itself: append-only, one chain per commune, each entry's hash
covering its content and its predecessor's hash (`disclosure.chain`). The other rows are the
register's current reading; `chain.verify` checks that each of them still equals what its latest
entry recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions
from core.models import StoredFile
from core.text import search_key
from units.models import Unit


class Form(models.TextChoices):
    """How a commune discloses (art. 11–12)."""

    NOTICE_BOARD = "notice_board", _("Niêm yết tại trụ sở, nhà văn hoá thôn")
    PORTAL = "portal", _("Cổng, trang thông tin điện tử")
    LOUDSPEAKER = "loudspeaker", _("Hệ thống loa truyền thanh")
    VILLAGE_HEAD = "village_head", _("Qua trưởng thôn, tổ trưởng tổ dân phố")
    LETTER = "letter", _("Gửi văn bản đến người dân")
    CONFERENCE = "conference", _("Hội nghị, đối thoại")
    RECEPTION = "reception", _("Tiếp công dân")
    MASS_ORGANISATION = "mass_organisation", _("Qua Mặt trận, đoàn thể")
    TELECOM = "telecom", _("Mạng viễn thông, mạng xã hội")
    OTHER = "other", _("Hình thức khác")


class SetState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đang áp dụng")
    RETIRED = "retired", _("Ngừng áp dụng")


# A version is edited only as a draft; publishing retires the version in force.
SET_TRANSITIONS = transitions.table(
    [
        ((SetState.DRAFT,), SetState.PUBLISHED, SetState.PUBLISHED),
        ((SetState.PUBLISHED,), SetState.RETIRED, SetState.RETIRED),
    ]
)


class ObligationSet(models.Model):
    """One version of the disclosure obligations. A published version is never edited; a revision
    is a new draft, so every disclosure keeps the rule it was recorded under."""

    version = models.PositiveIntegerField(_("phiên bản"), unique=True)
    name = models.CharField(_("tên"), max_length=300)
    state = models.CharField(_("trạng thái"), max_length=10, choices=SetState.choices, default=SetState.DRAFT)
    revised_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="revisions")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("áp dụng từ"), null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("bộ nghĩa vụ công khai")
        verbose_name_plural = _("bộ nghĩa vụ công khai")

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class Obligation(models.Model):
    """One of the 14 categories: what, how, how fast, how long."""

    obligation_set = models.ForeignKey(ObligationSet, on_delete=models.CASCADE, related_name="obligations")
    number = models.PositiveSmallIntegerField(_("nhóm"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    title = models.CharField(_("nội dung phải công khai"), max_length=300)
    source = models.CharField(_("căn cứ"), max_length=300)
    forms = models.JSONField(_("hình thức bắt buộc"), default=list)
    at_villages = models.BooleanField(_("niêm yết cả ở nhà văn hoá thôn"), default=False)
    deadline_working_days = models.PositiveSmallIntegerField(
        _("thời hạn công khai (ngày làm việc)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    deadline_source = models.CharField(_("căn cứ thời hạn"), max_length=300)
    permanent = models.BooleanField(_("niêm yết thường xuyên"), default=False)
    min_posting_days = models.PositiveSmallIntegerField(
        _("thời gian niêm yết tối thiểu (ngày liên tục)"), default=0, validators=[MaxValueValidator(366)]
    )
    loudspeaker_days = models.PositiveSmallIntegerField(_("số ngày đọc trên loa (liên tục)"), default=0, validators=[MaxValueValidator(60)])

    class Meta:
        ordering = ["obligation_set", "number"]
        constraints = [models.UniqueConstraint(fields=["obligation_set", "number"], name="disclosure_obligation_unique")]
        verbose_name = _("nghĩa vụ công khai")
        verbose_name_plural = _("nghĩa vụ công khai")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def form_labels(self) -> list[str]:
        return [str(Form(f).label) for f in self.forms if f in Form.values]

    def duration_text(self) -> str:
        if self.permanent:
            return str(_("thường xuyên"))
        return str(_("ít nhất %(n)d ngày liên tục") % {"n": self.min_posting_days})


class Disclosure(models.Model):
    """One document a commune must disclose, from its registration to its disclosure. A correction
    is a new Disclosure naming the one it corrects; the corrected one stays, marked."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("xã, phường"))
    obligation = models.ForeignKey(Obligation, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("nhóm nội dung"))
    reference = models.CharField(_("số hiệu trong sổ"), max_length=40, unique=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    document_number = models.CharField(_("số, ký hiệu văn bản"), max_length=100)
    document_date = models.DateField(_("ngày văn bản"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200)
    document_file = models.ForeignKey(StoredFile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("hạn công khai"))
    due_reasoning = models.CharField(_("cách tính hạn"), max_length=500)
    disclosed_on = models.DateField(_("ngày công khai"), null=True, blank=True)
    forms = models.JSONField(_("hình thức"), default=list)
    corrects = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections")
    correction_reason = models.CharField(_("lý do đính chính"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("ghi sổ lúc"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    search_text = models.CharField(max_length=900, editable=False, db_index=True)
    # A record another capability published through core.disclosures (a consultation's summary, a
    # recognised community decision): the act it comes from, once per commune, and its public page.
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    source_link = models.URLField(_("trang gốc"), max_length=500, blank=True, editable=False)

    class Meta:
        ordering = ["-document_date", "-id"]
        indexes = [models.Index(fields=["unit", "document_date"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "source_key"], condition=~models.Q(source_key=""), name="disclosure_one_per_source")
        ]
        verbose_name = _("văn bản công khai")
        verbose_name_plural = _("văn bản công khai")

    def __str__(self) -> str:
        return f"{self.reference} – {self.title[:80]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = search_key(f"{self.title} {self.document_number} {self.issuer}")[:900]
        super().save(*args, **kwargs)

    @property
    def is_disclosed(self) -> bool:
        return self.disclosed_on is not None

    @property
    def on_time(self) -> bool | None:
        if self.disclosed_on is None:
            return None
        return self.disclosed_on <= self.due_on

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.disclosed_on is None and self.due_on < day

    @property
    def form_labels(self) -> list[str]:
        return [str(Form(f).label) for f in self.forms if f in Form.values]


class Posting(models.Model):
    """A notice-board posting of a disclosure at one place: the commune office or a village's
    culture house. The taking-down date (or a closing photo) ends it."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="postings")
    village = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn"))
    started_on = models.DateField(_("niêm yết từ"))
    ended_on = models.DateField(_("gỡ xuống ngày"), null=True, blank=True)

    class Meta:
        ordering = ["disclosure", "village__name", "id"]
        verbose_name = _("điểm niêm yết")
        verbose_name_plural = _("điểm niêm yết")

    def __str__(self) -> str:
        return self.place

    @property
    def place(self) -> str:
        return self.village.name if self.village_id and self.village else str(_("Trụ sở UBND xã"))

    def days_posted(self, until: dt.date) -> int:
        end = self.ended_on or until
        return max(0, (end - self.started_on).days + 1)


class LocationSource(models.TextChoices):
    EXIF = "exif", _("siêu dữ liệu của ảnh")
    BROWSER = "browser", _("định vị của điện thoại khi chụp")
    NONE = "", _("không có")


class PostingPhoto(models.Model):
    """A photo of the notice board: when and where it was taken, and whether that proves the posting."""

    class Purpose(models.TextChoices):
        POSTED = "posted", _("Ảnh khi niêm yết")
        TAKEN_DOWN = "taken_down", _("Ảnh khi kết thúc niêm yết")

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="photos")
    purpose = models.CharField(_("ảnh"), max_length=12, choices=Purpose.choices, default=Purpose.POSTED)
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField(_("chụp lúc"), null=True, blank=True)
    time_source = models.CharField(_("nguồn thời điểm"), max_length=10, choices=LocationSource.choices, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)
    location_source = models.CharField(_("nguồn vị trí"), max_length=10, choices=LocationSource.choices, blank=True)
    distance_m = models.PositiveIntegerField(_("cách trụ sở xã (m)"), null=True, blank=True)
    proven = models.BooleanField(_("chứng minh được"), default=False)
    unproven_reason = models.CharField(_("lý do chưa chứng minh"), max_length=500, blank=True)
    uploaded_at = models.DateTimeField(_("tải lên lúc"))

    class Meta:
        ordering = ["posting", "uploaded_at", "id"]
        verbose_name = _("ảnh niêm yết")
        verbose_name_plural = _("ảnh niêm yết")

    def __str__(self) -> str:
        return f"{self.posting} – {self.get_purpose_display()}"


class Broadcast(models.Model):
    """One day's reading of a disclosure on the loudspeakers."""

    disclosure = models.ForeignKey(Disclosure, on_delete=models.PROTECT, related_name="broadcasts")
    day = models.DateField(_("ngày phát"))
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        ordering = ["disclosure", "day"]
        constraints = [models.UniqueConstraint(fields=["disclosure", "day"], name="disclosure_broadcast_once_a_day")]
        verbose_name = _("buổi phát loa")
        verbose_name_plural = _("buổi phát loa")

    def __str__(self) -> str:
        return f"{self.disclosure.reference} – {self.day:%d/%m/%Y}"


class AppendOnly(ValidationError):
    pass


class RegisterEntry(models.Model):
    """One entry of a commune's register, append-only: `hash` covers the commune, the sequence
    number, the kind, the payload and the predecessor's hash (`disclosure.chain.entry_hash`)."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Ghi sổ văn bản")
        DISCLOSED = "disclosed", _("Công khai")
        PHOTO = "photo", _("Ảnh niêm yết")
        POSTING_ENDED = "posting_ended", _("Kết thúc niêm yết")
        BROADCAST = "broadcast", _("Phát loa")
        CORRECTION = "correction", _("Đính chính")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    object_label = models.CharField(max_length=60)
    object_pk = models.PositiveBigIntegerField()
    payload = models.JSONField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    recorded_at = models.DateTimeField()
    actor_label = models.CharField(max_length=200)

    class Meta:
        ordering = ["unit", "seq"]
        constraints = [models.UniqueConstraint(fields=["unit", "seq"], name="disclosure_register_seq_unique")]
        indexes = [models.Index(fields=["object_label", "object_pk"])]
        verbose_name = _("mục sổ công khai")
        verbose_name_plural = _("mục sổ công khai")

    def __str__(self) -> str:
        return f"{self.unit_id}#{self.seq} {self.kind}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly(_("Sổ công khai chỉ được ghi thêm, không được sửa."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnly(_("Sổ công khai chỉ được ghi thêm, không được xoá."))


class CommuneContact(models.Model):
    """What the commune tells citizens on its page: address, reception schedule, contacts."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="disclosure_contact")
    address = models.CharField(_("địa chỉ trụ sở"), max_length=300, blank=True)
    reception_schedule = models.TextField(_("lịch tiếp công dân"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thông tin liên hệ của xã")
        verbose_name_plural = _("thông tin liên hệ của xã")

    def __str__(self) -> str:
        return str(self.unit)
