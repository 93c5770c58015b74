"""A good practice's photo is published on the portal: it is stored re-encoded without its
metadata (EXIF, including the GPS position a phone writes), its orientation applied first so the
picture still stands the right way up."""

from __future__ import annotations

import io
from typing import IO

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

PHOTO_TYPES = ["image/jpeg", "image/png"]
_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "MPO": "JPEG"}
# Decompression bombs: a picture wider or taller than this is refused before decoding.
_MAX_SIDE = 12_000


def without_metadata(fileobj: IO[bytes], *, name: str) -> io.BytesIO:
    """A copy of the JPEG or PNG photo with no EXIF, XMP or other metadata; a Vietnamese error when
    the file is not a readable picture."""
    fileobj.seek(0)
    try:
        with Image.open(fileobj) as image:
            if max(image.size) > _MAX_SIDE:
                raise ValidationError(_("Ảnh “%(name)s” quá lớn về kích thước điểm ảnh.") % {"name": name})
            fmt = _FORMATS.get(image.format or "")
            if fmt is None:
                raise ValidationError(_("Ảnh “%(name)s” phải là JPEG hoặc PNG.") % {"name": name})
            pixels = ImageOps.exif_transpose(image).copy()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Không đọc được ảnh “%(name)s”.") % {"name": name}) from exc
    pixels.info = {}  # nothing of the original's metadata is carried into the copy
    if fmt == "JPEG" and pixels.mode not in ("RGB", "L"):
        pixels = pixels.convert("RGB")
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels.save(out, fmt, quality=90)
    else:
        pixels.save(out, fmt)
    out.seek(0)
    return out
