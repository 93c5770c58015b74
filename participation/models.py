"""Households of a village, the matters the community discusses and decides (Law 10/2022 arts.
15–22), and the online household vote (Decree 59/2023 art. 5.6).

The vote is secret by construction: `VoteCode` (the code list) records which household has voted,
never how; `Ballot` has no link to a household or a code — no foreign key, no timestamp, a random
UUID key and a random receipt — and a changed vote deletes the old ballot and writes a new one. The
only bridge is the household's own code, of which the database keeps two keyed hashes made for
different purposes (one per table), so neither table leads to the other without the code."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.transitions import table
from units.models import Unit


class Subject(models.IntegerChoices):
    CONTRIBUTIONS = 1, _("1. Chủ trương, mức đóng góp xây dựng cơ sở hạ tầng, công trình công cộng")
    FUNDS = 2, _("2. Việc thu, chi, quản lý các khoản đóng góp, tài sản của cộng đồng")
    COVENANT = 3, _("3. Nội dung hương ước, quy ước của cộng đồng")
    VILLAGE_HEAD = 4, _("4. Bầu, cho thôi làm Trưởng thôn, Tổ trưởng tổ dân phố")
    BOARDS = 5, _("5. Bầu, cho thôi làm thành viên Ban Thanh tra nhân dân, Ban Giám sát đầu tư của cộng đồng")
    OTHER = 6, _("6. Các công việc tự quản khác trong nội bộ cộng đồng")


class Method(models.TextChoices):
    MEETING = "meeting", _("Hội nghị thôn (mỗi hộ một đại diện)")
    BALLOT = "ballot", _("Phát phiếu lấy ý kiến hộ gia đình")
    ONLINE = "online", _("Biểu quyết trực tuyến")


class HouseholdStatus(models.TextChoices):
    ACTIVE = "active", _("Đang cư trú")
    LEFT = "left", _("Đã chuyển đi, không còn là hộ của thôn")


class Household(models.Model):
    """A household of a village (thôn, tổ dân phố). Personal data: the head's name and phone are
    seen only by the commune and the village head; the phone is encrypted at rest."""

    village = models.ForeignKey(Unit, verbose_name=_("thôn, tổ dân phố"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("mã hộ"), max_length=30)
    head_name = models.CharField(_("chủ hộ"), max_length=200)
    phone_encrypted = models.TextField(blank=True, editable=False)
    status = models.CharField(_("tình trạng"), max_length=10, choices=HouseholdStatus.choices, default=HouseholdStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["village", "code"]
        constraints = [models.UniqueConstraint(fields=["village", "code"], name="household_code_unique_per_village")]
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")

    def __str__(self) -> str:
        return f"{self.code} – {self.head_name}"


class MatterState(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    ANNOUNCED = "announced", _("Đã thông báo")
    VOTING = "voting", _("Đang biểu quyết trực tuyến")
    DECIDED = "decided", _("Đã có kết quả")
    SENT = "sent", _("Đã gửi UBND xã")
    RECOGNISED = "recognised", _("UBND xã đã công nhận")
    CANCELLED = "cancelled", _("Đã huỷ")


class MatterAction(models.TextChoices):
    ANNOUNCE = "announce", _("Thông báo")
    OPEN_VOTE = "open_vote", _("Mở biểu quyết trực tuyến")
    RECORD_RESULT = "record_result", _("Ghi kết quả hội nghị, phiếu")
    CLOSE_VOTE = "close_vote", _("Kết thúc biểu quyết, công bố kết quả")
    SEND = "send", _("Gửi biên bản lên UBND xã")
    RECOGNISE = "recognise", _("Công nhận")
    CANCEL = "cancel", _("Huỷ")


S, A = MatterState, MatterAction
MATTER_TRANSITIONS = table(
    [
        ([S.DRAFT], A.ANNOUNCE, S.ANNOUNCED),
        ([S.ANNOUNCED], A.OPEN_VOTE, S.VOTING),
        ([S.ANNOUNCED], A.RECORD_RESULT, S.DECIDED),
        ([S.VOTING], A.CLOSE_VOTE, S.DECIDED),
        ([S.DECIDED], A.SEND, S.SENT),
        ([S.SENT], A.RECOGNISE, S.RECOGNISED),
        ([S.DRAFT, S.ANNOUNCED], A.CANCEL, S.CANCELLED),
    ]
)


class CommuneMatterState(models.TextChoices):
    COLLECTING = "collecting", _("Các thôn đang bàn và quyết định")
    DECIDED = "decided", _("Đã tổng hợp kết quả toàn xã")
    CANCELLED = "cancelled", _("Đã huỷ")


class CommuneMatter(models.Model):
    """A matter decided across all the villages of a commune (art. 21.3): each village decides it as
    its own matter (`Matter.commune_matter`), with its own threshold over all its households; the
    commune then counts the villages where each option passed. Under subjects 1–2 an option needs
    two thirds of the villages (conf.COMMUNE_WIDE_VILLAGES)."""

    commune = models.ForeignKey(Unit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    subject = models.PositiveSmallIntegerField(_("nội dung thuộc nhóm"), choices=Subject.choices)
    method = models.CharField(_("hình thức ở các thôn"), max_length=10, choices=Method.choices)
    title = models.CharField(_("tên nội dung"), max_length=300)
    description = models.TextField(_("nội dung chi tiết"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=CommuneMatterState.choices, default=CommuneMatterState.COLLECTING)
    villages_total = models.PositiveIntegerField(_("tổng số thôn"), null=True, blank=True)
    # The commune-wide count at the decision, per option: [{"option", "villages_passed", "needed", "passed"}].
    tally = models.JSONField(_("kết quả theo thôn"), default=list, blank=True)
    passed = models.BooleanField(_("được thông qua"), null=True, blank=True)
    decided_on = models.DateField(_("ngày tổng hợp kết quả"), null=True, blank=True)
    reference = models.CharField(_("số, ký hiệu văn bản thông báo kết quả"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nội dung bàn và quyết định toàn xã")
        verbose_name_plural = _("nội dung bàn và quyết định toàn xã")

    def __str__(self) -> str:
        return self.title


class Matter(models.Model):
    """One matter a village's community decides, by one method, with its options and its record."""

    village = models.ForeignKey(Unit, verbose_name=_("thôn, tổ dân phố"), on_delete=models.PROTECT, related_name="+")
    subject = models.PositiveSmallIntegerField(_("nội dung thuộc nhóm"), choices=Subject.choices)
    method = models.CharField(_("hình thức"), max_length=10, choices=Method.choices)
    title = models.CharField(_("tên nội dung"), max_length=300)
    description = models.TextField(_("nội dung chi tiết"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=MatterState.choices, default=MatterState.DRAFT)
    notice_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    meeting_on = models.DateField(_("ngày hội nghị, phát phiếu"), null=True, blank=True)
    closes_at = models.DateTimeField(_("kết thúc biểu quyết lúc"), null=True, blank=True)
    households_total = models.PositiveIntegerField(_("tổng số hộ của thôn"), null=True, blank=True)
    represented = models.PositiveIntegerField(_("số hộ có đại diện tham gia"), null=True, blank=True)
    decided_on = models.DateField(_("ngày có kết quả"), null=True, blank=True)
    passed = models.BooleanField(_("được thông qua"), null=True, blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    send_due_on = models.DateField(_("hạn gửi UBND xã"), null=True, blank=True)
    sent_on = models.DateField(_("ngày gửi UBND xã"), null=True, blank=True)
    recognise_due_on = models.DateField(_("hạn công nhận"), null=True, blank=True)
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    recognition_ref = models.CharField(_("số quyết định công nhận"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The village's part of a commune-wide matter, if it is one.
    commune_matter = models.ForeignKey(
        CommuneMatter, null=True, blank=True, on_delete=models.PROTECT, related_name="village_matters", verbose_name=_("nội dung toàn xã")
    )
    # The citizen initiative this matter puts to the community, if any.
    initiative = models.OneToOneField(
        "Initiative", null=True, blank=True, on_delete=models.PROTECT, related_name="matter", verbose_name=_("kiến nghị của người dân")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nội dung bàn và quyết định")
        verbose_name_plural = _("nội dung bàn và quyết định")

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state not in (MatterState.DRAFT, MatterState.CANCELLED)


class MatterOption(models.Model):
    """A choice put to the households. `votes` is entered from a meeting or paper ballots, or
    counted from the ballots when an online vote closes."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(_("phương án"), max_length=200)
    votes = models.PositiveIntegerField(_("số hộ biểu quyết"), default=0)

    class Meta:
        ordering = ["matter", "position", "id"]
        verbose_name = _("phương án")
        verbose_name_plural = _("phương án")

    def __str__(self) -> str:
        return self.label


class OnlineAgreement(models.Model):
    """The households' agreement to decide a subject-6 matter online (art. 19.2): how many of all
    the village's households agreed, when, and on what record."""

    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="online_agreement")
    households_total = models.PositiveIntegerField(_("tổng số hộ"))
    households_agreed = models.PositiveIntegerField(_("số hộ đồng ý biểu quyết trực tuyến"))
    agreed_on = models.DateField(_("ngày ghi nhận"))
    basis = models.CharField(_("căn cứ (biên bản, phiếu)"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("đồng ý biểu quyết trực tuyến")
        verbose_name_plural = _("đồng ý biểu quyết trực tuyến")

    def __str__(self) -> str:
        return f"{self.households_agreed}/{self.households_total}"


class Attendance(models.Model):
    """Who represented which household at a village meeting."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attendance")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    representative = models.CharField(_("người đại diện"), max_length=200)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["matter", "household"], name="attendance_once_per_household")]
        verbose_name = _("đại diện hộ dự họp")
        verbose_name_plural = _("đại diện hộ dự họp")

    def __str__(self) -> str:
        return self.representative


class VoteCode(models.Model):
    """The code list: one code per household per matter; records whether the household has voted
    (online, or on paper entered by the village head), never how. Only a keyed hash of the code is
    kept: the raw code exists on the printed slip alone."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="codes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    has_voted = models.BooleanField(_("đã bỏ phiếu"), default=False)
    on_paper = models.BooleanField(_("bỏ phiếu giấy"), default=False)
    revoked = models.BooleanField(_("đã thay mã"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "household"], condition=models.Q(revoked=False), name="one_live_code_per_household_and_matter"
            )
        ]
        verbose_name = _("mã biểu quyết")
        verbose_name_plural = _("mã biểu quyết")

    def __str__(self) -> str:
        return f"{self.matter_id}/{self.household_id}"


class Ballot(models.Model):
    """One counted vote. Deliberately bare: no household, no code, no time, a random key. `lookup`
    is a keyed hash of the voter's code under its own purpose (so the voter, and only a holder of
    the code, can replace the ballot); paper ballots have none. `receipt` is random and published
    with the choice after the close."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="ballots")
    option = models.ForeignKey(MatterOption, on_delete=models.PROTECT, related_name="+")
    lookup = models.CharField(max_length=64, unique=True, null=True, editable=False)
    receipt = models.CharField(max_length=20, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["matter", "receipt"], name="ballot_receipt_unique_per_matter")]
        verbose_name = _("phiếu biểu quyết")
        verbose_name_plural = _("phiếu biểu quyết")

    def __str__(self) -> str:
        return self.receipt


# --- Consultations on a draft (Law 10/2022 arts. 25–29) ---------------------------------------


class DraftKind(models.TextChoices):
    PLAN = "plan", _("Kế hoạch phát triển kinh tế - xã hội")
    LAND = "land", _("Quy hoạch, kế hoạch sử dụng đất")
    PROJECT = "project", _("Chủ trương đầu tư dự án, công trình")
    BOUNDARY = "boundary", _("Thành lập, nhập, chia, điều chỉnh địa giới đơn vị hành chính")
    REGULATION = "regulation", _("Quy chế thực hiện dân chủ ở cơ sở")
    DECISION = "decision", _("Quyết định hành chính ảnh hưởng đến cộng đồng")


class ConsultationState(models.TextChoices):
    OPEN = "open", _("Đang lấy ý kiến hoặc chờ tổng hợp")
    SUMMARISED = "summarised", _("Đã tổng hợp, công khai tiếp thu, giải trình")


class Consultation(models.Model):
    """A draft put to the people of a commune for their opinions, for at least the period its kind
    requires (20 days by default, conf.CONSULTATION_MIN_DAYS)."""

    unit = models.ForeignKey(Unit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại dự thảo"), max_length=12, choices=DraftKind.choices)
    title = models.CharField(_("tên dự thảo"), max_length=300)
    draft = models.TextField(_("nội dung dự thảo"))
    clauses = models.JSONField(_("các điều, khoản"), default=list, blank=True)
    published_on = models.DateField(_("ngày công bố"))
    closes_on = models.DateField(_("hạn góp ý"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=ConsultationState.choices, default=ConsultationState.OPEN)
    summarised_on = models.DateField(_("ngày tổng hợp"), null=True, blank=True)
    summary = models.TextField(_("báo cáo tổng hợp"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("lấy ý kiến dự thảo")
        verbose_name_plural = _("lấy ý kiến dự thảo")

    def __str__(self) -> str:
        return self.title


class OpinionChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng thông tin, ứng dụng")
    MEETING = "meeting", _("Hội nghị, đối thoại")
    BOX = "box", _("Hòm thư góp ý")
    HOTLINE = "hotline", _("Đường dây nóng")


class Opinion(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="opinions")
    channel = models.CharField(_("kênh"), max_length=10, choices=OpinionChannel.choices)
    clause = models.CharField(_("điều, khoản góp ý"), max_length=200, blank=True)
    text = models.TextField(_("nội dung góp ý"))
    author_name = models.CharField(_("người góp ý (không bắt buộc)"), max_length=200, blank=True)
    received_on = models.DateField(_("ngày nhận"))
    group = models.ForeignKey("OpinionGroup", null=True, blank=True, on_delete=models.SET_NULL, related_name="opinions")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    idempotency_digest = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["consultation", "id"]
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")

    def __str__(self) -> str:
        return self.text[:60]


class OpinionGroup(models.Model):
    """One group of similar opinions in the commune's summary: taken up or not, and why."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="groups")
    position = models.PositiveSmallIntegerField(default=0)
    topic = models.CharField(_("nhóm ý kiến"), max_length=300)
    taken_up = models.BooleanField(_("tiếp thu"))
    reason = models.TextField(_("giải trình"))

    class Meta:
        ordering = ["consultation", "position", "id"]
        verbose_name = _("nhóm ý kiến")
        verbose_name_plural = _("nhóm ý kiến")

    def __str__(self) -> str:
        return self.topic


# --- Citizen initiative (Law 10/2022 art. 16) ---------------------------------------------------


class InitiativeState(models.TextChoices):
    COLLECTING = "collecting", _("Đang lấy chữ ký ủng hộ")
    REACHED = "reached", _("Đủ số hộ ủng hộ: phải đưa ra cộng đồng bàn và quyết định")


class Initiative(models.Model):
    """A proposal of the village's people. Backed by at least 10 % of all the village's households
    (each verified by its one-time code), it must be put to the community: the commune is told and
    the clock starts on `reached_on`."""

    village = models.ForeignKey(Unit, verbose_name=_("thôn, tổ dân phố"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("kiến nghị"), max_length=300)
    proposal = models.TextField(_("nội dung"))
    proposed_by = models.CharField(_("người khởi xướng"), max_length=200)
    opened_on = models.DateField(_("ngày mở lấy ủng hộ"))
    households_total = models.PositiveIntegerField(_("tổng số hộ khi mở"))
    needed = models.PositiveIntegerField(_("số hộ ủng hộ cần có"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=InitiativeState.choices, default=InitiativeState.COLLECTING)
    reached_on = models.DateField(_("ngày đủ số hộ ủng hộ"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("kiến nghị của người dân")
        verbose_name_plural = _("kiến nghị của người dân")

    def __str__(self) -> str:
        return self.title


class InitiativeCode(models.Model):
    """One code per household for backing an initiative; backing is a public act, so the row
    records whether the household backed it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="codes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    supported = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["initiative", "household"], name="one_initiative_code_per_household")]
        verbose_name = _("mã ủng hộ kiến nghị")
        verbose_name_plural = _("mã ủng hộ kiến nghị")

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.household_id}"
