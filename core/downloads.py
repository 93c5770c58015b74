"""A file the user downloads (Excel, Word, PDF, CSV): the content type follows the extension and the
Content-Disposition header is RFC 6266-safe for Vietnamese names."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


def download(content: bytes | str, filename: str, *, inline: bool = False) -> HttpResponse:
    """`inline` opens a PDF in the browser (to print a certificate or a QR sheet) instead of saving it."""
    extension = filename.rsplit(".", 1)[-1].lower()
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    disposition = content_disposition_header(not inline, filename)
    if disposition:  # None only for an inline file without a name
        response["Content-Disposition"] = disposition
    return response
