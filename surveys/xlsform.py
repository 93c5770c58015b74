"""XLSForm (the KoboToolbox / ODK spreadsheet: survey, choices, settings sheets) in and out.

Import reads the workbook through pyxform (ODK's reference reader) and maps its survey JSON: groups
(nested, with relevance), every `label::Language`, hints, notes, text/integer/decimal/date,
select_one/select_multiple (with or_other), constraints and their messages, required, relevance and
calculations, kept as written (surveys.expressions evaluates them). Anything else is refused with its
row, the feature and why; nothing is dropped silently (device metadata such as start/end is not
collected, and the import says so). Export writes a form pyxform converts without warnings; a
satisfaction item is one the form marks with the `element` column, never one guessed from its codes."""

from __future__ import annotations

import io
import re
import time
import zipfile
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from pyxform import xls2json, xls2json_backends
from pyxform.errors import PyXFormError

from accounts.models import User
from core import audit, jobs
from core.models import AuditEntry
from surveys import conf, expressions
from surveys.models import (
    DEFAULT_LANGUAGE,
    Element,
    Group,
    ImportState,
    Instrument,
    InstrumentVersion,
    Question,
    QuestionKind,
    XlsformImport,
)
from surveys.permissions import can_manage_instruments
from surveys.services import build_sections

LIKERT_LIST = "likert5"
LIKERT_LABELS = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
MAX_UPLOAD = conf.XLSFORM_MAX_UPLOAD


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp XLSForm (.xlsx)"))
    code = forms.SlugField(label=gettext_lazy("Mã phiếu"), max_length=20)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD or not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Chỉ nhận tệp .xlsx không quá 2 MB."))
        return upload


def _number_text(value: float, kind: str) -> str:
    return str(int(value)) if kind == QuestionKind.INTEGER or float(value).is_integer() else repr(float(value))


def _relevant(q: Question, kinds: dict[str, str]) -> str:
    """The question's relevance as XLSForm writes it: the builder's rule (selected() for a
    multiple choice, = otherwise) and the imported expression, both when there are both."""
    parts = []
    if q.show_if_code:
        if kinds.get(q.show_if_code) == QuestionKind.MULTIPLE:
            parts.append(f"selected(${{{q.show_if_code}}}, '{q.show_if_value}')")
        else:
            parts.append(f"${{{q.show_if_code}}} = '{q.show_if_value}'")
    if q.relevant:
        parts.append(q.relevant)
    return parts[0] if len(parts) == 1 else " and ".join(f"({p})" for p in parts)


def _constraint(q: Question) -> str:
    """The builder's bounds (each one only when set: a one-sided bound stays one-sided) and the
    imported expression."""
    parts = []
    if q.min_value is not None:
        parts.append(f". >= {_number_text(q.min_value, q.kind)}")
    if q.max_value is not None:
        parts.append(f". <= {_number_text(q.max_value, q.kind)}")
    if q.constraint:
        parts.append(f"({q.constraint})" if parts else q.constraint)
    return " and ".join(parts)


EXPORT_TYPES = {
    QuestionKind.SHORT_TEXT: "text",
    QuestionKind.LONG_TEXT: "text",
    QuestionKind.NUMBER: "decimal",
    QuestionKind.INTEGER: "integer",
    QuestionKind.DATE: "date",
    QuestionKind.NOTE: "note",
    QuestionKind.CALCULATE: "calculate",
}


def _column(base: str, language: str) -> str:
    return base if language == DEFAULT_LANGUAGE else f"{base}::{language}"


