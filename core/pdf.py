"""Fonts for the PDFs we print (certificates, decision lists, QR sheets): reportlab's built-in fonts
have no Vietnamese letters, so every PDF uses DejaVu from Debian's fonts-dejavu-core (PDF_FONT_DIR)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FAMILIES = {False: ("DejaVuSans", "DejaVuSans-Bold"), True: ("DejaVuSerif", "DejaVuSerif-Bold")}


def vietnamese_fonts(*, serif: bool = False) -> tuple[str, str]:
    """Register (once per process) and return the names of the regular and bold fonts."""
    names = _FAMILIES[serif]
    registered = pdfmetrics.getRegisteredFontNames()
    for name in names:
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(Path(settings.PDF_FONT_DIR) / f"{name}.ttf")))
    return names


def markup_text(value: object) -> str:
    """`value` as literal text inside a reportlab Paragraph, whose argument is XML-like markup: a
    user's `&`, `<` or `>` (a decision number "12/QĐ-UBND & 13", a signer "<Phó Chủ tịch>") would
    otherwise be parsed as markup and make the document fail to build."""
    return escape(str(value))
