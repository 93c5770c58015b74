"""Documents in the state format (Decree 30/2020/ND-CP on clerical work, appendix I), as Word (.docx)
and PDF, for every capability: decisions, lists, reports, certificates.

A capability describes its document as data (`StateDocument`, `Certificate`); this module lays it
out the way appendix I prescribes:

- A4 portrait (a certificate landscape), margins top and bottom 20 mm, left 30 mm, right 15 mm;
- Times New Roman in Word; in PDFs Liberation Serif, metrically identical and with the Vietnamese
  letters (core.pdf); black;
- the heading in two columns: the issuing body (upper case, bold, a short rule under it) above the
  number and symbol ("Số: 05/QĐ-UBND", numbers below 10 with a leading 0); the national title
  (upper case, bold, 12–13 pt) and the motto (13–14 pt, bold, a rule as long as the motto) above the
  place and date line (italic: "Bắc Ninh, ngày 03 tháng 12 năm 2026", days below 10 and the months
  January and February with a leading 0);
- the kind of document and its summary (bold, centred, a short rule under it); for a decision the
  issuing authority, the legal bases (italic, each ending with ";" and the last with "."),
  "QUYẾT ĐỊNH:" and the articles ("Điều 1." in bold), the last one ending with "./.";
- "Nơi nhận:" (12 pt bold italic; lines in 11 pt, each "- ...;" and the last "- Lưu: VT...."),
  beside the signature block (TM./KT./Q./TL. and the position in upper case, bold; the name bold);
- page numbers centred in the top margin from page 2; an annex starts on a new page, with its own
  page numbers.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.text.paragraph import Paragraph as DocxParagraph
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from core.pdf import markup_text, state_document_fonts

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
OPERATIVE = "QUYẾT ĐỊNH:"
WORD_FONT = "Times New Roman"

# Appendix I, section I: margins (mm) within the ranges it allows.
TOP, BOTTOM, LEFT, RIGHT = 20, 20, 30, 15
# Sizes (pt): body text 14 (13–14), heading lines 13, recipients 12/11.
BODY, HEAD, RECIPIENTS_LABEL, RECIPIENTS = 14, 13, 12, 11
# The heading's columns (mm) on the 165 mm of an A4 text width: the issuing body and the number on
# the left, the national title (about 95 mm at 13 pt bold) and the date line on the right.
LEFT_COLUMN, RIGHT_COLUMN = 62, 103


# --- The document as data ----------------------------------------------------------------------
@dataclass(frozen=True)
class Heading:
    """The two-column heading. `issuing_body` lines are bold; `parent_body` (the body directly above
    the issuer, where there is one) sits above them, not bold. `number` and `place_date` are the
    finished lines (see `number_line` and `date_line`); either may be empty."""

    issuing_body: tuple[str, ...]
    number: str = ""
    place_date: str = ""
    parent_body: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signature:
    """`titles`: the authority and position lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
    "PHÓ CHỦ TỊCH"); `name`: the signer's full name."""

    titles: tuple[str, ...]
    name: str


@dataclass(frozen=True)
class DataTable:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]  # relative widths of the columns
    centred: frozenset[int] = frozenset()  # columns centred (numbers, dates)


@dataclass(frozen=True)
class Annex:
    """An annex on its own pages: title, summary, the reference to the document it belongs to
    ("(Kèm theo Quyết định số ... ngày ... của ...)"), a table and a closing line."""

    title: str
    summary: str
    reference: str
    table: DataTable
    closing: str = ""


@dataclass(frozen=True)
class StateDocument:
    heading: Heading
    kind: str  # "QUYẾT ĐỊNH", "DANH SÁCH", "BÁO CÁO"...
    summary: str
    authority: str = ""  # a decision: who decides ("ỦY BAN NHÂN DÂN TỈNH BẮC NINH")
    legal_bases: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # a decision's articles; "\n" starts another paragraph of one article
    paragraphs: tuple[str, ...] = ()  # the body of any other document
    table: DataTable | None = None
    closing: str = ""
    recipients: tuple[str, ...] = ()
    signature: Signature | None = None
    annexes: tuple[Annex, ...] = ()


