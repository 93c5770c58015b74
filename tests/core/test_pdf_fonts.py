from core.pdf import vietnamese_fonts


def test_dejavu_fonts_carry_vietnamese_letters():
    from reportlab.pdfbase import pdfmetrics

    regular, bold = vietnamese_fonts()
    serif, serif_bold = vietnamese_fonts(serif=True)
    assert (regular, bold, serif, serif_bold) == ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold")
    face = pdfmetrics.getFont(regular).face
    assert all(ord(ch) in face.charToGlyph for ch in "Độc lập – Tự do – Hạnh phúc ỹữ")
