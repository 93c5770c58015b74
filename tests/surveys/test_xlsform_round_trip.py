"""XLSForm out and back in keeps the questionnaire; what we cannot express names its row."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from surveys import xlsform


def test_export_then_import_gives_the_same_questions(instruments, province_officer) -> None:  # type: ignore[no-untyped-def]
    original = instruments["PKS05"]
    data = xlsform.export_version(original)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["survey", "choices", "settings"]
    copy = xlsform.import_xlsform(by=province_officer, upload=io.BytesIO(data), code="PKS05")
    assert copy.number == 2 and copy.state == "draft"
    fields = ("code", "kind", "required", "element", "choices", "show_if_code", "show_if_value")
    assert list(copy.questions.values_list(*fields)) == list(original.questions.values_list(*fields))


def _workbook(rows: list[list[str]]) -> io.BytesIO:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    survey.append(["type", "name", "label", "relevant", "constraint"])
    for row in rows:
        survey.append(row)
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label"])
    choices.append(["yn", "yes", "Có"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_unsupported_rows_are_named() -> None:
    upload = _workbook(
        [
            ["select_one yn", "a", "Câu A", "", ""],
            ["geopoint", "gps", "Vị trí", "", ""],
            ["integer", "b", "Số", "${a} = 'yes' and ${c} > 2", ""],
            ["select_one missing", "c", "C", "", ""],
            ["text", "d", "D", "", "string-length(.) < 5"],
        ]
    )
    with pytest.raises(ValidationError) as info:
        xlsform.parse(upload)
    messages = info.value.messages
    assert any("Dòng 3" in m and "geopoint" in m for m in messages)
    assert any("Dòng 4" in m and "điều kiện hiển thị" in m for m in messages)
    assert any("Dòng 5" in m and "missing" in m for m in messages)
    assert any("Dòng 6" in m and "ràng buộc" in m for m in messages)


def test_simple_form_from_kobo_is_read() -> None:
    spec = xlsform.parse(_workbook([["select_one yn", "a", "Câu A", "", ""], ["integer", "b", "Số", "${a} = 'yes'", ". >= 0 and . <= 9"]]))
    [section] = spec["sections"]
    assert section["questions"][1]["show_if"] == ["a", "yes"] and section["questions"][1]["max"] == 9