@dataclass(frozen=True)
class Certificate:
    """A certificate on one landscape page: heading, the granting authority, the title, the holder,
    what is certified, a row of drawn stars (fonts with Vietnamese letters hold no star), the
    references (bottom left) and the signature (bottom right)."""

    heading: Heading
    authority: str
    title: str
    holder: str
    lines: tuple[str, ...]
    stars: int
    references: tuple[str, ...]
    place_date: str
    signature: Signature
    extra: dict[str, Any] = field(default_factory=dict)


# --- The lines appendix I spells out ---------------------------------------------------------------
def _two_digits_below_ten(n: int) -> str:
    return f"{n:02d}" if n < 10 else str(n)


def date_line(place: str, day: dt.date) -> str:
    """ "Bắc Ninh, ngày 03 tháng 12 năm 2026": days below 10 and the months 1 and 2 get a leading 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {_two_digits_below_ten(day.day)} tháng {month} năm {day.year}"


def number_line(number: str, symbol: str) -> str:
    """ "Số: 05/QĐ-UBND" from the number the registry gave ("5", or already "5/QĐ-UBND") and the
    symbol. Numbers restart every 1 January, so a decision is identified by its year and number."""
    number = number.strip()
    head, sep, tail = number.partition("/")
    if head.isdigit():
        head = _two_digits_below_ten(int(head))
    return f"Số: {head}/{tail}" if sep else f"Số: {head}/{symbol}"


def _lines(lines: Iterable[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def basis_lines(lines: Iterable[str]) -> list[str]:
    """Each legal basis ends with ";", the last with "."."""
    clean = [line.rstrip(" ;.,") for line in _lines(lines)]
    return [f"{line};" for line in clean[:-1]] + [f"{line}." for line in clean[-1:]]


def recipient_lines(lines: Iterable[str]) -> list[str]:
    """Each recipient "- ...;", the last one "- ...."."""
    clean = [line.lstrip("-–• ").rstrip(" ;.,") for line in _lines(lines)]
    return [f"- {line};" for line in clean[:-1]] + [f"- {line}." for line in clean[-1:]]


def article_texts(articles: Sequence[str]) -> list[str]:
    """The articles as written, the last one ending with "./." (the end of the document's content)."""
    texts = [a.strip() for a in articles if a.strip()]
    if texts and not texts[-1].endswith("./."):
        texts[-1] = texts[-1].rstrip(" .") + "./."
    return texts


# --- PDF -----------------------------------------------------------------------------------------
def _pdf_styles() -> dict[str, ParagraphStyle]:
    regular, bold, italic, bold_italic = state_document_fonts()

    def style(name: str, font: str, size: float, align: int = TA_CENTER, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.2, alignment=align, **kw)

    return {
        "parent": style("parent", regular, HEAD),
        "issuer": style("issuer", bold, HEAD),
        "national": style("national", bold, 12.5),
        "motto": style("motto", bold, HEAD),
        "number": style("number", regular, HEAD),
        "date": style("date", italic, HEAD),
        "kind": style("kind", bold, BODY, spaceBefore=12),
        "summary": style("summary", bold, BODY),
        "authority": style("authority", bold, BODY, spaceBefore=10, spaceAfter=6),
        "basis": style("basis", italic, BODY, TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=3),
        "operative": style("operative", bold, BODY, spaceBefore=6, spaceAfter=6),
        "body": style("body", regular, BODY, TA_JUSTIFY, firstLineIndent=10 * mm, spaceAfter=6),
        "recipients_label": style("rl", bold_italic, RECIPIENTS_LABEL, TA_LEFT),
        "recipient": style("r", regular, RECIPIENTS, TA_LEFT),
        "sign": style("sign", bold, BODY),
        "cell": style("cell", regular, 12, TA_LEFT),
        "cell_centre": style("cellc", regular, 12),
        "cell_head": style("cellh", bold, 12),
        "reference": style("ref", italic, BODY),
        "closing": style("closing", regular, BODY, TA_LEFT, spaceBefore=6),
    }


class _Rule(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A centred horizontal rule `length` points long, as appendix I draws under the motto, the
    issuing body and the summary."""

    def __init__(self, length: float, *, gap: float = 3) -> None:
        super().__init__()
        self.length = length
        self.gap = gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.gap + 2

    def draw(self) -> None:
        x = (self.width - self.length) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, 2, x + self.length, 2)


class _NewNumbering(Flowable):  # type: ignore[misc]
    """Marks where an annex starts: its pages are numbered on their own."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv._state_document_first_page = self.canv.getPageNumber()


class _Stars(Flowable):  # type: ignore[misc]
    """`count` five-pointed stars, drawn (no font with Vietnamese letters holds a star glyph)."""

    def __init__(self, count: int, size: float = 14 * mm) -> None:
        super().__init__()
        self.count, self.size = count, size

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size

    def draw(self) -> None:
        gap = self.size * 0.35
        total = self.count * self.size + max(self.count - 1, 0) * gap
        x = (self.width - total) / 2
        canvas = self.canv
        canvas.setFillColorRGB(0.80, 0.62, 0.0)
        canvas.setStrokeColorRGB(0.55, 0.40, 0.0)
        for i in range(self.count):
            points = star_points(x + i * (self.size + gap) + self.size / 2, self.size / 2, self.size / 2)
            path = canvas.beginPath()
            path.moveTo(*points[0])
            for point in points[1:]:
                path.lineTo(*point)
            path.close()
            canvas.drawPath(path, stroke=1, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setStrokeColorRGB(0, 0, 0)


def star_points(cx: float, cy: float, radius: float) -> list[tuple[float, float]]:
    """The ten corners of a five-pointed star centred on (cx, cy), point up (y grows upwards)."""
    inner = radius * 0.382
    return [
        (
            cx + (radius if k % 2 == 0 else inner) * math.sin(k * math.pi / 5),
            cy + (radius if k % 2 == 0 else inner) * math.cos(k * math.pi / 5),
        )
        for k in range(10)
    ]


def _number_pages(canvas: Canvas, doc: BaseDocTemplate) -> None:
    first = getattr(canvas, "_state_document_first_page", 1)
    number = canvas.getPageNumber() - first + 1
    if number >= 2:
        regular = state_document_fonts()[0]
        canvas.setFont(regular, BODY)
        width, height = canvas._pagesize
        canvas.drawCentredString(LEFT * mm + (width - (LEFT + RIGHT) * mm) / 2, height - TOP * mm / 2 - BODY / 3, str(number))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(markup_text(text), style)


def _pdf_heading(heading: Heading, styles: dict[str, ParagraphStyle]) -> Table:
    issuer_font = styles["issuer"].fontName
    left: list[Flowable] = [_p(line.upper(), styles["parent"]) for line in heading.parent_body]
    left += [_p(line.upper(), styles["issuer"]) for line in heading.issuing_body]
    widest = max((stringWidth(line.upper(), issuer_font, HEAD) for line in heading.issuing_body), default=0)
    left.append(_Rule(min(widest, LEFT_COLUMN * mm) * 0.4))
    right: list[Flowable] = [
        _p(NATIONAL_TITLE, styles["national"]),
        _p(MOTTO, styles["motto"]),
        _Rule(stringWidth(MOTTO, styles["motto"].fontName, HEAD)),
    ]
    table = Table(
        [[left, right], [_p(heading.number, styles["number"]), _p(heading.place_date, styles["date"])]],
        colWidths=[LEFT_COLUMN * mm, RIGHT_COLUMN * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["number"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 6),
            ]
        )
    )
    return table


def _pdf_table(data: DataTable, styles: dict[str, ParagraphStyle], width: float) -> Table:
    total = sum(data.widths)
    rows: list[list[Paragraph]] = [[_p(h, styles["cell_head"]) for h in data.header]]
    for row in data.rows:
        rows.append([_p(v, styles["cell_centre" if i in data.centred else "cell"]) for i, v in enumerate(row)])
    table = Table(rows, colWidths=[width * w / total for w in data.widths], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["cell"].fontName),
                ("GRID", (0, 0), (-1, -1), 0.5, "black"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _pdf_closing_block(document: StateDocument, styles: dict[str, ParagraphStyle], width: float) -> Flowable:
    left: list[Flowable] = []
    if document.recipients:
        left.append(_p("Nơi nhận:", styles["recipients_label"]))
        left += [_p(line, styles["recipient"]) for line in recipient_lines(document.recipients)]
    right: list[Flowable] = []
    if document.signature is not None:
        right += [_p(t.upper(), styles["sign"]) for t in document.signature.titles]
        right += [Spacer(1, 28 * mm), _p(document.signature.name, styles["sign"])]
    table = Table([[left, right]], colWidths=[width * 0.45, width * 0.55])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), styles["recipient"].fontName),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return KeepTogether([Spacer(1, 6 * mm), table])


def _pdf_summary(kind: str, summary: str, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    font = styles["summary"].fontName
    story: list[Flowable] = [_p(kind.upper(), styles["kind"])]
    if summary:
        story.append(_p(summary, styles["summary"]))
        story.append(_Rule(min(stringWidth(summary, font, BODY), 160 * mm) / 3, gap=5))
    return story


def _certificate_border(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """A double frame round the certificate, inside the margins."""
    width, height = canvas._pagesize
    canvas.setStrokeColorRGB(0.55, 0.0, 0.0)
    for inset, line in ((10 * mm, 2.2), (12.5 * mm, 0.6)):
        canvas.setLineWidth(line)
        canvas.rect(inset, inset, width - 2 * inset, height - 2 * inset)
    canvas.setStrokeColorRGB(0, 0, 0)


def _pdf_template(out: io.BytesIO, pagesize: tuple[float, float], title: str, author: str, *, on_page: Any = None) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        out,
        pagesize=pagesize,
        leftMargin=LEFT * mm,
        rightMargin=RIGHT * mm,
        topMargin=TOP * mm,
        bottomMargin=BOTTOM * mm,
        title=title,
        author=author,
        creator="Grassroots",
        initialFontName=state_document_fonts()[0],
        initialFontSize=BODY,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    if on_page is None:
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_number_pages)])
    else:
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    return doc


