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
