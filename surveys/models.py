"""Questionnaires (versioned instruments), campaigns with a stratified sample, one-time tokens and
responses. A published version is never edited: a revision is a new version."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import transitions
from units.models import Unit


class Element(models.TextChoices):
    """What a question feeds: the five SIPAS elements and PAPI's three dimensions (DOMAIN.md)."""

    ACCESS = "access", _("Tiếp cận dịch vụ")
    PROCEDURES = "procedures", _("Thủ tục hành chính")
    OFFICIALS = "officials", _("Công chức giải quyết công việc")
    RESULTS = "results", _("Kết quả giải quyết")
    FEEDBACK = "feedback", _("Tiếp nhận, xử lý ý kiến góp ý")
    PARTICIPATION = "participation", _("Sự tham gia của người dân")
    TRANSPARENCY = "transparency", _("Công khai, minh bạch")
    ACCOUNTABILITY = "accountability", _("Trách nhiệm giải trình")


class Group(models.TextChoices):
    CITIZENS = "citizens", _("Người dân")
    OFFICIALS = "officials", _("Cán bộ, công chức")
    ORGANISATIONS = "organisations", _("Tổ chức")
    BUSINESSES = "businesses", _("Doanh nghiệp")


class QuestionKind(models.TextChoices):
    LIKERT = "likert", _("Thang đo 1–5")
    SINGLE = "single", _("Chọn một")
    MULTIPLE = "multiple", _("Chọn nhiều")
    NUMBER = "number", _("Số")
    SHORT_TEXT = "short_text", _("Văn bản ngắn")
    LONG_TEXT = "long_text", _("Văn bản dài")
    INTEGER = "integer", _("Số nguyên")
    DATE = "date", _("Ngày")
    NOTE = "note", _("Lời dẫn (không hỏi)")
    CALCULATE = "calculate", _("Giá trị tính (hiển thị)")


# Kinds that take no answer from the respondent.
NO_ANSWER_KINDS = ("note", "calculate")
# The language key of labels written without a language (XLSForm `label` rather than `label::X`).
DEFAULT_LANGUAGE = "default"