def render_pdf(document: StateDocument) -> bytes:
    """The document as a PDF in the state format (A4, Liberation Serif)."""
    styles = _pdf_styles()
    out = io.BytesIO()
    doc = _pdf_template(out, A4, f"{document.kind} {document.summary}".strip(), " ".join(document.heading.issuing_body))
    width = doc.width
    story: list[Flowable] = [_pdf_heading(document.heading, styles), *_pdf_summary(document.kind, document.summary, styles)]
    if document.authority:
        story.append(_p(document.authority.upper(), styles["authority"]))
    story += [_p(line, styles["basis"]) for line in basis_lines(document.legal_bases)]
    if document.articles:
        story.append(_p(OPERATIVE, styles["operative"]))
        for number, text in enumerate(article_texts(document.articles), start=1):
            first, *rest = text.split("\n")
            story.append(Paragraph(f"<b>Điều {number}.</b> {markup_text(first.strip())}", styles["body"]))
            story += [_p(more.strip(), styles["body"]) for more in rest if more.strip()]
    story += [_p(text, styles["body"]) for text in document.paragraphs]
    if document.table is not None:
        story += [Spacer(1, 4 * mm), _pdf_table(document.table, styles, width)]
    if document.closing:
        story.append(_p(document.closing, styles["closing"]))
    if document.recipients or document.signature:
        story.append(_pdf_closing_block(document, styles, width))
    for annex in document.annexes:
        story += [PageBreak(), _NewNumbering(), *_pdf_summary(annex.title, annex.summary, styles)]
        story += [_p(annex.reference, styles["reference"]), Spacer(1, 5 * mm), _pdf_table(annex.table, styles, width)]
        if annex.closing:
            story.append(_p(annex.closing, styles["closing"]))
    doc.build(story)
    return out.getvalue()


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate on one landscape A4 page."""
    styles = _pdf_styles()
    regular, bold, italic, _bold_italic = state_document_fonts()
    big = {
        "authority": ParagraphStyle("ca", fontName=bold, fontSize=15, leading=19, alignment=TA_CENTER, spaceBefore=8),
        "title": ParagraphStyle("ct", fontName=bold, fontSize=30, leading=38, alignment=TA_CENTER, spaceBefore=6, spaceAfter=4),
        "holder": ParagraphStyle("ch", fontName=bold, fontSize=22, leading=28, alignment=TA_CENTER, spaceBefore=4, spaceAfter=4),
        "line": ParagraphStyle("cl", fontName=regular, fontSize=BODY + 1, leading=20, alignment=TA_CENTER),
        "reference": ParagraphStyle("cr", fontName=italic, fontSize=12, leading=15, alignment=TA_LEFT),
    }
    out = io.BytesIO()
    pagesize = landscape(A4)
    doc = _pdf_template(
        out, pagesize, f"{certificate.title} {certificate.holder}", " ".join(certificate.heading.issuing_body), on_page=_certificate_border
    )
    heading = _pdf_heading(certificate.heading, styles)
    heading.hAlign = "CENTER"
    left = [_p(line, big["reference"]) for line in certificate.references]
    right: list[Flowable] = [_p(certificate.place_date, styles["date"])]
    right += [_p(t.upper(), styles["sign"]) for t in certificate.signature.titles]
    right += [Spacer(1, 22 * mm), _p(certificate.signature.name, styles["sign"])]
    bottom = Table([[left, right]], colWidths=[doc.width * 0.5, doc.width * 0.5])
    bottom.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    story: list[Flowable] = [
        heading,
        Spacer(1, 6 * mm),
        _p(certificate.authority.upper(), big["authority"]),
        _p(certificate.title.upper(), big["title"]),
        _p(certificate.holder, big["holder"]),
        *[_p(line, big["line"]) for line in certificate.lines],
        Spacer(1, 4 * mm),
        _Stars(certificate.stars, size=12 * mm),
        Spacer(1, 10 * mm),
        bottom,
    ]
    doc.build(story)
    return out.getvalue()


# --- Word ----------------------------------------------------------------------------------------
def _set_run_font(run: Any, *, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name = WORD_FONT
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), WORD_FONT)


def _para(
    container: Any,
    text: str = "",
    *,
    size: float = BODY,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: float = 0,
    before: float = 0,
    first: bool = False,
) -> DocxParagraph:
    paragraph: DocxParagraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if indent:
        fmt.first_line_indent = Mm(10)
    if text:
        _set_run_font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _bottom_border(paragraph: DocxParagraph) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def _rule(container: Any, *, length_pt: float, within_mm: float) -> None:
    """A centred rule `length_pt` long: an empty two-point paragraph with a bottom border, indented
    on both sides to the rule's length (Word has no other line that stays in place in a cell)."""
    paragraph = _para(container)
    side = max((within_mm * 72 / 25.4 - length_pt) / 2, 0)
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Pt(side)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(2)
    fmt.space_after = Pt(6)
    _bottom_border(paragraph)


