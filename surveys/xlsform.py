"""XLSForm (the KoboToolbox / ODK spreadsheet: survey, choices, settings sheets) in and out.

Export writes a form KoboToolbox opens: Likert items are `select_one likert5`; the index element a
question feeds travels in an extra `element` column, skip logic as `relevant`. Import accepts what
our builder can express and names the row of anything else."""

from __future__ import annotations

import io
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from core import audit
from core.models import AuditEntry
from surveys.models import Element, Group, Instrument, InstrumentVersion, QuestionKind
from surveys.permissions import can_manage_instruments
from surveys.services import build_sections

LIKERT_LIST = "likert5"
LIKERT_LABELS = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
MAX_UPLOAD = 2 * 1024 * 1024
RELEVANT_EQ = re.compile(r"^\$\{(?P<code>[\w-]+)\}\s*=\s*'(?P<value>[^']*)'$")
RELEVANT_SELECTED = re.compile(r"^selected\(\s*\$\{(?P<code>[\w-]+)\}\s*,\s*'(?P<value>[^']*)'\s*\)$")
CONSTRAINT_RANGE = re.compile(r"^\.\s*>=\s*(?P<min>-?[\d.]+)\s+and\s+\.\s*<=\s*(?P<max>-?[\d.]+)$")


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp XLSForm (.xlsx)"))
    code = forms.SlugField(label=gettext_lazy("Mã phiếu"), max_length=20)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD or not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Chỉ nhận tệp .xlsx không quá 2 MB."))
        return upload