class Instrument(models.Model):
    code = models.CharField(_("mã phiếu"), max_length=20, unique=True)
    title = models.CharField(_("tên phiếu"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã ban hành")
    RETIRED = "retired", _("Ngừng sử dụng")


# (state, action) → state through core.transitions; an action is named by the state it asks for.
VERSION_TRANSITIONS = transitions.table(
    [
        ((VersionState.DRAFT,), VersionState.PUBLISHED, VersionState.PUBLISHED),
        ((VersionState.PUBLISHED,), VersionState.RETIRED, VersionState.RETIRED),
    ]
)


class InstrumentVersion(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions", verbose_name=_("phiếu"))
    number = models.PositiveIntegerField(_("phiên bản"))
    title = models.CharField(_("tiêu đề"), max_length=300)
    group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=Group.choices)
    intro = models.TextField(_("lời giới thiệu"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=VersionState.choices, default=VersionState.DRAFT)
    published_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    # The languages labels are written in, the default first (XLSForm `label::Language` columns;
    # DEFAULT_LANGUAGE for a plain `label` column). Empty: the one language of `text`.
    languages = models.JSONField(_("ngôn ngữ"), default=list, blank=True)

    class Meta:
        ordering = ["instrument__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["instrument", "number"], name="survey_version_unique")]
        verbose_name = _("phiên bản phiếu")
        verbose_name_plural = _("phiên bản phiếu")

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state == VersionState.DRAFT


class Section(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tên phần"), max_length=300)
    # The XLSForm group this section is (blank: questions outside any group), its relevance and
    # its title in each language.
    name = models.CharField(_("tên nhóm (XLSForm)"), max_length=100, blank=True)
    relevant = models.TextField(_("điều kiện hiển thị cả phần"), blank=True)
    labels = models.JSONField(default=dict, blank=True)
    appearance = models.CharField(_("cách hiển thị"), max_length=100, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("phần")
        verbose_name_plural = _("phần")

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    version = models.ForeignKey(InstrumentVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions", verbose_name=_("phần"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.SlugField(_("mã câu hỏi"), max_length=100)
    text = models.TextField(_("nội dung câu hỏi"))
    kind = models.CharField(_("loại"), max_length=12, choices=QuestionKind.choices)
    required = models.BooleanField(_("bắt buộc"), default=True)
    element = models.CharField(_("yếu tố chỉ số"), max_length=20, choices=Element.choices, blank=True)
    # [[value, label], ...] for single/multiple choice
    choices = models.JSONField(_("lựa chọn"), default=list, blank=True)
    show_if_code = models.SlugField(_("chỉ hiện khi câu"), max_length=100, blank=True)
    show_if_value = models.CharField(_("có trả lời bằng"), max_length=100, blank=True)
    min_value = models.FloatField(_("giá trị nhỏ nhất"), null=True, blank=True)
    max_value = models.FloatField(_("giá trị lớn nhất"), null=True, blank=True)
    # What an XLSForm carries beyond the builder's fields, kept as written (surveys.expressions
    # evaluates the expressions): labels, hints and constraint messages by language, choice labels
    # by value and language, the groups nested inside the section ([{name, labels, relevant}]).
    labels = models.JSONField(default=dict, blank=True)
    hints = models.JSONField(default=dict, blank=True)
    relevant = models.TextField(_("điều kiện hiển thị (biểu thức)"), blank=True)
    constraint = models.TextField(_("ràng buộc (biểu thức)"), blank=True)
    constraint_messages = models.JSONField(default=dict, blank=True)
    calculation = models.TextField(_("công thức tính"), blank=True)
    appearance = models.CharField(_("cách hiển thị"), max_length=100, blank=True)
    choice_labels = models.JSONField(default=dict, blank=True)
    groups = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["section__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="survey_question_code_unique")]
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"

    def choice_values(self) -> list[str]:
        return [str(c[0]) for c in self.choices]

    @property
    def takes_answer(self) -> bool:
        return self.kind not in NO_ANSWER_KINDS

    def label_in(self, language: str) -> str:
        return str(self.labels.get(language) or self.text)

    def hint_in(self, language: str) -> str:
        return str(self.hints.get(language) or self.hints.get(DEFAULT_LANGUAGE) or next(iter(self.hints.values()), ""))

    def choices_in(self, language: str) -> list[tuple[str, str]]:
        return [(str(v), str(self.choice_labels.get(str(v), {}).get(language) or label)) for v, label in self.choices]


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Chuẩn bị")
    OPEN = "open", _("Đang thu thập")
    CLOSED = "closed", _("Đã kết thúc")


# (state, action) → state through core.transitions; an action is named by the state it asks for.
CAMPAIGN_TRANSITIONS = transitions.table(
    [
        ((CampaignState.DRAFT,), CampaignState.OPEN, CampaignState.OPEN),
        ((CampaignState.OPEN,), CampaignState.CLOSED, CampaignState.CLOSED),
    ]
)


class Campaign(models.Model):
    title = models.CharField(_("tên đợt khảo sát"), max_length=300)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="survey_campaigns", verbose_name=_("đơn vị tổ chức"))
    year = models.PositiveIntegerField(_("năm"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    anonymous = models.BooleanField(_("ẩn danh"), default=True)
    verify_phone = models.BooleanField(_("xác minh người trả lời bằng mã SMS"), default=False)
    state = models.CharField(_("trạng thái"), max_length=10, choices=CampaignState.choices, default=CampaignState.DRAFT)
    min_responses = models.PositiveIntegerField(_("số phiếu tối thiểu để công bố"), default=10)
    margin = models.FloatField(_("sai số cho phép"), default=0.05)
    confidence = models.FloatField(_("độ tin cậy"), default=0.95)
    proportion = models.FloatField(_("tỷ lệ dự kiến"), default=0.5)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("đợt khảo sát")
        verbose_name_plural = _("đợt khảo sát")

    def __str__(self) -> str:
        return self.title


class CampaignForm(models.Model):
    """The instrument version a respondent group answers in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="forms")
    group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=Group.choices)
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="campaign_forms", verbose_name=_("phiếu"))

    class Meta:
        ordering = ["campaign", "version__instrument__code", "group"]
        constraints = [models.UniqueConstraint(fields=["campaign", "group", "version"], name="survey_form_unique")]

    def __str__(self) -> str:
        return f"{self.version} – {self.get_group_display()}"


class Stratum(models.Model):
    """One commune × form (and so group) cell of the stratified sample."""

    form = models.ForeignKey(CampaignForm, on_delete=models.CASCADE, related_name="strata")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    population = models.PositiveIntegerField(_("quy mô tổng thể"))
    # Where `population` comes from (e.g. "Số hộ theo danh mục đơn vị", "Biên chế năm 2026 của Sở
    # Nội vụ"). Blank: an assumed size (conf.DEFAULT_POPULATION), used for the quota and weights but
    # never for a finite population correction.
    population_source = models.CharField(_("nguồn số liệu quy mô"), max_length=200, blank=True)
    quota = models.PositiveIntegerField(_("chỉ tiêu mẫu"))
    received = models.PositiveIntegerField(_("đã nhận"), default=0)
    # Of those, the ones through the open link: only they meet the quota. Invited (sampled)
    # respondents, who hold a one-time token, are never turned away by open-link answers.
    open_received = models.PositiveIntegerField(_("đã nhận qua đường dẫn mở"), default=0)
    open_key = models.CharField(max_length=32, unique=True)
    # Devices (signed-cookie ids) and verified phone numbers that have answered here, as keyed
    # digests kept SORTED in one row: a separate row per mark would keep the order of arrival,
    # which matches the order of the responses and would link them.
    answered_devices = models.JSONField(default=list, blank=True)
    answered_phones = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["unit__path", "form"]
        constraints = [models.UniqueConstraint(fields=["form", "unit"], name="survey_stratum_unique")]

    def __str__(self) -> str:
        return f"{self.unit} – {self.form}"

    @property
    def is_full(self) -> bool:
        """The open link takes no more (invitations are still answered)."""
        return self.open_received >= self.quota


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Token(models.Model):
    """A one-time invitation. Only its digest is stored; using it sets `used` and nothing else: no
    day or time (with the stratum, the day a token was used would single out its response), and
    nothing points from the response back here."""

    stratum = models.ForeignKey(Stratum, on_delete=models.CASCADE, related_name="tokens")
    digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("mã mời")
        verbose_name_plural = _("mã mời")

    def __str__(self) -> str:
        return f"{self.digest[:8]}…"


class Mode(models.TextChoices):
    TOKEN = "token", _("Mã mời một lần")
    OPEN = "open", _("Đường dẫn mở")
    INTERVIEWER = "interviewer", _("Nhập phiếu giấy")


class Flag(models.TextChoices):
    DUPLICATE = "duplicate", _("Trùng lặp")
    NEAR_DUPLICATE = "near_duplicate", _("Gần trùng lặp (khác tối đa một câu)")
    STRAIGHT_LINE = "straight_line", _("Chọn một mức cho mọi câu")
    TOO_FAST = "too_fast", _("Hoàn thành nhanh bất thường")


class Response(models.Model):
    """One questionnaire answered. No link to a token, device or phone number, and nothing that
    keeps the order of arrival: the id is a random UUID (an autoincrement id would follow arrival)
    and no date or time is stored (the campaign's period is the only time a response has)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stratum = models.ForeignKey(Stratum, on_delete=models.PROTECT, related_name="responses")
    mode = models.CharField(_("hình thức"), max_length=12, choices=Mode.choices)
    is_complete = models.BooleanField(_("hoàn thành"), default=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    answers = models.JSONField(default=dict)
    flags = models.JSONField(default=list, blank=True)
    # Left out of the index by the documented rule on its flags (services.is_excluded).
    excluded = models.BooleanField(_("loại khỏi chỉ số"), default=False)
    # Digest of the answers' content, to flag duplicates without keeping who sent them.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # Paper forms typed in by staff: who typed them (mode INTERVIEWER marks them as staff entry).
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        # By the random id: a listing never shows the order of arrival.
        ordering = ["id"]
        verbose_name = _("phiếu trả lời")
        verbose_name_plural = _("phiếu trả lời")

    def __str__(self) -> str:
        return f"{self.get_mode_display()} – {self.stratum_id}"


class KnownMargin(models.Model):
    """A known population share of one category of a single-choice question (e.g. sex, age group),
    used to rake the design weights. One variable's shares sum to 1 (services.set_margins checks)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="margins")
    variable = models.SlugField(_("mã câu hỏi"), max_length=40)
    label = models.CharField(_("tên biến"), max_length=100)
    category = models.CharField(_("lựa chọn"), max_length=100)
    share = models.FloatField(_("tỷ lệ trong tổng thể"))

    class Meta:
        ordering = ["variable", "category"]
        constraints = [models.UniqueConstraint(fields=["campaign", "variable", "category"], name="survey_margin_unique")]
        verbose_name = _("cơ cấu tổng thể đã biết")
        verbose_name_plural = _("cơ cấu tổng thể đã biết")

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.share:.3f}"


class ImportState(models.TextChoices):
    PENDING = "pending", _("Đang chờ xử lý")
    DONE = "done", _("Đã nhập")
    FAILED = "failed", _("Không nhập được")


class XlsformImport(models.Model):
    """An XLSForm upload waiting for, or done by, the import job (tasks.run_xlsform_import). The file
    is kept only until the job has read it."""

    code = models.CharField(_("mã phiếu"), max_length=20)
    filename = models.CharField(_("tên tệp"), max_length=255)
    content = models.BinaryField(blank=True)
    state = models.CharField(_("trạng thái"), max_length=10, choices=ImportState.choices, default=ImportState.PENDING)
    reason = models.TextField(_("lý do"), blank=True)
    version = models.ForeignKey(InstrumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập XLSForm")
        verbose_name_plural = _("lượt nhập XLSForm")

    def __str__(self) -> str:
        return f"{self.code} ({self.get_state_display()})"