def export_version(version: InstrumentVersion) -> bytes:
    """The version as an XLSForm pyxform converts without warnings: every language in its own
    `label::Language` column, groups (nested, with their relevance), hints, constraints with their
    messages, calculations; satisfaction items carry their index element in the `element` column."""
    languages = list(version.languages) or [DEFAULT_LANGUAGE]
    sections = list(version.sections.prefetch_related("questions"))
    questions = [q for s in sections for q in s.questions.all()]
    kinds = {q.code: q.kind for q in questions}
    with_hints = any(q.hints for q in questions)
    with_messages = any(q.constraint_messages for q in questions)

    def in_language(labels: dict[str, str], language: str, fallback: str) -> str:
        return str(labels.get(language) or fallback)

    header = ["type", "name"] + [_column("label", lang) for lang in languages]
    if with_hints:
        header += [_column("hint", lang) for lang in languages]
    header += ["required", "relevant", "constraint"]
    if with_messages:
        header += [_column("constraint_message", lang) for lang in languages]
    header += ["calculation", "appearance", "element"]
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(header)
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name"] + [_column("label", lang) for lang in languages])
    if any(q.kind == QuestionKind.LIKERT and not q.choices for q in questions):
        for value, label in enumerate(LIKERT_LABELS, start=1):
            choices.append([LIKERT_LIST, str(value)] + [label] * len(languages))

    def row(**cells: Any) -> list[Any]:
        return [cells.get(column, "") for column in header]

    def begin(name: str, labels: dict[str, str], title: str, relevant: str, appearance: str) -> None:
        cells = {"type": "begin_group", "name": name, "relevant": relevant, "appearance": appearance}
        cells |= {_column("label", lang): in_language(labels, lang, title) for lang in languages}
        survey.append(row(**cells))

    def end() -> None:
        survey.append(row(type="end_group"))

    for section in sections:
        # Builder-made sections become groups s1, s2...; imported questions outside any group stay so.
        wrapped = bool(section.name) or not version.languages
        if wrapped:
            begin(section.name or f"s{section.position}", section.labels, section.title, section.relevant, section.appearance)
        open_groups: list[str] = []
        for q in section.questions.all():
            path = [g["name"] for g in q.groups]
            while open_groups and open_groups != path[: len(open_groups)]:
                end()
                open_groups.pop()
            for group in q.groups[len(open_groups) :]:
                begin(group["name"], group.get("labels") or {}, group["name"], group.get("relevant", ""), group.get("appearance", ""))
                open_groups.append(group["name"])
            if q.kind in (QuestionKind.LIKERT, QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                list_name = LIKERT_LIST if q.kind == QuestionKind.LIKERT and not q.choices else f"{q.code}_list"
                kind = f"{'select_multiple' if q.kind == QuestionKind.MULTIPLE else 'select_one'} {list_name}"
                for value, label in q.choices:
                    labels = q.choice_labels.get(str(value), {})
                    choices.append([list_name, str(value)] + [in_language(labels, lang, label) for lang in languages])
            else:
                kind = EXPORT_TYPES[QuestionKind(q.kind)]
            appearance = " ".join(a for a in ("multiline" if q.kind == QuestionKind.LONG_TEXT else "", q.appearance) if a)
            cells = {
                "type": kind,
                "name": q.code,
                "required": "yes" if q.required and q.takes_answer else "",
                "relevant": _relevant(q, kinds),
                "constraint": _constraint(q),
                "calculation": q.calculation,
                "appearance": appearance,
                "element": q.element,
            }
            if q.kind != QuestionKind.CALCULATE or q.labels:
                cells |= {_column("label", lang): in_language(q.labels, lang, q.text) for lang in languages}
            if with_hints and q.hints:
                cells |= {_column("hint", lang): q.hint_in(lang) for lang in languages}
            if with_messages and q.constraint_messages:
                cells |= {_column("constraint_message", lang): in_language(q.constraint_messages, lang, "") for lang in languages}
            survey.append(row(**cells))
        for _group in open_groups:
            end()
        if wrapped:
            end()
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version"] + (["default_language"] if languages[0] != DEFAULT_LANGUAGE else []))
    settings.append(
        [version.title, version.instrument.code, str(version.number)] + ([languages[0]] if languages[0] != DEFAULT_LANGUAGE else [])
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# <dimension ref="A1:XFD1048576"/>, <row r="100000">, <c r="XFD1">: the extent a sheet claims and uses
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?(?P<col>[A-Z]+)(?P<row>\d+)"')
ROW_REF = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(?P<row>\d+)"')
CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="(?P<col>[A-Z]+)(?P<row>\d+)"')
SCAN_CHUNK = 256 * 1024


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def _too_large(rows: int, cols: int) -> ValidationError:
    return ValidationError(
        _(
            "Trang tính quá lớn (%(rows)s dòng × %(cols)s cột); XLSForm được nhận tối đa %(max_rows)s dòng và %(max_cols)s cột. "
            "Hãy xoá các dòng, cột thừa (kể cả ô trống đã định dạng ở xa) rồi nhập lại."
        )
        % {"rows": rows, "cols": cols, "max_rows": conf.XLSFORM_MAX_ROWS, "max_cols": conf.XLSFORM_MAX_COLUMNS}
    )


def check_package(data: bytes, *, deadline: float) -> None:
    """Refuse, before openpyxl reads anything, an .xlsx that unpacks to more than
    conf.XLSFORM_MAX_UNPACKED bytes (by the zip members' declared sizes, which also bound what
    unpacking can produce) or whose sheets claim or use more than conf.XLSFORM_MAX_ROWS rows or
    conf.XLSFORM_MAX_COLUMNS columns (the <dimension> element, then every row and cell reference,
    read in chunks)."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ValidationError(_("Không đọc được tệp Excel.")) from exc
    unpacked = sum(m.file_size for m in members)
    if len(members) > conf.XLSFORM_MAX_MEMBERS or unpacked > conf.XLSFORM_MAX_UNPACKED:
        raise ValidationError(
            _("Tệp Excel khi giải nén quá lớn (%(mb)s MB, tối đa %(max)s MB); tệp có thể bị hỏng hoặc chứa dữ liệu thừa.")
            % {"mb": unpacked // (1024 * 1024), "max": conf.XLSFORM_MAX_UNPACKED // (1024 * 1024)}
        )
    for member in members:
        if not (member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")):
            continue
        max_row = max_col = 0
        tail = b""
        try:
            with package.open(member) as stream:
                while chunk := stream.read(SCAN_CHUNK):
                    if time.monotonic() > deadline:
                        raise _too_slow()
                    text = tail + chunk
                    for match in DIMENSION.finditer(text):
                        max_row, max_col = max(max_row, int(match["row"])), max(max_col, _column_number(match["col"]))
                    for match in ROW_REF.finditer(text):
                        max_row = max(max_row, int(match["row"]))
                    for match in CELL_REF.finditer(text):
                        max_row, max_col = max(max_row, int(match["row"])), max(max_col, _column_number(match["col"]))
                    if max_row > conf.XLSFORM_MAX_ROWS or max_col > conf.XLSFORM_MAX_COLUMNS:
                        raise _too_large(max_row, max_col)
                    tail = text[-200:]  # a reference cut by the chunk boundary is read whole next time
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise ValidationError(_("Không đọc được tệp Excel.")) from exc


def _too_slow() -> ValidationError:
    return ValidationError(
        _("Đọc tệp quá thời gian cho phép (%(s)s giây); tệp quá lớn hoặc quá phức tạp.") % {"s": conf.XLSFORM_IMPORT_SECONDS}
    )


# --- Import: pyxform reads the workbook; we map its survey JSON or name what we cannot keep -------
TEXT_KINDS = {
    "text": QuestionKind.SHORT_TEXT,
    "integer": QuestionKind.INTEGER,
    "decimal": QuestionKind.NUMBER,
    "date": QuestionKind.DATE,
    "note": QuestionKind.NOTE,
    "calculate": QuestionKind.CALCULATE,
}
SELECT_KINDS = {"select one": QuestionKind.SINGLE, "select all that apply": QuestionKind.MULTIPLE}
# Device metadata KoboToolbox and ODK add: not collected (answers stay anonymous); the import says so.
METADATA = ("start", "end", "today", "deviceid", "username", "audit", "phonenumber", "simserial", "subscriberid", "email")
QUESTION_KEYS = {"type", "name", "label", "hint", "bind", "choices", "itemset", "list_name", "parameters", "control", "element"}
BIND_KEYS = {"relevant", "constraint", "jr:constraintMsg", "required", "calculate"}
GROUP_KEYS = {"type", "name", "label", "bind", "control", "children"}
NUMBER = r"-?\d+(?:\.\d+)?"
BOUNDS = re.compile(
    rf"\.\s*>=\s*(?P<low>{NUMBER})\s+and\s+\.\s*<=\s*(?P<high>{NUMBER})|\.\s*>=\s*(?P<only_low>{NUMBER})|\.\s*<=\s*(?P<only_high>{NUMBER})"
)
YES = ("yes", "true", "true()", "1")
NO = ("", "no", "false", "false()", "0")
FEATURES = {
    "repeat": gettext_lazy("nhóm lặp (repeat)"),
    "loop": gettext_lazy("vòng lặp (loop)"),
    "choice_filter": gettext_lazy("lọc lựa chọn (choice_filter)"),
    "default": gettext_lazy("giá trị mặc định (default)"),
    "media": gettext_lazy("hình ảnh, âm thanh kèm câu hỏi (media)"),
    "trigger": gettext_lazy("tính lại theo câu khác (trigger)"),
}


class _Refusals:
    """What the form uses that we cannot keep, one Vietnamese sentence each, naming the row."""

    def __init__(self, rows: dict[str, int]) -> None:
        self.rows = rows
        self.messages: list[str] = []

    def add(self, name: str, what: str, why: str) -> None:
        row = self.rows.get(name)
        where = _("Dòng %(n)s (survey, “%(name)s”)") % {"n": row, "name": name} if row else _("Câu “%(name)s”") % {"name": name}
        self.messages.append(f"{where}: {what} — {why}")


def _by_language(value: Any) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return {DEFAULT_LANGUAGE: str(value)}


def _spread(labels: dict[str, str], languages: list[str]) -> dict[str, str]:
    """A label written without a language (pyxform's own, e.g. for “or specify other”) stands for
    every language, as ODK Collect shows it."""
    if set(labels) == {DEFAULT_LANGUAGE} and DEFAULT_LANGUAGE not in languages:
        return dict.fromkeys(languages, labels[DEFAULT_LANGUAGE])
    return labels


def _languages_of(survey: dict[str, Any]) -> list[str]:
    found: list[str] = []

    def note(value: Any) -> None:
        for lang in _by_language(value):
            if lang not in found:
                found.append(lang)

    def walk(element: dict[str, Any]) -> None:
        note(element.get("label"))
        note(element.get("hint"))
        note((element.get("bind") or {}).get("jr:constraintMsg"))
        for choice in element.get("choices") or []:
            note(choice.get("label"))
        for child in element.get("children") or []:
            walk(child)

    for child in survey.get("children") or []:
        walk(child)
    real = [lang for lang in found if lang != DEFAULT_LANGUAGE]
    # Labels without a language beside translated ones are pyxform's generated “Specify other.”
    # (ours) or untranslated rows: they are spread over the languages rather than kept as one.
    languages = real or [DEFAULT_LANGUAGE]
    default = str(survey.get("default_language") or "")
    if default in languages:
        languages.remove(default)
        languages.insert(0, default)
    return languages


def _row_numbers(workbook: Any) -> dict[str, int]:
    """Each name's row on the survey sheet (pyxform keeps blank rows, so row = index + 2)."""
    rows: dict[str, int] = {}
    for index, row in enumerate(workbook.survey):
        name = str(row.get("name") or "").strip()
        if name and name not in rows:
            rows[name] = index + 2
    return rows


def _raw_types(workbook: Any) -> dict[str, str]:
    return {str(row.get("name") or "").strip(): str(row.get("type") or "").strip() for row in workbook.survey if row.get("name")}


def _check_expression(text: str, name: str, what: str, codes: set[str], refusals: _Refusals) -> str:
    text = text.strip()
    if not text:
        return ""
    try:
        tree = expressions.parse(text)
    except expressions.ExpressionError as exc:
        refusals.add(name, f"{what} “{text}”", str(exc))
        return text
    unknown = sorted(expressions.references(tree) - codes)
    if unknown:
        refusals.add(name, f"{what} “{text}”", _("nhắc tới câu không có trong phiếu: %(c)s") % {"c": ", ".join(unknown)})
    return text


def _truthy(value: Any, name: str, refusals: _Refusals) -> bool:
    text = str(value or "").strip().lower()
    if text in YES:
        return True
    if text not in NO:
        refusals.add(name, _("bắt buộc theo điều kiện “%(r)s”") % {"r": value}, _("chỉ hỗ trợ required = yes hoặc để trống"))
    return False


def _all_names(element: dict[str, Any]) -> set[str]:
    names = {str(element.get("name") or "")}
    for child in element.get("children") or []:
        names |= _all_names(child)
    return names


def survey_to_spec(survey: dict[str, Any], workbook: Any) -> dict[str, Any]:
    """Our structure from pyxform's survey JSON (`survey`) and its sheets (`workbook`, for row
    numbers and the types as written), or ValidationError listing every feature we cannot keep."""
    refusals = _Refusals(_row_numbers(workbook))
    raw_types = _raw_types(workbook)
    languages = _languages_of(survey)
    default = languages[0]
    codes = _all_names(survey) - {""}
    sections: list[dict[str, Any]] = []
    skipped: list[str] = []

    def labels_of(value: Any) -> dict[str, str]:
        return _spread(_by_language(value), languages)

    def in_default(labels: dict[str, str], fallback: str) -> str:
        return labels.get(default) or next(iter(labels.values()), fallback)

    def loose_section() -> dict[str, Any]:
        if not sections or sections[-1]["name"]:
            sections.append({"title": _("Phần chung"), "name": "", "relevant": "", "labels": {}, "appearance": "", "questions": []})
        return sections[-1]

    def group_fields(element: dict[str, Any]) -> dict[str, Any]:
        name = str(element.get("name") or "")
        for key in set(element) - GROUP_KEYS:
            refusals.add(name, _("cột “%(k)s” của nhóm") % {"k": key}, _("chưa được hỗ trợ; không thể bỏ qua mà không đổi nghĩa phiếu"))
        bind = element.get("bind") or {}
        for key in set(bind) - {"relevant"}:
            refusals.add(name, _("thuộc tính “%(k)s” của nhóm") % {"k": key}, _("chưa được hỗ trợ"))
        labels = labels_of(element.get("label"))
        return {
            "name": name,
            "labels": labels,
            "relevant": _check_expression(str(bind.get("relevant") or ""), name, _("điều kiện hiển thị"), codes, refusals),
            "appearance": str((element.get("control") or {}).get("appearance") or ""),
            "title": in_default(labels, name),
        }

    def question(element: dict[str, Any], groups: list[dict[str, Any]]) -> dict[str, Any] | None:
        name = str(element.get("name") or "")
        kind_name = str(element.get("type") or "")
        raw_type = raw_types.get(name, kind_name)
        if kind_name in METADATA:
            skipped.append(name)
            return None
        if kind_name in ("repeat", "loop"):
            refusals.add(
                name, str(FEATURES[kind_name]), _("một phiếu trả lời chỉ có một bộ câu trả lời; hãy tách phần lặp thành phiếu riêng")
            )
            return None
        kind = TEXT_KINDS.get(kind_name) or SELECT_KINDS.get(kind_name)
        if kind is None:
            refusals.add(
                name,
                _("loại câu “%(t)s”") % {"t": raw_type},
                _("chưa được hỗ trợ (hỗ trợ: text, integer, decimal, date, note, calculate, select_one, select_multiple)"),
            )
            return None
        for key in sorted(set(element) - QUESTION_KEYS):
            feature = FEATURES.get(key, _("cột “%(k)s”") % {"k": key})
            refusals.add(name, str(feature), _("chưa được hỗ trợ; không thể bỏ qua mà không đổi nghĩa phiếu"))
        bind = element.get("bind") or {}
        for key in sorted(set(bind) - BIND_KEYS):
            refusals.add(name, _("thuộc tính “%(k)s”") % {"k": key}, _("chưa được hỗ trợ"))
        control = element.get("control") or {}
        for key in sorted(set(control) - {"appearance"}):
            refusals.add(name, _("thuộc tính hiển thị “%(k)s”") % {"k": key}, _("chưa được hỗ trợ"))
        if element.get("parameters"):
            refusals.add(name, _("cột parameters"), _("chưa được hỗ trợ"))
        labels = labels_of(element.get("label"))
        relevant = str(bind.get("relevant") or "")
        generated_other = re.fullmatch(r"selected\(\.\./(?P<code>[\w.-]+), 'other'\)", relevant)
        if generated_other and name == f"{generated_other['code']}_other":
            # pyxform's expansion of “or_other”: the text box for the other answer, written back as a plain row.
            relevant = f"selected(${{{generated_other['code']}}}, 'other')"
        appearance = str(control.get("appearance") or "")
        if kind == QuestionKind.SHORT_TEXT and "multiline" in appearance.split():
            kind = QuestionKind.LONG_TEXT
            appearance = " ".join(a for a in appearance.split() if a != "multiline")
        element_code = str(element.get("element") or "").strip()
        if element_code and element_code not in Element.values:
            refusals.add(name, _("yếu tố “%(e)s”") % {"e": element_code}, _("không có trong chỉ số"))
        if len(name) > 100 or not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
            refusals.add(
                name, _("tên câu “%(c)s”") % {"c": name}, _("tên phải bắt đầu bằng chữ, chỉ gồm chữ, số, _ . - và không quá 100 ký tự")
            )
        spec: dict[str, Any] = {
            "code": name,
            "text": in_default(labels, name),
            "kind": kind,
            "required": _truthy(bind.get("required"), name, refusals),
            "element": element_code,
            "labels": labels,
            "hints": labels_of(element.get("hint")),
            "relevant": _check_expression(relevant, name, _("điều kiện hiển thị"), codes, refusals),
            "constraint": _check_expression(str(bind.get("constraint") or ""), name, _("ràng buộc"), codes, refusals),
            "constraint_messages": labels_of(bind.get("jr:constraintMsg")),
            "calculation": _check_expression(str(bind.get("calculate") or ""), name, _("công thức"), codes, refusals),
            "appearance": appearance,
            "choices": [],
            "choice_labels": {},
            "groups": groups,
        }
        bounds = BOUNDS.fullmatch(spec["constraint"]) if kind in (QuestionKind.INTEGER, QuestionKind.NUMBER) else None
        if bounds:
            # The builder's own bounds (one- or two-sided) are kept as bounds; they export as written.
            low, high = bounds["low"] or bounds["only_low"], bounds["high"] or bounds["only_high"]
            spec["min"], spec["max"] = (float(low) if low else None), (float(high) if high else None)
            spec["constraint"] = ""
        if kind == QuestionKind.CALCULATE and not spec["calculation"]:
            refusals.add(name, _("câu calculate"), _("thiếu công thức (cột calculation)"))
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            for choice in element.get("choices") or []:
                extra = sorted(set(choice) - {"name", "label"})
                if extra:
                    refusals.add(name, _("cột %(k)s của danh sách lựa chọn") % {"k": ", ".join(extra)}, _("chưa được hỗ trợ"))
                value = str(choice.get("name") or "")
                choice_labels = labels_of(choice.get("label"))
                spec["choices"].append([value, in_default(choice_labels, value)])
                spec["choice_labels"][value] = choice_labels
            if not spec["choices"]:
                refusals.add(name, _("danh sách “%(l)s”") % {"l": element.get("list_name", "")}, _("không có lựa chọn nào"))
            if element_code and kind == QuestionKind.SINGLE:
                # A satisfaction item only when the form says so (the element column), on a 1..5 scale.
                if [c[0] for c in spec["choices"]] != [str(i) for i in range(conf.LIKERT_MIN, conf.LIKERT_MAX + 1)]:
                    refusals.add(
                        name,
                        _("câu thang đo (cột element)"),
                        _("lựa chọn phải là %(a)s..%(b)s") % {"a": conf.LIKERT_MIN, "b": conf.LIKERT_MAX},
                    )
                spec["kind"] = QuestionKind.LIKERT
                if [c[1] for c in spec["choices"]] == LIKERT_LABELS and set(languages) <= {default}:
                    spec["choices"], spec["choice_labels"] = [], {}  # the standard scale, as our builder writes it
        return spec

    def walk(element: dict[str, Any], section: dict[str, Any] | None, groups: list[dict[str, Any]]) -> None:
        kind_name = str(element.get("type") or "")
        if kind_name == "group":
            if (element.get("control") or {}).get("bodyless") and element.get("name") == "meta":
                return  # pyxform's own instanceID: not part of the questionnaire
            fields = group_fields(element)
            children = element.get("children") or []
            if not children:
                refusals.add(fields["name"], _("nhóm rỗng"), _("nhóm không có câu hỏi nào"))
                return
            if section is None:
                new = {**fields, "questions": []}
                sections.append(new)
                for child in children:
                    walk(child, new, [])
            else:
                nested = {k: fields[k] for k in ("name", "labels", "relevant", "appearance")}
                for child in children:
                    walk(child, section, [*groups, nested])
            return
        spec = question(element, groups)
        if spec is not None:
            (section if section is not None else loose_section())["questions"].append(spec)

    for child in survey.get("children") or []:
        walk(child, None, [])
    if refusals.messages:
        raise ValidationError(refusals.messages)
    sections = [s for s in sections if s["questions"]]
    if not sections:
        raise ValidationError(_("Tệp không có câu hỏi nào."))
    return {
        "title": str(survey.get("title") or _("Phiếu nhập từ XLSForm")),
        "languages": languages,
        "sections": sections,
        "skipped": skipped,
    }


def parse(upload: Any, *, deadline: float | None = None, file_type: str = ".xlsx") -> dict[str, Any]:
    """Read an XLSForm through pyxform into our structure, or raise ValidationError listing every
    feature we cannot keep (with its row). An .xlsx package is checked first (check_package) and
    the read stops at `deadline` (time.monotonic(); conf.XLSFORM_IMPORT_SECONDS from now if None).
    `file_type` ".md" or ".csv" reads pyxform's text forms (test data)."""
    deadline = deadline if deadline is not None else time.monotonic() + conf.XLSFORM_IMPORT_SECONDS
    data = upload if isinstance(upload, bytes) else upload.read()
    if file_type == ".xlsx":
        check_package(data, deadline=deadline)
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile as exc:
            raise ValidationError(_("Không đọc được tệp Excel.")) from exc
        if not any(n.startswith("xl/worksheets/") for n in names):
            raise ValidationError(_("Không đọc được tệp Excel."))
    try:
        workbook = xls2json_backends.get_xlsform(xlsform=io.BytesIO(data), file_type=file_type)
    except Exception as exc:  # pyxform and openpyxl raise many kinds on a broken file
        raise ValidationError(_("Không đọc được tệp Excel.")) from exc
    if time.monotonic() > deadline:
        raise _too_slow()
    if not workbook.survey:
        raise ValidationError(_("Tệp không có trang tính “survey” của XLSForm."))
    try:
        survey = xls2json.workbook_to_json(workbook_dict=workbook, form_name="data", fallback_form_name="data", warnings=[])
    except PyXFormError as exc:
        raise ValidationError(_("XLSForm không hợp lệ (theo pyxform, bộ đọc chuẩn của ODK): %(m)s") % {"m": exc}) from exc
    if time.monotonic() > deadline:
        raise _too_slow()
    return survey_to_spec(survey, workbook)


def import_xlsform(
    *, by: User | None, upload: Any, code: str, group: str = Group.CITIZENS, spec: dict[str, Any] | None = None
) -> InstrumentVersion:
    """A new draft version (of an existing instrument `code`, or a new instrument) from an XLSForm
    (`upload`, or its already parsed `spec`). `by` is the uploader (None if their account is gone:
    then refused like anyone without the right)."""
    if not can_manage_instruments(by):
        raise ValidationError(_("Bạn không có quyền quản lý phiếu."))
    spec = spec if spec is not None else parse(upload)
    with transaction.atomic():
        instrument, _created = Instrument.objects.get_or_create(code=code.upper(), defaults={"title": spec["title"]})
        if instrument.versions.filter(state="draft").exists():
            raise ValidationError(_("Phiếu %(c)s đang có bản nháp; hãy ban hành hoặc xoá bản nháp đó trước.") % {"c": instrument.code})
        number = (instrument.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = InstrumentVersion.objects.create(
            instrument=instrument, number=number, title=spec["title"][:300], group=group, languages=spec.get("languages", [])
        )
        build_sections(version, spec["sections"])
        reason = _("Nhập từ XLSForm")
        if spec.get("skipped"):
            reason += "; " + _("không thu thập siêu dữ liệu thiết bị: %(s)s") % {"s": ", ".join(spec["skipped"])}
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=version, reason=reason)
    return version


def request_import(*, by: User, upload: Any, code: str) -> XlsformImport:
    """Keep the upload and queue the import job (run after commit: by a worker in production, in
    this process in embedded mode). The page shows its state until it is done or has failed."""
    if not can_manage_instruments(by):
        raise ValidationError(_("Bạn không có quyền quản lý phiếu."))
    data = upload.read(conf.XLSFORM_MAX_UPLOAD + 1)
    if len(data) > conf.XLSFORM_MAX_UPLOAD:
        raise ValidationError(_("Chỉ nhận tệp .xlsx không quá 2 MB."))
    from surveys import tasks

    with transaction.atomic():
        job = XlsformImport.objects.create(code=code.upper(), filename=str(getattr(upload, "name", ""))[:255], content=data, created_by=by)
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=job, after={"code": job.code, "filename": job.filename})
        jobs.enqueue(tasks.run_xlsform_import, job.pk)
    return job


def run_import(*, job_id: int, deadline: float | None = None) -> str:
    """The import job: parse within the deadline and create the draft, or record why not (in
    Vietnamese, for the page). Returns the final state."""
    job = XlsformImport.objects.select_related("created_by").get(pk=job_id)
    if job.state != ImportState.PENDING:
        return job.state
    try:
        spec = parse(bytes(job.content), deadline=deadline)
        version = import_xlsform(by=job.created_by, upload=None, code=job.code, spec=spec)
    except ValidationError as exc:
        job.state, job.reason = ImportState.FAILED, " ".join(exc.messages)
    else:
        job.state, job.version = ImportState.DONE, version
        if spec.get("skipped"):
            job.reason = _("Không thu thập siêu dữ liệu thiết bị (để phiếu ẩn danh): %(s)s.") % {"s": ", ".join(spec["skipped"])}
    job.content = b""
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "reason", "version", "content", "finished_at"])
    return job.state


def run_import_job(*, job_id: int) -> str:
    """What the import task runs: the import, or, when the worker's soft time limit stops it, the
    job marked failed with the reason on the page. (In-process the parse stops at the same deadline.)"""
    try:
        return run_import(job_id=job_id)
    except SoftTimeLimitExceeded:
        reason = _("Nhập phiếu quá thời gian cho phép (%(s)s giây).") % {"s": conf.XLSFORM_IMPORT_SECONDS}
        fail_import(job_id=job_id, reason=reason)
        return ImportState.FAILED


def fail_import(*, job_id: int, reason: str) -> None:
    """The job was stopped (the worker's time limit): say so on the page."""
    XlsformImport.objects.filter(pk=job_id, state=ImportState.PENDING).update(
        state=ImportState.FAILED, reason=reason, content=b"", finished_at=timezone.now()
    )


def import_time_limits() -> dict[str, int]:
    """The import job's soft and hard time limits, read from settings when the job is queued."""
    return {"soft_time_limit": conf.XLSFORM_IMPORT_SECONDS, "time_limit": conf.XLSFORM_IMPORT_SECONDS + 30}