def export_version(version: InstrumentVersion) -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "required", "relevant", "constraint", "element"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    for value, label in enumerate(LIKERT_LABELS, start=1):
        choices.append([LIKERT_LIST, value, label])
    for section in version.sections.prefetch_related("questions"):
        survey.append(["begin_group", f"s{section.position}", section.title, "", "", "", ""])
        for q in section.questions.all():
            relevant = f"${{{q.show_if_code}}} = '{q.show_if_value}'" if q.show_if_code else ""
            constraint = ""
            if q.kind == QuestionKind.LIKERT:
                kind = f"select_one {LIKERT_LIST}"
            elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
                kind = f"{'select_one' if q.kind == QuestionKind.SINGLE else 'select_multiple'} {q.code}_list"
                for value, label in q.choices:
                    choices.append([f"{q.code}_list", value, label])
            elif q.kind == QuestionKind.NUMBER:
                kind = "decimal"
                if q.min_value is not None and q.max_value is not None:
                    constraint = f". >= {q.min_value:g} and . <= {q.max_value:g}"
            else:
                kind = "text"
            survey.append([kind, q.code, q.text, "yes" if q.required else "", relevant, constraint, q.element])
            if q.kind == QuestionKind.LONG_TEXT:
                survey.cell(row=survey.max_row, column=8, value="multiline")
        survey.append(["end_group", "", "", "", "", "", ""])
    survey.cell(row=1, column=8, value="appearance")
    settings = wb.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([version.title, version.instrument.code, str(version.number), "Vietnamese (vi)"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _sheet_rows(wb: Any, name: str) -> list[dict[str, Any]]:
    if name not in wb.sheetnames:
        return []
    rows = list(wb[name].iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    # label::Vietnamese (vi) and similar: take the first label column
    out = []
    for number, values in enumerate(rows[1:], start=2):
        row: dict[str, Any] = {"_row": number}
        for key, value in zip(header, values, strict=False):
            base = key.split("::")[0]
            if base and (base not in row or row[base] in (None, "")):
                row[base] = value
        if any(v not in (None, "") for k, v in row.items() if k != "_row"):
            out.append(row)
    return out


def parse(upload: Any) -> dict[str, Any]:
    """Read an XLSForm into our structure, or raise ValidationError listing every row we cannot
    express (with its sheet and row number)."""
    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ValidationError(_("Không đọc được tệp Excel.")) from exc
    if "survey" not in wb.sheetnames:
        raise ValidationError(_("Tệp không có trang tính “survey” của XLSForm."))
    lists: dict[str, list[list[str]]] = {}
    for row in _sheet_rows(wb, "choices"):
        lists.setdefault(str(row.get("list_name") or "").strip(), []).append(
            [str(row.get("name")).strip(), str(row.get("label") or row.get("name"))]
        )
    settings_rows = _sheet_rows(wb, "settings")
    title = str((settings_rows[0].get("form_title") if settings_rows else "") or "Phiếu nhập từ XLSForm")
    errors: list[str] = []
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    seen_codes: set[str] = set()
    for row in _sheet_rows(wb, "survey"):
        n = row["_row"]
        kind = str(row.get("type") or "").strip()
        name = str(row.get("name") or "").strip()
        label = str(row.get("label") or name)
        if kind in ("begin_group", "begin group"):
            current = {"title": label, "questions": []}
            sections.append(current)
            continue
        if kind in ("end_group", "end group"):
            current = None
            continue
        if kind in ("start", "end", "today", "deviceid", "username", "audit"):
            continue  # metadata KoboToolbox adds; we do not collect it
        parts = kind.split()
        question: dict[str, Any] = {
            "code": name,
            "text": label[:500],
            "required": str(row.get("required") or "").lower() in ("yes", "true", "true()", "1"),
        }
        if parts and parts[0] in ("select_one", "select_multiple") and len(parts) == 2:
            options = lists.get(parts[1])
            if not options:
                errors.append(_("Dòng %(n)s (survey): danh sách lựa chọn “%(l)s” không có trong trang choices.") % {"n": n, "l": parts[1]})
                continue
            is_likert = parts[0] == "select_one" and [o[0] for o in options] == ["1", "2", "3", "4", "5"]
            question["kind"] = (
                QuestionKind.LIKERT if is_likert else (QuestionKind.SINGLE if parts[0] == "select_one" else QuestionKind.MULTIPLE)
            )
            question["choices"] = [] if is_likert else options
        elif kind in ("integer", "decimal"):
            question["kind"] = QuestionKind.NUMBER
        elif kind == "text":
            question["kind"] = QuestionKind.LONG_TEXT if "multiline" in str(row.get("appearance") or "") else QuestionKind.SHORT_TEXT
        else:
            errors.append(
                _("Dòng %(n)s (survey): loại câu “%(t)s” chưa được hỗ trợ (chỉ thang đo, chọn một, chọn nhiều, số, văn bản).")
                % {"n": n, "t": kind}
            )
            continue
        element = str(row.get("element") or "").strip()
        if element and element not in Element.values:
            errors.append(_("Dòng %(n)s (survey): yếu tố “%(e)s” không có trong chỉ số.") % {"n": n, "e": element})
        question["element"] = element
        relevant = str(row.get("relevant") or "").strip()
        if relevant:
            match = RELEVANT_EQ.match(relevant) or RELEVANT_SELECTED.match(relevant)
            if not match:
                errors.append(
                    _("Dòng %(n)s (survey): điều kiện hiển thị “%(r)s” quá phức tạp; chỉ hỗ trợ ${câu} = 'giá trị'.")
                    % {"n": n, "r": relevant}
                )
            else:
                question["show_if"] = [match["code"], match["value"]]
        constraint = str(row.get("constraint") or "").strip()
        if constraint:
            match = CONSTRAINT_RANGE.match(constraint)
            if not match or question["kind"] != QuestionKind.NUMBER:
                errors.append(
                    _("Dòng %(n)s (survey): ràng buộc “%(c)s” chưa được hỗ trợ; chỉ hỗ trợ . >= a and . <= b cho câu số.")
                    % {"n": n, "c": constraint}
                )
            else:
                question["min"], question["max"] = float(match["min"]), float(match["max"])
        if name in seen_codes:
            errors.append(_("Dòng %(n)s (survey): tên câu “%(c)s” bị trùng.") % {"n": n, "c": name})
        seen_codes.add(name)
        if not re.fullmatch(r"[\w-]{1,40}", name):
            errors.append(_("Dòng %(n)s (survey): tên câu “%(c)s” không hợp lệ.") % {"n": n, "c": name})
        if current is None:
            current = {"title": _("Phần chung"), "questions": []}
            sections.append(current)
        current["questions"].append(question)
    if errors:
        raise ValidationError(errors)
    sections = [s for s in sections if s["questions"]]
    if not sections:
        raise ValidationError(_("Tệp không có câu hỏi nào."))
    return {"title": title, "sections": sections}


def import_xlsform(*, by: Any, upload: Any, code: str, group: str = Group.CITIZENS) -> InstrumentVersion:
    """A new draft version (of an existing instrument `code`, or a new instrument) from an XLSForm."""
    if not can_manage_instruments(by):
        raise ValidationError(_("Bạn không có quyền quản lý phiếu."))
    spec = parse(upload)
    with transaction.atomic():
        instrument, _created = Instrument.objects.get_or_create(code=code.upper(), defaults={"title": spec["title"]})
        if instrument.versions.filter(state="draft").exists():
            raise ValidationError(_("Phiếu %(c)s đang có bản nháp; hãy ban hành hoặc xoá bản nháp đó trước.") % {"c": instrument.code})
        number = (instrument.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        version = InstrumentVersion.objects.create(instrument=instrument, number=number, title=spec["title"], group=group)
        build_sections(version, spec["sections"])
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=version, reason=_("Nhập từ XLSForm"))
    return version
