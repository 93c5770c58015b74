import pytest

from core.downloads import download


def test_attachment_with_a_vietnamese_name_is_encoded_for_every_browser():
    response = download(b"PK...", "Bộ tiêu chí mẫu-v1.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "B%E1%BB%99%20ti%C3%AAu%20ch%C3%AD" in disposition


def test_inline_pdf_and_csv_types():
    assert download(b"%PDF-1.4", "giay-chung-nhan.pdf", inline=True)["Content-Disposition"] == 'inline; filename="giay-chung-nhan.pdf"'
    assert download("a,b\n", "chi-so.csv")["Content-Type"] == "text/csv; charset=utf-8"
    assert download(b"x", "danh-sach.docx")["Content-Type"].endswith("wordprocessingml.document")


def test_unknown_extension_is_a_programming_error():
    with pytest.raises(KeyError):
        download(b"x", "tep.exe")
