"""Staff forms, and the questionnaire as a list of items to render with the answers kept."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.forms import choice_field, model_choice_field
from surveys import conf, expressions, services
from surveys.models import DEFAULT_LANGUAGE, Group, InstrumentVersion, Question, QuestionKind, Section, VersionState


class SectionForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm[Model] is not subscriptable at runtime
    class Meta:
        model = Section
        fields = ["title"]


class QuestionForm(forms.ModelForm):  # type: ignore[type-arg]  # ModelForm[Model] is not subscriptable at runtime
    choices_text = forms.CharField(
        label=_("Lựa chọn (mỗi dòng: giá trị|nhãn)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Chỉ cho câu chọn một hoặc chọn nhiều, ví dụ: yes|Có"),
    )

    class Meta:
        model = Question
        fields = ["section", "code", "text", "kind", "required", "element", "show_if_code", "show_if_value", "min_value", "max_value"]

    def __init__(self, *args: Any, version: InstrumentVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        model_choice_field(self, "section").queryset = version.sections.all()
        if not self.instance.pk:
            self.fields["section"].initial = version.sections.order_by("-position").values_list("pk", flat=True).first()
        if self.instance.pk:
            self.fields["choices_text"].initial = "\n".join(f"{v}|{label}" for v, label in self.instance.choices)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        clash = Question.objects.filter(version=self.version, code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Mã câu hỏi đã dùng trong phiếu này."))
        return code

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        choices = []
        for line in (data.get("choices_text") or "").splitlines():
            if not line.strip():
                continue
            value, _sep, label = line.partition("|")
            choices.append([value.strip(), (label or value).strip()])
        if data.get("kind") in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and not choices:
            self.add_error("choices_text", _("Câu chọn cần ít nhất một lựa chọn."))
        if data.get("kind") == QuestionKind.LIKERT and not data.get("element"):
            self.add_error("element", _("Câu thang đo cần nêu yếu tố chỉ số nó đóng góp."))
        self.instance.choices = choices
        self.instance.version = self.version
        return data


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Tên đợt khảo sát"), max_length=300)
    year = forms.IntegerField(label=_("Năm"), min_value=2020, max_value=2100)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Đến ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    anonymous = forms.BooleanField(label=_("Ẩn danh (không thể truy ngược phiếu về người trả lời)"), required=False, initial=True)
    verify_phone = forms.BooleanField(
        label=_("Xác minh người trả lời bằng mã SMS (số điện thoại không được lưu cùng phiếu)"), required=False
    )
    margin = forms.FloatField(
        label=_("Sai số cho phép (ví dụ 0,05 = ±5 điểm %)"), min_value=0.01, max_value=0.5, initial=conf.DEFAULT_MARGIN
    )
    confidence = forms.FloatField(label=_("Độ tin cậy"), min_value=0.5, max_value=0.999, initial=conf.DEFAULT_CONFIDENCE)
    proportion = forms.FloatField(label=_("Tỷ lệ hài lòng dự kiến"), min_value=0.01, max_value=0.99, initial=conf.DEFAULT_PROPORTION)
    min_responses = forms.IntegerField(
        label=_("Số phiếu tối thiểu để công bố kết quả"), min_value=1, initial=lambda: conf.DEFAULT_MIN_RESPONSES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        published = InstrumentVersion.objects.filter(state=VersionState.PUBLISHED).select_related("instrument")
        for value, label in Group.choices:
            # Several questionnaires per group (e.g. PKS02, PKS05, PKS06 and PKS07 for citizens):
            # each is fielded with its own sample, quota and QR codes.
            self.fields[f"version_{value}"] = forms.ModelMultipleChoiceField(
                label=_("Phiếu cho nhóm: %(g)s") % {"g": label},
                queryset=published,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_("Chọn một hay nhiều phiếu; mỗi phiếu có mẫu, chỉ tiêu và mã QR riêng."),
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not any(data.get(f"version_{g}") for g in Group.values):
            raise forms.ValidationError(_("Chọn phiếu cho ít nhất một nhóm đối tượng."))
        start, end = data.get("starts_on"), data.get("ends_on")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("ends_on", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def versions(self) -> list[tuple[str, InstrumentVersion]]:
        return [(g, version) for g in Group.values for version in self.cleaned_data.get(f"version_{g}") or []]


class TokenForm(forms.Form):
    count = forms.IntegerField(label=_("Số mã mời cần in"), min_value=1, max_value=1000, initial=20)


def raw_answers(version: InstrumentVersion, data: QueryDict) -> dict[str, Any]:
    """The posted answers by question code (lists for multiple choice); notes and calculations
    take none."""
    raw: dict[str, Any] = {}
    for q in version.questions.all():
        if q.takes_answer:
            raw[q.code] = data.getlist(q.code) if q.kind == QuestionKind.MULTIPLE else data.get(q.code, "")
    return raw


def language_of(version: InstrumentVersion, asked: str | None) -> str:
    """The language the respondent picked if the form has it, else the form's default."""
    languages = list(version.languages) or [DEFAULT_LANGUAGE]
    return asked if asked and asked in languages else str(languages[0])


def language_choices(version: InstrumentVersion) -> list[tuple[str, str]]:
    """The languages to offer (only when there are several), by their names in the form."""
    languages = list(version.languages)
    return [(lang, lang if lang != DEFAULT_LANGUAGE else str(_("Ngôn ngữ gốc"))) for lang in languages] if len(languages) > 1 else []


