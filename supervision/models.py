"""Inspect and supervise (Law 10/2022/QH15, arts. 30–45): the People's Inspection Board of a commune and
the Community Investment Supervision Boards of its programmes and projects, their members, plans,
the citizens' feedback they take up, their recommendations to the commune with its answers, and the
board's quarterly report to the Fatherland Front."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.transitions import table
from units.models import Unit


class BoardKind(models.TextChoices):
    INSPECTION = "inspection", _("Ban Thanh tra nhân dân")
    INVESTMENT = "investment", _("Ban Giám sát đầu tư của cộng đồng")


class Board(models.Model):
    """A supervising board of a commune: its People's Inspection Board (one per commune and term) or
    the Community Investment Supervision Board of one programme or project."""

    kind = models.CharField(_("loại ban"), max_length=20, choices=BoardKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="supervision_boards")
    name = models.CharField(_("tên ban"), max_length=300)
    project = models.CharField(_("chương trình, dự án giám sát"), max_length=300, blank=True)
    term_start = models.DateField(_("nhiệm kỳ từ"))
    term_end = models.DateField(_("nhiệm kỳ đến"))
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["unit__name", "kind", "-term_start"]
        verbose_name = _("ban giám sát")
        verbose_name_plural = _("ban giám sát")

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    HEAD = "head", _("Trưởng ban")
    DEPUTY = "deputy", _("Phó Trưởng ban")
    MEMBER = "member", _("Thành viên")


class BoardMember(models.Model):
    board = models.ForeignKey(Board, verbose_name=_("ban"), on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField(_("họ và tên"), max_length=200)
    position = models.CharField(_("chức danh"), max_length=10, choices=Position.choices, default=Position.MEMBER)
    village = models.ForeignKey(Unit, verbose_name=_("thôn, tổ dân phố"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    term_start = models.DateField(_("từ ngày"))
    term_end = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["board", "position", "full_name"]
        verbose_name = _("thành viên ban")
        verbose_name_plural = _("thành viên ban")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_position_display()})"

    def serves_on(self, day: dt.date) -> bool:
        return self.term_start <= day and (self.term_end is None or self.term_end >= day)


class Plan(models.Model):
    """The board's work or supervision plan; an investment board's is notified to the commune and
    the investor ahead of the supervision (conf.INVESTMENT_PLAN_NOTICE_DAYS)."""

    board = models.ForeignKey(Board, verbose_name=_("ban"), on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(_("tên kế hoạch"), max_length=300)
    content = models.TextField(_("nội dung"))
    notified_on = models.DateField(_("ngày thông báo"))
    starts_on = models.DateField(_("bắt đầu"))
    ends_on = models.DateField(_("kết thúc"))

    class Meta:
        ordering = ["board", "-starts_on"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return self.title


class CaseLink(models.Model):
    """A citizen's feedback case the board took up, by the case's public reference (PA-…). The
    capabilities do not import each other and no registry yet reads a case by reference, so the
    board keeps the reference and the feedback pages show the case."""

    board = models.ForeignKey(Board, verbose_name=_("ban"), on_delete=models.CASCADE, related_name="case_links")
    reference = models.CharField(_("mã phản ánh"), max_length=40)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    linked_at = models.DateTimeField(_("gắn lúc"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gắn"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "reference"], name="supervision_case_link_unique")]
        ordering = ["board", "-linked_at"]
        verbose_name = _("phản ánh ban tiếp nhận")
        verbose_name_plural = _("phản ánh ban tiếp nhận")

    def __str__(self) -> str:
        return self.reference


class RecommendationState(models.TextChoices):
    SENT = "sent", _("Chờ trả lời")
    ANSWERED = "answered", _("Đã trả lời")
    WITHDRAWN = "withdrawn", _("Đã rút")


class RecommendationAction(models.TextChoices):
    ANSWER = "answer", _("Trả lời kiến nghị")
    WITHDRAW = "withdraw", _("Rút kiến nghị")


RECOMMENDATION_TRANSITIONS = table(
    [
        ([RecommendationState.SENT], RecommendationAction.ANSWER, RecommendationState.ANSWERED),
        ([RecommendationState.SENT], RecommendationAction.WITHDRAW, RecommendationState.WITHDRAWN),
    ]
)


class Recommendation(models.Model):
    """A board's recommendation to the commune; the commune answers by `due_on` (clocks.due_on)."""

    board = models.ForeignKey(Board, verbose_name=_("ban"), on_delete=models.PROTECT, related_name="recommendations")
    number = models.PositiveIntegerField(_("số"))
    subject = models.CharField(_("trích yếu"), max_length=300)
    content = models.TextField(_("nội dung kiến nghị"))
    sent_on = models.DateField(_("ngày gửi"))
    due_on = models.DateField(_("hạn trả lời"))
    state = models.CharField(_("trạng thái"), max_length=20, choices=RecommendationState.choices, default=RecommendationState.SENT)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người trả lời"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "number"], name="supervision_recommendation_number")]
        indexes = [models.Index(fields=["state", "due_on"])]
        ordering = ["-sent_on", "-number"]
        verbose_name = _("kiến nghị")
        verbose_name_plural = _("kiến nghị")

    def __str__(self) -> str:
        return f"{self.number}: {self.subject}"


