"""An XLSForm import runs as a job with a time limit, and a hostile file is refused before openpyxl
reads it, quickly and in little memory: a far-away cell (a sheet claiming a million rows), a hundred
thousand rows, a zip bomb (tiny compressed, huge unpacked). The page shows each import's state."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from surveys import conf, tasks, xlsform
from surveys.models import ImportState, InstrumentVersion, XlsformImport

SMALL_MEMORY = 30 * 1024 * 1024


def _xlsform(extra_rows: int = 0) -> Workbook:
    wb = Workbook(write_only=True)
    survey = wb.create_sheet("survey")
    survey.append(["type", "name", "label"])
    survey.append(["integer", "a", "Câu A"])
    for i in range(extra_rows):
        survey.append(["integer", f"q{i}", f"Câu {i}"])
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    return wb


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def far_away_cell() -> bytes:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label"])
    survey.append(["integer", "a", "Câu A"])
    survey.cell(row=1048576, column=16384, value="x")  # XFD1048576: one cell, a sheet of 17 billion
    return _bytes(wb)


def many_rows() -> bytes:
    return _bytes(_xlsform(extra_rows=100_000))


def zip_bomb() -> bytes:
    """A valid-looking .xlsx whose sheet unpacks to 200 MB of blanks (a few hundred KB packed)."""
    good = zipfile.ZipFile(io.BytesIO(_bytes(_xlsform())))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in good.infolist():
            if member.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(member, good.read(member))
        with bomb.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            blank = b" " * (1024 * 1024)
            for _i in range(200):
                sheet.write(blank)
    return buffer.getvalue()


def _refused_quickly(data: bytes, words: str) -> None:
    # Refused before reading: the memory peak shows it (no timing in unit tests; a timing on a shared
    # machine fails for reasons that are not the code's).
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            xlsform.parse(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert words in " ".join(refused.value.messages)
    assert peak < SMALL_MEMORY, peak


def test_far_away_cell_is_refused_before_reading() -> None:
    data = far_away_cell()
    assert len(data) < 20_000
    _refused_quickly(data, "Trang tính quá lớn")


def test_hundred_thousand_rows_are_refused() -> None:
    _refused_quickly(many_rows(), "Trang tính quá lớn")


def test_zip_bomb_is_refused_by_its_declared_size() -> None:
    data = zip_bomb()
    assert len(data) < 1024 * 1024
    _refused_quickly(data, "khi giải nén quá lớn")


def test_parse_stops_at_its_deadline() -> None:
    with pytest.raises(ValidationError) as refused:
        xlsform.parse(_bytes(_xlsform(extra_rows=10)), deadline=time.monotonic() - 1)
    assert "quá thời gian" in " ".join(refused.value.messages)


def test_the_import_task_is_queued_with_the_time_limit_read_from_settings(settings) -> None:
    settings.SURVEYS_XLSFORM_IMPORT_SECONDS = 7
    assert conf.XLSFORM_IMPORT_SECONDS == 7
    assert xlsform.import_time_limits() == {"soft_time_limit": 7, "time_limit": 37}
    assert isinstance(tasks.run_xlsform_import, tasks.TimeLimitedImport)


def _post_then_read_the_list(client, data: bytes, code: str, django_capture_on_commit_callbacks) -> str:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):  # the job runs after the commit
        posted = client.post("/staff/khao-sat/phieu/nhap-xlsform/", {"code": code, "file": SimpleUploadedFile("phieu.xlsx", data)})
    assert posted.status_code == 302
    return client.get("/staff/khao-sat/phieu/").content.decode()


def test_a_refused_import_shows_as_failed_with_its_reason(province_officer, client_for, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    body = _post_then_read_the_list(client_for(province_officer), zip_bomb(), "BOM", django_capture_on_commit_callbacks)
    job = XlsformImport.objects.get()
    assert job.state == ImportState.FAILED and "khi giải nén quá lớn" in job.reason
    assert bytes(job.content) == b""  # the upload is not kept once read
    assert "Không nhập được" in body and "khi giải nén quá lớn" in body
    assert not InstrumentVersion.objects.filter(instrument__code="BOM").exists()


def test_a_good_import_runs_as_a_job_and_links_the_draft(province_officer, client_for, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    body = _post_then_read_the_list(client_for(province_officer), _bytes(_xlsform(extra_rows=3)), "MOI", django_capture_on_commit_callbacks)
    job = XlsformImport.objects.get()
    assert job.state == ImportState.DONE and job.version is not None and job.version.questions.count() == 4
    assert "Đã nhập" in body and f"/staff/khao-sat/phieu/{job.version.pk}/" in body


def test_a_queued_import_shows_as_pending(province_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(province_officer)
    # the job has not run yet (a worker would pick it up): the page says so
    client.post("/staff/khao-sat/phieu/nhap-xlsform/", {"code": "CHO", "file": SimpleUploadedFile("cho.xlsx", _bytes(_xlsform()))})
    assert XlsformImport.objects.get().state == ImportState.PENDING
    assert "Đang chờ xử lý" in client.get("/staff/khao-sat/phieu/").content.decode()
