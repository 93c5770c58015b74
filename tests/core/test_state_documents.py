"""Documents in the state format (Decree 30/2020/ND-CP, appendix I): the PDF is A4 with Liberation
Serif embedded (never DejaVu) and the two-column heading, numbered from page 2 (an annex on its own);
the Word file has A4, the margins, Times New Roman, the heading table, "QUYẾT ĐỊNH:", the articles and
the recipients beside the signature; LibreOffice opens it when it is installed."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from core import state_documents as sd
from core.pdf import font_file

A4_POINTS = (595.28, 841.89)


def _decision(rows: int = 70) -> sd.StateDocument:
    table = sd.DataTable(
        ("STT", "Tên đơn vị", "Số sao"),
        tuple((str(i), f"Xã Thử Nghiệm {i}", "3") for i in range(1, rows + 1)),
        (1, 6, 2),
        frozenset({0, 2}),
    )
    return sd.StateDocument(
        heading=sd.Heading(
            issuing_body=("Ủy ban nhân dân", "Tỉnh Bắc Ninh"),
            number=sd.number_line("5", "QĐ-UBND"),
            place_date=sd.date_line("Bắc Ninh", dt.date(2026, 12, 3)),
        ),
        kind="Quyết định",
        summary="Về việc công nhận xã, phường đạt chuẩn năm 2026",
        authority="Ủy ban nhân dân tỉnh Bắc Ninh",
        legal_bases=("Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022.", "Theo đề nghị của Giám đốc Sở Nội vụ;"),
        articles=(
            f"Công nhận {rows} xã, phường (có danh sách kèm theo).",
            "Quyết định này có hiệu lực kể từ ngày ký.\nThời hạn công nhận ghi tại danh sách.",
            "Chánh Văn phòng và Chủ tịch UBND các xã có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        ),
        recipients=("Như Điều 3", "- Thường trực Tỉnh ủy.", "Lưu: VT, NC;"),
        signature=sd.Signature(("TM. Ủy ban nhân dân", "KT. Chủ tịch", "Phó Chủ tịch"), "Nguyễn Văn An"),
        annexes=(sd.Annex("Danh sách", "Xã, phường đạt chuẩn năm 2026", "(Kèm theo Quyết định số 05/QĐ-UBND)", table),),
    )


def test_lines_follow_appendix_one():
    assert sd.date_line("Bắc Ninh", dt.date(2026, 12, 3)) == "Bắc Ninh, ngày 03 tháng 12 năm 2026"
    assert sd.date_line("Bắc Giang", dt.date(2025, 2, 15)) == "Bắc Giang, ngày 15 tháng 02 năm 2025"
    assert sd.date_line("Bắc Giang", dt.date(2024, 3, 9)) == "Bắc Giang, ngày 09 tháng 3 năm 2024"
    assert sd.number_line("5", "QĐ-UBND") == "Số: 05/QĐ-UBND"
    assert sd.number_line("2150/QĐ-UBND", "QĐ-UBND") == "Số: 2150/QĐ-UBND"
    assert sd.basis_lines(["Căn cứ A.", " ", "Căn cứ B;"]) == ["Căn cứ A;", "Căn cứ B."]
    assert sd.recipient_lines(["Như Điều 3", "- Lưu: VT;"]) == ["- Như Điều 3;", "- Lưu: VT."]
    assert sd.article_texts(["Một.", "Hai."]) == ["Một.", "Hai./."]


def _texts_by_height(page) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((text.strip(), tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def _page_number_at_top(page) -> str | None:  # type: ignore[no-untyped-def]
    top = [text for text, y in _texts_by_height(page) if y > A4_POINTS[1] - 20 * 72 / 25.4]
    return top[0] if top else None


def test_pdf_is_a4_in_liberation_serif_with_the_heading_and_page_numbers_from_page_two():
    reader = PdfReader(io.BytesIO(sd.render_pdf(_decision())))
    assert len(reader.pages) >= 3
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4_POINTS
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]  # embedded
    assert fonts <= {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic"}
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic"} <= fonts
    first = reader.pages[0].extract_text()
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "TỈNH BẮC NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 05/QĐ-UBND",
        "Bắc Ninh, ngày 03 tháng 12 năm 2026",
        "QUYẾT ĐỊNH",
        "Căn cứ Luật Thực hiện dân chủ ở cơ sở ngày 10 tháng 11 năm 2022;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
        "QUYẾT ĐỊNH:",
        "Điều 1.",
        "Điều 3.",
        "Quyết định này./.",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
    ):
        assert expected in first, expected
    # The national title stands level with the issuing body (the heading's two columns).
    heights = dict(_texts_by_height(reader.pages[0]))
    assert abs(heights["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] - heights["ỦY BAN NHÂN DÂN"]) < 2
    # Page 1 carries no number; the annex starts a page of its own, numbered on its own.
    numbers = [_page_number_at_top(page) for page in reader.pages]
    annex_start = next(i for i, page in enumerate(reader.pages) if "DANH SÁCH" in page.extract_text())
    assert numbers[0] is None and numbers[annex_start] is None
    assert numbers[annex_start + 1] == "2"
    assert all(n == str(i + 1) for i, n in enumerate(numbers[1:annex_start], start=1))


def test_certificate_pdf_draws_its_stars():
    certificate = sd.Certificate(
        heading=sd.Heading(("Ủy ban nhân dân", "Tỉnh Bắc Ninh")),
        authority="Chủ tịch Ủy ban nhân dân tỉnh Bắc Ninh",
        title="Giấy công nhận",
        holder="Xã Thử Nghiệm",
        lines=("Mức đạt: 4 sao",),
        stars=4,
        references=("Quyết định số 05/QĐ-UBND ngày 03/12/2026.",),
        place_date=sd.date_line("Bắc Ninh", dt.date(2026, 12, 3)),
        signature=sd.Signature(("KT. Chủ tịch", "Phó Chủ tịch"), "Nguyễn Văn An"),
    )
    reader = PdfReader(io.BytesIO(sd.certificate_pdf(certificate)))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4_POINTS[::-1]
    assert "GIẤY CÔNG NHẬN" in page.extract_text() and "★" not in page.extract_text()
    content = page.get_contents().get_data()
    stars = re.findall(rb"[\d.]+ [\d.]+ m(?:\s+[\d.]+ [\d.]+ l){9}\s+h", content)  # ten-cornered closed paths
    assert b".8 .62 0 rg" in content and len(stars) == 4


def _section_checks(section) -> None:  # type: ignore[no-untyped-def]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) <= section.top_margin <= Mm(25) and Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35) and Mm(15) <= section.right_margin <= Mm(20)


def test_docx_in_the_state_format():
    word = Document(io.BytesIO(sd.render_docx(_decision(rows=5))))
    for section in word.sections:
        _section_checks(section)
    normal = word.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    heading = word.tables[0]
    left, right = (cell.text for cell in heading.rows[0].cells)
    assert "ỦY BAN NHÂN DÂN\nTỈNH BẮC NINH" in left
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in right
    assert heading.rows[1].cells[0].text == "Số: 05/QĐ-UBND"
    date_cell = heading.rows[1].cells[1].paragraphs[0]
    assert date_cell.text == "Bắc Ninh, ngày 03 tháng 12 năm 2026" and date_cell.runs[0].italic
    texts = [p.text for p in word.paragraphs]
    assert "QUYẾT ĐỊNH" in texts and "QUYẾT ĐỊNH:" in texts
    articles = [t for t in texts if t.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"] and articles[-1].endswith("./.")
    for paragraph in word.paragraphs:
        for run in paragraph.runs:
            assert run.font.name in (None, "Times New Roman")
    recipients, signature = (cell.text for cell in word.tables[1].rows[0].cells)
    assert recipients.startswith("Nơi nhận:\n- Như Điều 3;") and recipients.endswith("- Lưu: VT, NC.")
    assert signature.startswith("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH") and signature.endswith("Nguyễn Văn An")
    # Page numbers in the header, none on a section's first page; the annex restarts them.
    first, annex = word.sections
    assert first.different_first_page_header_footer and "PAGE" in first.header._element.xml
    assert annex.different_first_page_header_footer
    assert annex._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert [c.text for c in word.tables[2].rows[0].cells] == ["STT", "Tên đơn vị", "Số sao"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed on this machine")
def test_docx_opens_in_libreoffice(tmp_path: Path):
    source = tmp_path / "quyet-dinh.docx"
    source.write_bytes(sd.render_docx(_decision(rows=5)))
    subprocess.run(
        [
            str(shutil.which("soffice")),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    reader = PdfReader(tmp_path / "quyet-dinh.pdf")
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    text = page.extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Số: 05/QĐ-UBND" in text and "QUYẾT ĐỊNH:" in text
    heights = dict(_texts_by_height(page))
    assert abs(heights["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] - heights["ỦY BAN NHÂN DÂN"]) < 2  # one line, not wrapped


def test_a_font_without_vietnamese_letters_is_never_taken(settings, tmp_path: Path):
    # Debian bookworm's fonts-liberation (1.07) has a LiberationSerif-Regular.ttf without them.
    without = tmp_path / "latin-only"
    without.mkdir()
    shutil.copy(font_file("DejaVuSans"), without / "DejaVuSans.ttf")
    old = Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf")
    if old.is_file():
        shutil.copy(old, without / "LiberationSerif-Regular.ttf")
    settings.PDF_FONT_DIR = str(without)
    with pytest.raises(ImproperlyConfigured, match="fonts-liberation2"):
        font_file("LiberationSerif-Regular")
    settings.PDF_FONT_DIR = f"{without}:/usr/share/fonts/truetype/liberation2"
    assert font_file("LiberationSerif-Regular") == Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
    assert font_file("DejaVuSans") == without / "DejaVuSans.ttf"