class QuarterlyReport(models.Model):
    """The board's quarterly report to the commune's Fatherland Front committee."""

    board = models.ForeignKey(Board, verbose_name=_("ban"), on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"))
    content = models.TextField(_("nội dung báo cáo"))
    sent_on = models.DateField(_("ngày gửi Ủy ban MTTQ"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ghi"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["board", "year", "quarter"], name="supervision_report_quarter")]
        ordering = ["board", "-year", "-quarter"]
        verbose_name = _("báo cáo quý")
        verbose_name_plural = _("báo cáo quý")

    def __str__(self) -> str:
        return f"Quý {self.quarter}/{self.year}"


class MeetingKind(models.TextChoices):
    DIALOGUE = "dialogue", _("Hội nghị đối thoại giữa chính quyền xã và Nhân dân")
    VILLAGE_CONFERENCE = "village_conference", _("Hội nghị thôn, tổ dân phố thường niên")


class Meeting(models.Model):
    """A dialogue conference of a commune with its people (at least one a year) or a village's annual
    conference (notified conf.VILLAGE_CONFERENCE_NOTICE_DAYS days ahead)."""

    kind = models.CharField(_("loại hội nghị"), max_length=30, choices=MeetingKind.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("xã hoặc thôn"), on_delete=models.PROTECT, related_name="supervision_meetings")
    title = models.CharField(_("tên hội nghị"), max_length=300)
    notified_on = models.DateField(_("ngày thông báo"))
    held_on = models.DateField(_("ngày tổ chức"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    attendees = models.PositiveIntegerField(_("số người dự"), null=True, blank=True)
    households_represented = models.PositiveIntegerField(_("số hộ có đại diện dự"), null=True, blank=True)
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "pk"]
        verbose_name = _("hội nghị")
        verbose_name_plural = _("hội nghị")

    def __str__(self) -> str:
        return self.title


class IssueState(models.TextChoices):
    OPEN = "open", _("Đang theo dõi")
    DONE = "done", _("Đã thực hiện")


class IssueAction(models.TextChoices):
    FOLLOW_UP = "follow_up", _("Ghi kết quả theo dõi")
    CLOSE = "close", _("Xác nhận đã thực hiện")


ISSUE_TRANSITIONS = table(
    [
        ([IssueState.OPEN], IssueAction.FOLLOW_UP, None),
        ([IssueState.OPEN], IssueAction.CLOSE, IssueState.DONE),
    ]
)


class MeetingIssue(models.Model):
    """An issue the people raised at a meeting and the answer promised, followed up until done."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("hội nghị"), on_delete=models.CASCADE, related_name="issues")
    raised = models.TextField(_("ý kiến, kiến nghị của Nhân dân"))
    promised = models.TextField(_("nội dung trả lời, cam kết"), blank=True)
    responsible = models.CharField(_("người, bộ phận thực hiện"), max_length=200, blank=True)
    promised_by = models.DateField(_("hạn thực hiện"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=IssueState.choices, default=IssueState.OPEN)
    follow_up = models.TextField(_("kết quả theo dõi"), blank=True)
    done_on = models.DateField(_("ngày thực hiện xong"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("ý kiến tại hội nghị")
        verbose_name_plural = _("ý kiến tại hội nghị")

    def __str__(self) -> str:
        return self.raised[:80]


# --- The periodic results report (báo cáo kết quả thực hiện dân chủ ở cơ sở) -----------------------
class PeriodKind(models.TextChoices):
    HALF_YEAR = "half_year", _("6 tháng")
    YEAR = "year", _("Năm")


class ReportForm(models.Model):
    """One version of a province's report form: which units report, how often, the due date in
    working days after the period's end, and its sections of indicators. A version that units have
    reported on is never changed: the province edits a new version and puts it in use."""

    province = models.ForeignKey(Unit, verbose_name=_("tỉnh"), on_delete=models.PROTECT, related_name="report_forms")
    code = models.SlugField(_("mã mẫu"), max_length=40)
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    title = models.CharField(_("tên mẫu báo cáo"), max_length=300)
    period_kind = models.CharField(_("kỳ báo cáo"), max_length=20, choices=PeriodKind.choices)
    reporting_kind = models.CharField(_("cấp báo cáo"), max_length=20, default="commune")
    due_working_days = models.PositiveSmallIntegerField(_("hạn gửi (số ngày làm việc sau khi hết kỳ)"))
    in_use = models.BooleanField(_("đang áp dụng"), default=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    # A version is a draft until the province publishes it; once published it never changes again.
    published_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ban hành"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["province", "code", "version"], name="supervision_report_form_version"),
            models.UniqueConstraint(
                fields=["province", "code"], condition=models.Q(in_use=True), name="supervision_report_form_one_in_use"
            ),
        ]
        ordering = ["province", "code", "-version"]
        verbose_name = _("mẫu báo cáo định kỳ")
        verbose_name_plural = _("mẫu báo cáo định kỳ")

    def __str__(self) -> str:
        return f"{self.title} (phiên bản {self.version})"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class ReportSection(models.Model):
    form = models.ForeignKey(ReportForm, verbose_name=_("mẫu báo cáo"), on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("tên phần"), max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "order"], name="supervision_report_section_order")]
        ordering = ["form", "order"]
        verbose_name = _("phần của mẫu báo cáo")
        verbose_name_plural = _("phần của mẫu báo cáo")

    def __str__(self) -> str:
        return self.title


class IndicatorKind(models.TextChoices):
    NUMBER = "number", _("Số")
    TEXT = "text", _("Văn bản")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng tổng")
    AVERAGE = "average", _("Trung bình các đơn vị")


class ReportIndicator(models.Model):
    """One line of the form; with a `metric_key` (core.metrics) the platform pre-fills it."""

    section = models.ForeignKey(ReportSection, verbose_name=_("phần"), on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    code = models.SlugField(_("mã chỉ tiêu"), max_length=60)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    kind = models.CharField(_("kiểu"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.NUMBER)
    metric_key = models.CharField(_("nguồn số liệu trên nền tảng"), max_length=100, blank=True)
    # How the level above combines its units' figures: counts and amounts add up, rates are averaged.
    aggregation = models.CharField(_("cách tổng hợp"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="supervision_report_indicator_code")]
        ordering = ["section", "order"]
        verbose_name = _("chỉ tiêu báo cáo")
        verbose_name_plural = _("chỉ tiêu báo cáo")

    def __str__(self) -> str:
        return self.label


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã tiếp nhận")


class ReportAction(models.TextChoices):
    EDIT = "edit", _("Cập nhật số liệu")
    SUBMIT = "submit", _("Gửi báo cáo")
    RETURN = "return", _("Trả lại kèm ý kiến")
    ACCEPT = "accept", _("Tiếp nhận")


REPORT_TRANSITIONS = table(
    [
        ([ReportState.DRAFT, ReportState.RETURNED], ReportAction.EDIT, None),
        ([ReportState.DRAFT, ReportState.RETURNED], ReportAction.SUBMIT, ReportState.SUBMITTED),
        ([ReportState.SUBMITTED], ReportAction.RETURN, ReportState.RETURNED),
        ([ReportState.SUBMITTED], ReportAction.ACCEPT, ReportState.ACCEPTED),
    ]
)


class UnitReport(models.Model):
    """A unit's report for one period on one form version, reviewed by the level above in force on
    the period's last day (`reviewer`). `first_submitted_on` decides timeliness; `submitted_on` is
    the latest submission."""

    form = models.ForeignKey(ReportForm, verbose_name=_("mẫu báo cáo"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị báo cáo"), on_delete=models.PROTECT, related_name="periodic_reports")
    reviewer = models.ForeignKey(Unit, verbose_name=_("cấp tiếp nhận"), on_delete=models.PROTECT, related_name="reviewed_reports")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    due_on = models.DateField(_("hạn gửi"))
    state = models.CharField(_("trạng thái"), max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    first_submitted_on = models.DateField(_("gửi lần đầu"), null=True, blank=True)
    submitted_on = models.DateField(_("gửi lần gần nhất"), null=True, blank=True)
    review_comment = models.TextField(_("ý kiến của cấp tiếp nhận"), blank=True)
    reviewed_on = models.DateField(_("ngày xem xét"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người xem xét"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["form", "unit", "period_start"], name="supervision_unit_report_period"),
        ]
        indexes = [models.Index(fields=["reviewer", "period_end", "state"])]
        ordering = ["-period_end", "unit__name"]
        verbose_name = _("báo cáo định kỳ của đơn vị")
        verbose_name_plural = _("báo cáo định kỳ của đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class ReportValue(models.Model):
    """One indicator's value in a unit's report, beside what the platform pre-filled (`prefilled`,
    with its source or why there is none); a value that differs from it carries an explanation."""

    report = models.ForeignKey(UnitReport, verbose_name=_("báo cáo"), on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(ReportIndicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="+")
    number = models.DecimalField(_("số liệu"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("nội dung"), blank=True)
    prefilled = models.DecimalField(_("số liệu từ nền tảng"), max_digits=14, decimal_places=2, null=True, blank=True)
    prefill_note = models.CharField(_("nguồn số liệu"), max_length=300, blank=True)
    deviation_note = models.TextField(_("giải trình chênh lệch"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "indicator"], name="supervision_report_value_unique")]
        ordering = ["report", "indicator__section__order", "indicator__order"]
        verbose_name = _("số liệu báo cáo")
        verbose_name_plural = _("số liệu báo cáo")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.number if self.number is not None else self.text}"

    @property
    def deviates(self) -> bool:
        return self.prefilled is not None and self.number is not None and self.number != self.prefilled
