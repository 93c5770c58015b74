"""The file-upload service: type checked by content (not by name), size limited, SHA-256 stored,
saved through Django storage so S3-compatible object storage can replace the local folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from core.models import StoredFile

_HEAD_BYTES = 8192
# A shortened name keeps its extension, so a download still opens with the right program.
_MAX_NAME = 200
_MAX_EXT = 10


def _allowed_types() -> list[str]:
    return list(settings.UPLOAD_ALLOWED_TYPES)


def check_upload(fileobj: IO[bytes], *, name: str, max_bytes: int | None = None, allowed: list[str] | None = None) -> tuple[str, int, str]:
    """Validate a file without storing it. Returns (content type, size, sha256).

    Raises ValidationError with a Vietnamese message on an empty or oversized file, or on a file
    whose content is not one of the allowed types, whatever its name says."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    allowed_types = allowed if allowed is not None else _allowed_types()
    fileobj.seek(0)
    head = fileobj.read(_HEAD_BYTES)
    if not head:
        raise ValidationError(_("Tệp “%(name)s” rỗng.") % {"name": name}, code="empty")
    kind = filetype.guess(head)
    content_type = kind.mime if kind else "application/octet-stream"
    if content_type not in allowed_types:
        raise ValidationError(
            _("Tệp “%(name)s” không đúng định dạng cho phép (chỉ nhận: %(types)s).")
            % {"name": name, "types": ", ".join(t.split("/")[-1].upper() for t in allowed_types)},
            code="type",
        )
    digest = hashlib.sha256(head)
    size = len(head)
    while chunk := fileobj.read(1024 * 1024):
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    if size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” quá lớn (tối đa %(mb).0f MB).") % {"name": name, "mb": limit / (1024 * 1024)},
            code="size",
        )
    fileobj.seek(0)
    return content_type, size, digest.hexdigest()


def _safe_name(name: str) -> str:
    """The file's own name without any folder part, shortened but keeping its extension; "tep"
    ("file") when nothing usable is left ("", ".."), which get_valid_filename refuses outright."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    try:
        valid = get_valid_filename(base)
    except SuspiciousFileOperation:
        return "tep"
    root, ext = os.path.splitext(valid)
    ext = ext[:_MAX_EXT]
    return root[: _MAX_NAME - len(ext)] + ext


def store_upload(
    fileobj: IO[bytes] | Any, *, name: str, by: Any = None, max_bytes: int | None = None, allowed: list[str] | None = None
) -> StoredFile:
    """Check and store one uploaded file; returns the StoredFile row (created in the caller's
    transaction when there is one). The stored name is random-suffixed by the storage."""
    content_type, size, sha256 = check_upload(fileobj, name=name, max_bytes=max_bytes, allowed=allowed)
    safe_name = _safe_name(name)
    with transaction.atomic():
        stored = StoredFile(
            uploaded_by=by if getattr(by, "is_authenticated", False) else None,
            original_name=safe_name,
            content_type=content_type,
            size=size,
            sha256=sha256,
        )
        # The file is written before the row; a rolled-back transaction can leave an orphan file
        # (never a row without its file), which `manage.py clean_orphan_files` removes.
        stored.file.save(safe_name, File(fileobj, name=safe_name), save=False)
        stored.save()
    return stored


def stored_names(folder: str = "uploads", *, storage: Storage | None = None) -> Iterator[str]:
    """Every file name under `folder` in the storage (the local folder or an S3 bucket alike; an S3
    "folder" is only a key prefix, so nothing is asked of it but its listing)."""
    storage = storage or default_storage
    try:
        dirs, files = storage.listdir(folder)
    except FileNotFoundError:  # the local folder does not exist yet: nothing was uploaded
        return
    for f in files:
        yield f"{folder}/{f}"
    for d in dirs:
        yield from stored_names(f"{folder}/{d}", storage=storage)
