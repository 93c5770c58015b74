"""QR sheets and token slips are real PDFs; exports carry the dictionary and no trace of tokens."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from surveys import services
from surveys.models import Mode
from tests.surveys.conftest import pks07_answers


def test_qr_sheet_and_slips_are_pdf(stratum, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(district_officer)
    sheet = client.get(f"/staff/khao-sat/tang/{stratum.pk}/qr.pdf")
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    slips = client.post(f"/staff/khao-sat/tang/{stratum.pk}/ma-moi/", {"count": "9"})
    assert slips.content.startswith(b"%PDF") and stratum.tokens.count() == 9
    refused = client.post(f"/staff/khao-sat/tang/{stratum.pk}/ma-moi/", {"count": "0"})
    assert refused.status_code == 302 and stratum.tokens.count() == 9


def test_excel_has_index_microdata_and_dictionary(campaign, stratum, district_officer, client_for) -> None:  # type: ignore[no-untyped-def]
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    services.submit_response(stratum=stratum, raw=pks07_answers(q9="Rất tốt, cảm ơn cán bộ Nguyễn Văn A"), mode=Mode.TOKEN, token=raw)
    response = client_for(district_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/xuat/xlsx/")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["chi_so", "du_lieu", "tu_dien"]
    header = [c.value for c in wb["du_lieu"][1]]
    assert "trong_so" in header and "PKS07_q1" in header and "PKS07_q9" not in header
    text = " ".join(str(c.value) for row in wb["du_lieu"].iter_rows() for c in row)
    assert raw not in text and "Nguyễn Văn A" not in text
    words = {row[0].value for row in wb["tu_dien"].iter_rows(min_row=2)}
    assert set(header) <= words
    csv = client_for(district_officer).get(f"/staff/khao-sat/dot/{campaign.pk}/xuat/chi-so/").content.decode("utf-8-sig")
    assert csv.startswith("phan_to,gia_tri,so_phieu")