def _column_widths(table: Any, widths_mm: Sequence[float]) -> None:
    """Widths on the grid as well as on every cell: LibreOffice lays a table out by its grid, Word by
    its cells."""
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def _no_borders(table: Any) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _twips_at_least(millimetres: float) -> Twips:
    """Word keeps margins in whole twips: round up, so 15 mm never becomes 14.99 mm."""
    return Twips(math.ceil(millimetres * 1440 / 25.4))


def _docx_base(*, orientation: WD_ORIENT = WD_ORIENT.PORTRAIT) -> Any:
    document = new_docx()
    normal = document.styles["Normal"]
    normal.font.name = WORD_FONT
    normal.font.size = Pt(BODY)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), WORD_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    r_pr.append(lang)
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    section.orientation = orientation
    section.page_width, section.page_height = (height, width) if orientation == WD_ORIENT.LANDSCAPE else (width, height)
    section.top_margin, section.bottom_margin = _twips_at_least(TOP), _twips_at_least(BOTTOM)
    section.left_margin, section.right_margin = _twips_at_least(LEFT), _twips_at_least(RIGHT)
    section.header_distance = Mm(8)
    return document


def _page_numbers(section: Any, *, restart: bool) -> None:
    """Page numbers centred in the header, none on the section's first page."""
    section.different_first_page_header_footer = True
    section.header.is_linked_to_previous = False
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_run_font(run, size=BODY)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind is not None:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    if restart:
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        section._sectPr.append(numbering)


