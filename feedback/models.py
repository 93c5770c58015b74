"""Citizens' feedback cases, their register (Decree 20/2008), routing and deadline rules, and the
one-stop-shop counters with their ratings."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions
from units.models import Unit


class Category(models.TextChoices):
    DEMOCRACY_NOT_DISCLOSED = "democracy_not_disclosed", _("Dân chủ: không công khai thông tin")
    DEMOCRACY_NOT_CONSULTED = "democracy_not_consulted", _("Dân chủ: không lấy ý kiến Nhân dân")
    DEMOCRACY_WITHOUT_PEOPLE = "democracy_without_people", _("Dân chủ: quyết định không có Nhân dân tham gia")
    CONDUCT_HARASSMENT = "conduct_harassment", _("Một cửa: gây phiền hà, sách nhiễu")
    CONDUCT_EXTRA_DEMANDS = "conduct_extra_demands", _("Một cửa: đòi thêm giấy tờ hoặc tiền")
    CONDUCT_DELAY = "conduct_delay", _("Một cửa: chậm trễ, hẹn lại nhiều lần")
    FACILITIES = "facilities", _("Cơ sở vật chất, nơi tiếp dân")
    OTHER = "other", _("Khác")


# Reports about the conduct of a commune's own officials: never handled only by that commune.
CONDUCT_CATEGORIES = frozenset({Category.CONDUCT_HARASSMENT, Category.CONDUCT_EXTRA_DEMANDS, Category.CONDUCT_DELAY})


class Finding(models.TextChoices):
    """What the handling unit concluded about a report when answering it (kết luận): a report about
    an official's conduct that was substantiated weighs on the commune's recognition."""

    SUBSTANTIATED = "substantiated", _("Có cơ sở")
    PARTLY = "partly", _("Có cơ sở một phần")
    UNFOUNDED = "unfounded", _("Không có cơ sở")


SUBSTANTIATED_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)


class Kind(models.TextChoices):
    FEEDBACK = "feedback", _("Phản ánh, kiến nghị")
    COMPLAINT = "complaint", _("Khiếu nại")
    DENUNCIATION = "denunciation", _("Tố cáo")


# Complaints and denunciations follow their own laws (Law on Denunciations 2018, art. 9.2: the
# denouncer's identity is kept secret): only named roles at the handling unit see who reported.
PROTECTED_KINDS = frozenset({Kind.COMPLAINT, Kind.DENUNCIATION})


class RegisterClass(models.TextChoices):
    """Decree 20/2008/ND-CP, art. 12: the four classes a received report is sorted into."""

    REJECTED = "rejected", _("Không thuộc phạm vi tiếp nhận")
    BEHAVIOUR = "behaviour", _("Về hành vi của cán bộ – chuyển cơ quan có thẩm quyền")
    RULES_IN_COMPETENCE = "rules_in", _("Về quy định hành chính thuộc thẩm quyền")
    RULES_OUT_OF_COMPETENCE = "rules_out", _("Về quy định hành chính không thuộc thẩm quyền – chuyển trong 5 ngày làm việc")


class Channel(models.TextChoices):
    WEB = "web", _("Cổng thông tin")
    API = "api", _("Ứng dụng (API, Open311)")
    COUNTER_QR = "counter_qr", _("Mã QR tại bộ phận một cửa")
    PAPER = "paper", _("Văn bản giấy")
    PHONE = "phone", _("Điện thoại")
    EMAIL = "email", _("Thư điện tử")
    MEETING = "meeting", _("Tiếp công dân, hội nghị")


class Status(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận")
    ACCEPTED = "accepted", _("Đã thụ lý")
    DECLINED = "declined", _("Không thụ lý")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    AWAITING_INFO = "awaiting_info", _("Chờ người phản ánh bổ sung")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã kết thúc")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Gửi phản ánh")
    ACCEPT = "accept", _("Thụ lý")
    DECLINE = "decline", _("Không thụ lý")
    ASSIGN = "assign", _("Giao xử lý")
    START = "start", _("Bắt đầu xử lý")
    TRANSFER = "transfer", _("Chuyển đơn vị khác")
    REQUEST_INFO = "request_info", _("Đề nghị bổ sung thông tin")
    ADD_INFO = "add_info", _("Người phản ánh bổ sung thông tin")
    ANSWER = "answer", _("Trả lời")
    CONFIRM = "confirm", _("Người phản ánh xác nhận đã giải quyết")
    CLOSE = "close", _("Kết thúc")
    REOPEN = "reopen", _("Mở lại")
    ESCALATE = "escalate", _("Chuyển lên cấp trên do quá hạn")
    REMIND = "remind", _("Nhắc hạn")
    PUBLISH = "publish", _("Công khai kết quả")
    RECOMPUTE = "recompute", _("Tính lại hạn do lịch làm việc thay đổi")


OPEN = (Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.AWAITING_INFO)
ACTIVE = (Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS)

# The one table of allowed transitions, (status, action) → status, through core.transitions; each
# row below lists the statuses an action may start from and the status it leads to (None keeps the
# status). Who may take each action is in permissions.py.
TRANSITIONS = transitions.table(
    [
        ((Status.RECEIVED,), Action.ACCEPT, Status.ACCEPTED),
        ((Status.RECEIVED,), Action.DECLINE, Status.DECLINED),
        ((Status.ACCEPTED, Status.ASSIGNED), Action.ASSIGN, Status.ASSIGNED),
        ((Status.ACCEPTED, Status.ASSIGNED), Action.START, Status.IN_PROGRESS),
        ((Status.RECEIVED, Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS), Action.TRANSFER, Status.RECEIVED),
        ((Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS), Action.REQUEST_INFO, Status.AWAITING_INFO),
        (OPEN, Action.ADD_INFO, None),
        ((Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS), Action.ANSWER, Status.ANSWERED),
        ((Status.ANSWERED,), Action.CONFIRM, Status.CLOSED),
        ((Status.ANSWERED,), Action.CLOSE, Status.CLOSED),
        ((Status.ANSWERED, Status.CLOSED), Action.REOPEN, Status.IN_PROGRESS),
        (OPEN, Action.ESCALATE, None),
        ((Status.ANSWERED, Status.CLOSED), Action.PUBLISH, None),
    ]
)


def new_tracking_code() -> str:
    # 16 symbols from a 32-letter alphabet without look-alikes: 80 bits from the OS's CSPRNG.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    raw = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def new_public_id() -> str:
    # The id the public and Open311 clients see (GeoReport's service_request_id). It is not the
    # tracking code: it unlocks nothing, so it may travel in URLs. Random, so ids are not guessable
    # one after another: 12 symbols, 60 bits.
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "PA-" + "".join(secrets.choice(alphabet) for _ in range(12))


class DeadlineRule(models.Model):
    """Working days to answer, per category (and per kind for complaints and denunciations), set by
    a province for its own cases; the rows without a province are the national default every
    province falls back to."""

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(_("loại phản ánh"), max_length=40)
    working_days = models.PositiveSmallIntegerField(_("số ngày làm việc"))
    source = models.CharField(_("căn cứ"), max_length=300)

    class Meta:
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(fields=["province", "key"], name="feedback_deadline_unique_per_province"),
            models.UniqueConstraint(fields=["key"], condition=models.Q(province__isnull=True), name="feedback_deadline_unique_national"),
        ]
        verbose_name = _("thời hạn giải quyết")
        verbose_name_plural = _("thời hạn giải quyết")

    def __str__(self) -> str:
        return f"{self.key}: {self.working_days}"


class RoutingRule(models.Model):
    """Reports of `category` (any when blank) about a unit in `unit`'s subtree go to `responsible_unit`.
    The most specific rule (deepest `unit`) wins."""

    category = models.CharField(_("lĩnh vực"), max_length=40, choices=Category.choices, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("địa bàn"), on_delete=models.PROTECT, related_name="+")
    responsible_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["category", "unit"], name="feedback_routing_unique")]
        verbose_name = _("quy tắc chuyển xử lý")
        verbose_name_plural = _("quy tắc chuyển xử lý")

    def __str__(self) -> str:
        return f"{self.get_category_display() or _('Mọi lĩnh vực')} · {self.unit} → {self.responsible_unit}"


class RegisterSequence(models.Model):
    """The last register number a unit gave in a year (numbers restart every 1 January)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="feedback_register_seq_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last_number}"