def _trees(texts: list[str]) -> str:
    """The expressions' trees as JSON for the page's script (the server evaluates the same trees)."""
    return json.dumps([expressions.parse(t) for t in texts if t]) if any(texts) else ""


def question_items(
    version: InstrumentVersion, values: dict[str, Any] | None = None, errors: dict[str, Any] | None = None, language: str = ""
) -> list[dict[str, Any]]:
    """Sections with their questions in `language`, each with its options, what was typed, its
    error, its hint, the groups it opens and its skip logic and calculation for the page's script."""
    values, errors = values or {}, errors or {}
    language = language_of(version, language)
    shown_values = {k: v for k, v in values.items() if not (isinstance(v, str) and v.strip() == "")}
    try:
        calculations = services.calculated(version, shown_values)
    except (expressions.ExpressionError, TypeError, ValueError):
        calculations = {}
    sections = []
    for section in version.sections.prefetch_related("questions"):
        items = []
        open_groups: list[str] = []
        for q in section.questions.all():
            value = values.get(q.code, [] if q.kind == QuestionKind.MULTIPLE else "")
            selected = {str(v) for v in value} if isinstance(value, list) else {str(value)}
            if q.kind == QuestionKind.LIKERT and not q.choices:
                labels = [_("Rất không hài lòng"), _("Không hài lòng"), _("Bình thường"), _("Hài lòng"), _("Rất hài lòng")]
                options = [(str(i), f"{i} – {labels[i - 1]}") for i in range(conf.LIKERT_MIN, conf.LIKERT_MAX + 1)]
            else:
                options = q.choices_in(language)
            path = [g["name"] for g in q.groups]
            while open_groups and open_groups != path[: len(open_groups)]:
                open_groups.pop()
            headings = [str(g.get("labels", {}).get(language) or g["name"]) for g in q.groups[len(open_groups) :]]
            open_groups = path
            items.append(
                {
                    "q": q,
                    "label": q.label_in(language),
                    "hint": q.hint_in(language),
                    "headings": headings,
                    "relevant": _trees([*(g.get("relevant", "") for g in q.groups), q.relevant]),
                    "calculate": _trees([q.calculation]),
                    "calculated": calculations.get(q.code, ""),
                    "value": "" if isinstance(value, list) else value,
                    "options": [{"value": v, "label": label, "checked": v in selected} for v, label in options],
                    "error": " ".join(errors.get(q.code, [])) if isinstance(errors.get(q.code), list) else errors.get(q.code, ""),
                }
            )
        sections.append(
            {
                "section": section,
                "title": str(section.labels.get(language) or section.title),
                "relevant": _trees([section.relevant]),
                "items": items,
            }
        )
    return sections


class MarginForm(forms.Form):
    """A known population structure of one single-choice question: one line per category,
    `value = share` (or `value = number of people` when entered as counts)."""

    variable = forms.ChoiceField(label=_("Câu hỏi (biến cơ cấu)"))
    label = forms.CharField(
        label=_("Tên hiển thị"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: giới tính, nhóm tuổi. Để trống: dùng nội dung câu hỏi."),
    )
    mode = forms.ChoiceField(label=_("Nhập theo"), choices=[("shares", _("Tỷ lệ (tổng bằng 1)")), ("totals", _("Số người"))])
    values = forms.CharField(
        label=_("Cơ cấu tổng thể (mỗi dòng: lựa chọn = giá trị)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: male = 0,49 và female = 0,51 trên hai dòng."),
    )

    def __init__(self, *args: Any, questions: dict[str, Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "variable").choices = [
            (code, f"{code} – {q.text} ({', '.join(q.choice_values())})") for code, q in sorted(questions.items())
        ]

    def clean_values(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for n, line in enumerate(self.cleaned_data["values"].splitlines(), start=1):
            if not line.strip():
                continue
            key, sep, number = line.partition("=")
            try:
                if not sep or not key.strip():
                    raise ValueError
                out[key.strip()] = float(number.strip().replace(",", "."))
            except ValueError:
                raise forms.ValidationError(_("Dòng %(n)s không đúng dạng «lựa chọn = giá trị».") % {"n": n}) from None
        return out


class PopulationForm(forms.Form):
    """Population sizes of one respondent group's strata, one commune a line: `code = number`."""

    group = forms.ChoiceField(label=_("Nhóm đối tượng"), choices=Group.choices)
    source = forms.CharField(
        label=_("Nguồn số liệu"),
        max_length=200,
        help_text=_("Ví dụ: số hộ theo Cơ sở dữ liệu quốc gia về dân cư, 30/6/2026; biên chế công chức theo Sở Nội vụ."),
    )
    values = forms.CharField(
        label=_("Quy mô theo xã (mỗi dòng: mã xã = số)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Có thể dán từ Excel hai cột mã xã và số, cách nhau bằng dấu = , ; hoặc Tab."),
    )

    def clean_values(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for n, line in enumerate(self.cleaned_data["values"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("\t", "=").replace(";", "=").replace(",", "=").split("=") if p.strip()]
            try:
                if len(parts) != 2:
                    raise ValueError
                out[parts[0]] = int(parts[1].replace(".", "").replace(" ", ""))
            except ValueError:
                raise forms.ValidationError(_("Dòng %(n)s không đúng dạng «mã xã = số».") % {"n": n}) from None
        return out
