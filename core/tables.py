"""Reading a spreadsheet a province uploads (CSV in UTF-8 or Excel .xlsx): the rows as lists, and
the columns found by any of their accepted header names. Every import (villages, households)
checks all rows first and writes nothing when one is bad; this module only reads."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from core.text import search_key


def read_table(content: bytes, filename: str) -> list[list[Any]]:
    """The rows of a CSV (UTF-8) or Excel file, or a ValueError with a Vietnamese message."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            return [list(r) for r in wb.active.iter_rows(values_only=True)]
        except Exception as exc:  # a damaged file fails in zipfile, the XML parser or openpyxl alike
            # The library's own message is English jargon ("File is not a zip file"); say what to do.
            raise ValueError(
                _("Không đọc được tệp Excel: tệp bị hỏng hoặc không phải định dạng .xlsx. Hãy mở và lưu lại bằng Excel.")
            ) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(_("Tệp CSV phải được lưu với mã UTF-8.")) from exc
    return list(csv.reader(io.StringIO(text)))


def find_columns(table: list[list[Any]], names: Mapping[str, Sequence[str]], *, required: Sequence[str]) -> dict[str, int]:
    """The index of each column in the header row, found by any of its accepted names (accents,
    case and underscores ignored); a ValueError naming the required columns that are missing."""
    if not table:
        raise ValueError(_("Tệp không có dữ liệu."))
    header = [search_key(str(h or "")).replace("_", " ") for h in table[0]]
    columns: dict[str, int] = {}
    for key, accepted in names.items():
        for name in accepted:
            normalised = search_key(name).replace("_", " ")
            if normalised in header:
                columns[key] = header.index(normalised)
                break
    missing = [names[k][0] for k in required if k not in columns]
    if missing:
        raise ValueError(_("Thiếu cột bắt buộc: %(cols)s.") % {"cols": ", ".join(missing)})
    return columns


def cell_text(row: Sequence[Any], columns: Mapping[str, int], key: str) -> str:
    """The cell of column `key` as stripped text ("" when the column or the cell is missing)."""
    idx = columns.get(key)
    if idx is None or idx >= len(row) or row[idx] is None:
        return ""
    return str(row[idx]).strip()


def data_rows(table: list[list[Any]]) -> list[tuple[int, list[Any]]]:
    """The rows below the header with their spreadsheet row numbers, blank rows left out."""
    return [(number, row) for number, row in enumerate(table[1:], start=2) if any(str(c or "").strip() for c in row)]