def _docx_heading(document: Any, heading: Heading) -> None:
    table = document.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _column_widths(table, (LEFT_COLUMN, RIGHT_COLUMN))
    (left, right), (number, place) = table.rows[0].cells, table.rows[1].cells
    first = True
    for line in heading.parent_body:
        _para(left, line.upper(), size=HEAD, first=first)
        first = False
    for line in heading.issuing_body:
        _para(left, line.upper(), size=HEAD, bold=True, first=first)
        first = False
    widest = max((stringWidth(line.upper(), state_document_fonts()[1], HEAD) for line in heading.issuing_body), default=0)
    _rule(left, length_pt=min(widest, LEFT_COLUMN * 72 / 25.4) * 0.4, within_mm=LEFT_COLUMN)
    _para(right, NATIONAL_TITLE, size=12.5, bold=True, first=True)
    _para(right, MOTTO, size=HEAD, bold=True)
    _rule(right, length_pt=stringWidth(MOTTO, state_document_fonts()[1], HEAD), within_mm=RIGHT_COLUMN)
    _para(number, heading.number, size=HEAD, first=True, before=6)
    _para(place, heading.place_date, size=HEAD, italic=True, first=True, before=6)


def _docx_summary(document: Any, kind: str, summary: str) -> None:
    _para(document, kind.upper(), bold=True, before=12)
    if summary:
        _para(document, summary, bold=True)
        _rule(document, length_pt=min(stringWidth(summary, state_document_fonts()[1], BODY), 450) / 3, within_mm=210 - LEFT - RIGHT)


