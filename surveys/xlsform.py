"""XLSForm (the KoboToolbox / ODK spreadsheet: survey, choices, settings sheets) in and out.

Export writes a form KoboToolbox opens: Likert items are `select_one likert5`; the index element a
question feeds travels in an extra `element` column, skip logic as `relevant`. Import accepts what
our builder can express and names the row of anything else."""

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
from openpyxl import Workbook, load_workbook

from accounts.models import User
from core import audit, jobs
from core.models import AuditEntry
from surveys import conf
from surveys.models import Element, Group, ImportState, Instrument, InstrumentVersion, QuestionKind, XlsformImport
from surveys.permissions import can_manage_instruments
from surveys.services import build_sections

LIKERT_LIST = "likert5"
LIKERT_LABELS = ["Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng"]
MAX_UPLOAD = conf.XLSFORM_MAX_UPLOAD
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


def _sheet_rows(wb: Any, name: str, deadline: float) -> list[dict[str, Any]]:
    if name not in wb.sheetnames:
        return []
    # Bounded whatever the sheet claims: check_package has refused larger sheets, and a sheet
    # without row or cell references still stops here.
    rows = []
    for values in wb[name].iter_rows(max_row=conf.XLSFORM_MAX_ROWS + 1, max_col=conf.XLSFORM_MAX_COLUMNS, values_only=True):
        if time.monotonic() > deadline:
            raise _too_slow()
        rows.append(values)
    if len(rows) > conf.XLSFORM_MAX_ROWS:
        raise _too_large(len(rows), conf.XLSFORM_MAX_COLUMNS)
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


def parse(upload: Any, *, deadline: float | None = None) -> dict[str, Any]:
    """Read an XLSForm into our structure, or raise ValidationError listing every row we cannot
    express (with its sheet and row number). The package is checked first (check_package) and the
    whole read stops at `deadline` (time.monotonic(); conf.XLSFORM_IMPORT_SECONDS from now if None)."""
    deadline = deadline if deadline is not None else time.monotonic() + conf.XLSFORM_IMPORT_SECONDS
    data = upload if isinstance(upload, bytes) else upload.read()
    check_package(data, deadline=deadline)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise ValidationError(_("Không đọc được tệp Excel.")) from exc
    if "survey" not in wb.sheetnames:
        raise ValidationError(_("Tệp không có trang tính “survey” của XLSForm."))
    lists: dict[str, list[list[str]]] = {}
    for row in _sheet_rows(wb, "choices", deadline):
        lists.setdefault(str(row.get("list_name") or "").strip(), []).append(
            [str(row.get("name")).strip(), str(row.get("label") or row.get("name"))]
        )
    settings_rows = _sheet_rows(wb, "settings", deadline)
    title = str((settings_rows[0].get("form_title") if settings_rows else "") or "Phiếu nhập từ XLSForm")
    errors: list[str] = []
    sections: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    seen_codes: set[str] = set()
    for row in _sheet_rows(wb, "survey", deadline):
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
        version = InstrumentVersion.objects.create(instrument=instrument, number=number, title=spec["title"], group=group)
        build_sections(version, spec["sections"])
        audit.record(actor=by, action=AuditEntry.Action.CREATE, instance=version, reason=_("Nhập từ XLSForm"))
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