class Case(models.Model):
    """One report in the register. Anonymous rows hold no IP address or user agent; contact details
    are encrypted; the tracking code is stored encrypted (to answer a retried submission) and as a
    keyed hash (to find the case)."""

    kind = models.CharField(_("loại đơn"), max_length=20, choices=Kind.choices, default=Kind.FEEDBACK)
    category = models.CharField(_("lĩnh vực"), max_length=40, choices=Category.choices)
    register_class = models.CharField(_("phân loại (NĐ 20/2008)"), max_length=20, choices=RegisterClass.choices, blank=True)
    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    about_officials = models.BooleanField(_("về cán bộ, lãnh đạo xã"), default=False)
    concerned_unit = models.ForeignKey(Unit, verbose_name=_("xã được phản ánh"), on_delete=models.PROTECT, related_name="+")
    handling_unit = models.ForeignKey(Unit, verbose_name=_("đơn vị xử lý"), on_delete=models.PROTECT, related_name="+")
    register_year = models.PositiveSmallIntegerField(_("năm vào sổ"))
    register_number = models.PositiveIntegerField(_("số vào sổ"))
    register_unit = models.ForeignKey(Unit, verbose_name=_("sổ của đơn vị"), on_delete=models.PROTECT, related_name="+")
    description = models.TextField(_("nội dung"))
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    location_text = models.CharField(_("địa điểm (người phản ánh ghi)"), max_length=500, blank=True)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), db_index=True)
    period_start = models.DateField(_("tính hạn từ ngày"), help_text=_("Ngày tiếp nhận, hoặc ngày chuyển lên cấp trên, mở lại"))
    working_days = models.PositiveSmallIntegerField(_("thời hạn (ngày làm việc)"))
    paused_days = models.PositiveSmallIntegerField(_("ngày làm việc tạm dừng"), default=0)
    paused_since = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("hạn trả lời"), null=True, blank=True, db_index=True)
    due_explanation = models.CharField(max_length=500, blank=True)
    forward_due_on = models.DateField(_("hạn chuyển đơn"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xử lý"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(_("trả lời"), blank=True)
    finding = models.CharField(_("kết luận"), max_length=14, choices=Finding.choices, blank=True)
    decline_reason = models.CharField(_("lý do không thụ lý"), max_length=500, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)
    reminded_for = models.DateField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    answered_on_time = models.BooleanField(null=True)
    allow_publication = models.BooleanField(_("đồng ý công khai"), default=True)
    # Both written by a moderator when publishing (feedback.moderation): never the raw description
    # or the answer as sent to the reporter.
    public_summary = models.TextField(_("nội dung công khai (đã lược thông tin cá nhân)"), blank=True)
    public_answer = models.TextField(_("trả lời công khai (đã lược thông tin cá nhân)"), blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    contact_encrypted = models.TextField(blank=True)
    code_digest = models.CharField(max_length=64, unique=True)
    code_encrypted = models.TextField()
    public_id = models.CharField(max_length=20, unique=True, default=new_public_id, editable=False)
    # A retry is recognised by a keyed hash of (client, Idempotency-Key) and answered only when the
    # keyed hash of its content matches too; neither the key, the content nor the address is kept.
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)
    idempotency_payload_digest = models.CharField(max_length=64, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["register_unit", "register_year", "register_number"], name="feedback_register_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("phản ánh")
        verbose_name_plural = _("phản ánh")

    def __str__(self) -> str:
        return f"{self.register_label} – {self.get_category_display()}"

    @property
    def register_label(self) -> str:
        return f"{self.register_number:05d}/{self.register_year}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_paused(self) -> bool:
        return self.status == Status.AWAITING_INFO

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_encrypted)

    @property
    def is_protected(self) -> bool:
        return self.kind in PROTECTED_KINDS

    @property
    def concerns_officials(self) -> bool:
        """About the conduct of officials: marked so, or of a conduct category."""
        return self.about_officials or self.category in CONDUCT_CATEGORIES

    def is_overdue_on(self, day: dt.date) -> bool:
        return self.is_open and not self.is_paused and self.due_on is not None and self.due_on < day


class CaseEvent(models.Model):
    """Every step of a case: who, when, from which state to which, and what was said. Only `public`
    events are shown on the reporter's tracking page, and their note only when `note_for_reporter`
    (an answer, a request for information, a decline reason, or a note staff marked for the
    reporter); everything else is internal by default."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_reporter = models.BooleanField(default=False)
    from_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
    public = models.BooleanField(default=False)
    note_for_reporter = models.BooleanField(default=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action} {self.at:%d/%m/%Y}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    from_reporter = models.BooleanField(default=True)

    def __str__(self) -> str:
        return str(self.file)


def _counter_token() -> str:
    return secrets.token_urlsafe(12)


class Counter(models.Model):
    """A one-stop-shop reception counter of a commune; its QR sheet links to the rating page."""

    unit = models.ForeignKey(Unit, verbose_name=_("xã"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên quầy"), max_length=200)
    officer_name = models.CharField(_("cán bộ trực"), max_length=200, blank=True)
    token = models.CharField(max_length=32, unique=True, default=_counter_token, editable=False)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["unit__name", "name"]
        verbose_name = _("quầy một cửa")
        verbose_name_plural = _("quầy một cửa")

    def __str__(self) -> str:
        return f"{self.name} – {self.unit}"


class Score(models.TextChoices):
    SATISFIED = "satisfied", _("Hài lòng")
    ACCEPTABLE = "acceptable", _("Chấp nhận được")
    NOT_SATISFIED = "not_satisfied", _("Không hài lòng")


class RatingReason(models.TextChoices):
    WAITING = "waiting", _("Chờ đợi lâu")
    ATTITUDE = "attitude", _("Thái độ chưa đúng mực")
    GUIDANCE = "guidance", _("Hướng dẫn chưa rõ")
    EXTRA_PAPERS = "extra_papers", _("Đòi thêm giấy tờ ngoài quy định")
    EXTRA_MONEY = "extra_money", _("Gợi ý, đòi nộp thêm tiền")
    HARASSMENT = "harassment", _("Gây phiền hà, sách nhiễu")


# Reasons that open a feedback case about the counter's officials (Decree 61/2018, art. 5).
CASE_REASONS = frozenset({RatingReason.HARASSMENT, RatingReason.EXTRA_MONEY})


class CounterRating(models.Model):
    """One tap on a counter's QR page. No IP address, user agent or device id is stored."""

    counter = models.ForeignKey(Counter, on_delete=models.PROTECT, related_name="ratings")
    at = models.DateTimeField(db_index=True)
    score = models.CharField(max_length=20, choices=Score.choices)
    reasons = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A retried rating from an app (the API's Idempotency-Key) is recognised by a keyed hash of
    # (client, key), as for reports (feedback.intake); neither the key nor the client is kept.
    idempotency_digest = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.counter_id} {self.score}"


# --- Summary tables (feedback.summaries) ------------------------------------------------------
# The dashboards read these instead of counting millions of cases: one row per commune and day (and
# per commune and month) of reception, split by the register of the sensitive cases (what
# queries.routed_away() needs to leave out as a viewer sees it). Kept current from the backlog below
# (written in the same transaction as every case save) by a job after the commit, with a periodic
# catch-up; rebuilt in bulk by the demo and the national-scale generator.
TALLY_CATEGORY_FIELDS = {value: f"category_{value}" for value in Category.values}
TALLY_CHANNEL_FIELDS = {value: f"channel_{value}" for value in Channel.values}


class Tally(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", help_text="the concerned commune")
    day = models.DateField(help_text="the day received (local time); a month's first day in the monthly table")
    # Sensitive cases (about officials, complaints, denunciations) are kept apart by the unit whose
    # register holds them; every other case has None here.
    sensitive_register = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    harassment = models.PositiveIntegerField(default=0)
    category_democracy_not_disclosed = models.PositiveIntegerField(default=0)
    category_democracy_not_consulted = models.PositiveIntegerField(default=0)
    category_democracy_without_people = models.PositiveIntegerField(default=0)
    category_conduct_harassment = models.PositiveIntegerField(default=0)
    category_conduct_extra_demands = models.PositiveIntegerField(default=0)
    category_conduct_delay = models.PositiveIntegerField(default=0)
    category_facilities = models.PositiveIntegerField(default=0)
    category_other = models.PositiveIntegerField(default=0)
    channel_web = models.PositiveIntegerField(default=0)
    channel_api = models.PositiveIntegerField(default=0)
    channel_counter_qr = models.PositiveIntegerField(default=0)
    channel_paper = models.PositiveIntegerField(default=0)
    channel_phone = models.PositiveIntegerField(default=0)
    channel_email = models.PositiveIntegerField(default=0)
    channel_meeting = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%d/%m/%Y}: {self.total}"


class DailyTally(Tally):
    class Meta:
        indexes = [models.Index(fields=["day", "unit"])]


class MonthlyTally(Tally):
    class Meta:
        indexes = [models.Index(fields=["day", "unit"])]


class TallyBacklog(models.Model):
    """A commune's day whose tallies a case save made stale; the refresh deletes the rows it read."""

    unit_id = models.IntegerField()
    day = models.DateField()

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day:%d/%m/%Y}"