def _docx_table(document: Any, data: DataTable, width_mm: float) -> None:
    table = document.add_table(rows=1, cols=len(data.header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(data.widths)
    widths = [width_mm * w / total for w in data.widths]
    for cell, text in zip(table.rows[0].cells, data.header, strict=True):
        _para(cell, text, size=12, bold=True, first=True)
    header_row = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    header_row.append(repeat)
    for row in data.rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.CENTER if i in data.centred else WD_ALIGN_PARAGRAPH.LEFT
            _para(cell, text, size=12, align=align, first=True)
    _column_widths(table, widths)


def _docx_closing_block(document: Any, doc: StateDocument, width_mm: float) -> None:
    _para(document, after=6)
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _column_widths(table, (width_mm * 0.45, width_mm * 0.55))
    left, right = table.rows[0].cells
    if doc.recipients:
        _para(left, "Nơi nhận:", size=RECIPIENTS_LABEL, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
        for line in recipient_lines(doc.recipients):
            _para(left, line, size=RECIPIENTS, align=WD_ALIGN_PARAGRAPH.LEFT)
    if doc.signature is not None:
        first = True
        for title in doc.signature.titles:
            _para(right, title.upper(), bold=True, first=first)
            first = False
        for _ in range(5):
            _para(right)
        _para(right, doc.signature.name, bold=True)


def _docx_bytes(document: Any, *, title: str, author: str) -> bytes:
    document.core_properties.title = title
    document.core_properties.author = author
    document.core_properties.language = "vi-VN"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(document: StateDocument) -> bytes:
    """The document as Word (.docx) in the state format (A4, Times New Roman 14)."""
    word = _docx_base()
    width_mm = 210 - LEFT - RIGHT
    _page_numbers(word.sections[0], restart=False)
    _docx_heading(word, document.heading)
    _docx_summary(word, document.kind, document.summary)
    if document.authority:
        _para(word, document.authority.upper(), bold=True, before=10, after=6)
    for line in basis_lines(document.legal_bases):
        _para(word, line, italic=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=3)
    if document.articles:
        _para(word, OPERATIVE, bold=True, before=6, after=6)
        for number, text in enumerate(article_texts(document.articles), start=1):
            first, *rest = text.split("\n")
            paragraph = _para(word, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
            _set_run_font(paragraph.add_run(f"Điều {number}. "), size=BODY, bold=True)
            _set_run_font(paragraph.add_run(first.strip()), size=BODY)
            for more in rest:
                if more.strip():
                    _para(word, more.strip(), align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    for text in document.paragraphs:
        _para(word, text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    if document.table is not None:
        _para(word, after=4)
        _docx_table(word, document.table, width_mm)
    if document.closing:
        _para(word, document.closing, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    if document.recipients or document.signature:
        _docx_closing_block(word, document, width_mm)
    for annex in document.annexes:
        section = word.add_section(WD_SECTION.NEW_PAGE)
        _page_numbers(section, restart=True)
        _docx_summary(word, annex.title, annex.summary)
        _para(word, annex.reference, italic=True, after=8)
        _docx_table(word, annex.table, width_mm)
        if annex.closing:
            _para(word, annex.closing, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    return _docx_bytes(word, title=f"{document.kind} {document.summary}".strip(), author=" ".join(document.heading.issuing_body))


def stars_png(count: int, *, size: int = 120) -> bytes:
    """`count` drawn stars as a PNG, for Word: Times New Roman holds no star, and a picture prints
    the same in Word and LibreOffice."""
    from PIL import Image, ImageDraw

    gap = int(size * 0.35)
    width = max(count, 1) * size + max(count - 1, 0) * gap
    image = Image.new("RGBA", (width, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    for i in range(count):
        points = star_points(i * (size + gap) + size / 2, size / 2, size / 2 - 2)
        draw.polygon([(x, size - y) for x, y in points], fill=(204, 158, 0, 255), outline=(140, 102, 0, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def certificate_docx(certificate: Certificate) -> bytes:
    """The certificate as Word, one landscape A4 page."""
    word = _docx_base(orientation=WD_ORIENT.LANDSCAPE)
    width_mm = 297 - LEFT - RIGHT
    _docx_heading(word, certificate.heading)
    _para(word, certificate.authority.upper(), size=15, bold=True, before=8)
    _para(word, certificate.title.upper(), size=30, bold=True, before=6, after=4)
    _para(word, certificate.holder, size=22, bold=True, after=4)
    for line in certificate.lines:
        _para(word, line, size=BODY + 1)
    if certificate.stars:
        paragraph = _para(word, before=4, after=4)
        paragraph.add_run().add_picture(io.BytesIO(stars_png(certificate.stars)), height=Mm(11))
        _set_alt_text(paragraph, f"{certificate.stars} sao")
    table = word.add_table(rows=1, cols=2)
    _no_borders(table)
    _column_widths(table, (width_mm / 2, width_mm / 2))
    left, right = table.rows[0].cells
    first = True
    for line in certificate.references:
        _para(left, line, size=12, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, first=first)
        first = False
    _para(right, certificate.place_date, size=HEAD, italic=True, first=True)
    for title in certificate.signature.titles:
        _para(right, title.upper(), bold=True)
    for _ in range(4):
        _para(right)
    _para(right, certificate.signature.name, bold=True)
    return _docx_bytes(word, title=f"{certificate.title} {certificate.holder}", author=" ".join(certificate.heading.issuing_body))


def _set_alt_text(paragraph: DocxParagraph, text: str) -> None:
    """The stars' picture says how many there are to a screen reader (and to a text search)."""
    for doc_pr in paragraph._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", text)
        doc_pr.set("title", text)


__all__ = [
    "Annex",
    "Certificate",
    "DataTable",
    "Heading",
    "Signature",
    "StateDocument",
    "article_texts",
    "basis_lines",
    "certificate_docx",
    "certificate_pdf",
    "date_line",
    "number_line",
    "recipient_lines",
    "render_docx",
    "render_pdf",
]
