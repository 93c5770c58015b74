"""Fonts for the PDFs we print. reportlab's built-in fonts have no Vietnamese letters, so:

- working sheets (QR sheets, survey cards) use DejaVu from Debian's fonts-dejavu-core;
- state documents (decisions, lists, certificates: Decree 30/2020/ND-CP, appendix I, prescribes
  Times New Roman) use Liberation Serif, metrically compatible with Times New Roman, from Debian's
  fonts-liberation2 (bookworm's fonts-liberation 1.07 has no Vietnamese letters beyond Latin-1,
  so a font file is only taken where it really holds them).

PDF_FONT_DIR is the search path: one directory, or several separated by ":", each font file taken
from the first directory that has it with Vietnamese letters."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

_FAMILIES = {False: ("DejaVuSans", "DejaVuSans-Bold"), True: ("DejaVuSerif", "DejaVuSerif-Bold")}
STATE_FAMILY = "LiberationSerif"
STATE_FACES = ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic")
# Letters a font must hold to print Vietnamese (the precomposed vowels of Latin Extended Additional).
VIETNAMESE_SAMPLE = "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹƠơƯưĐđ"


def font_dirs() -> list[Path]:
    return [Path(part) for part in str(settings.PDF_FONT_DIR).split(":") if part.strip()]


@cache
def _covers_vietnamese(path: Path) -> bool:
    glyphs = TTFontFile(str(path)).charToGlyph
    return all(ord(c) in glyphs for c in VIETNAMESE_SAMPLE)


def font_file(name: str) -> Path:
    """The first `<name>.ttf` along PDF_FONT_DIR that prints Vietnamese."""
    for directory in font_dirs():
        path = directory / f"{name}.ttf"
        if path.is_file() and _covers_vietnamese(path):
            return path
    raise ImproperlyConfigured(
        f"No {name}.ttf with Vietnamese letters in PDF_FONT_DIR={settings.PDF_FONT_DIR!r}: install Debian's "
        "fonts-liberation2 (Liberation Serif) and fonts-dejavu-core, or point PDF_FONT_DIR at their folders."
    )


def _register(names: tuple[str, ...]) -> None:
    registered = pdfmetrics.getRegisteredFontNames()
    for name in names:
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_file(name))))


def vietnamese_fonts(*, serif: bool = False) -> tuple[str, str]:
    """Register (once per process) and return the names of the regular and bold working fonts."""
    names = _FAMILIES[serif]
    _register(names)
    return names


def state_document_fonts() -> tuple[str, str, str, str]:
    """Register (once per process) Liberation Serif in its four faces, mapped as one family so that
    <b> and <i> in a Paragraph pick the right face; returns (regular, bold, italic, bold italic)."""
    _register(STATE_FACES)
    regular, bold, italic, bold_italic = STATE_FACES
    for weight, style, face in ((0, 0, regular), (1, 0, bold), (0, 1, italic), (1, 1, bold_italic)):
        addMapping(regular, weight, style, face)
    return STATE_FACES


def markup_text(value: object) -> str:
    """`value` as literal text inside a reportlab Paragraph, whose argument is XML-like markup: a
    user's `&`, `<` or `>` (a decision number "12/QĐ-UBND & 13", a signer "<Phó Chủ tịch>") would
    otherwise be parsed as markup and make the document fail to build."""
    return escape(str(value))
