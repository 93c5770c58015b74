"""The reporter's contact is never visible to the commune reported about — not on the page, not in
the API; complaints and denunciations show identity only to named roles at the handling unit."""

import pytest

from feedback.models import Category, Kind
from feedback.permissions import can_see_contact

pytestmark = pytest.mark.django_db
CONTACT = {"name": "Lê Văn Cường", "phone": "0987654321", "email": "cuong@example.invalid"}


def test_commune_concerned_never_sees_contact(make_case, doi_ngo, commune_officer, commune_chairman, district_officer, client_for):
    case = make_case(doi_ngo, contact=CONTACT)  # facilities: handled by the commune itself
    assert case.handling_unit == doi_ngo
    for user in (commune_officer, commune_chairman):
        assert not can_see_contact(user, case)
        page = client_for(user).get(f"/staff/phan-anh/{case.pk}/").content.decode()
        assert "0987654321" not in page and "được bảo vệ" in page
        api = client_for(user).get(f"/api/v1/feedback/staff/cases/{case.pk}").json()
        assert api["contact"] is None and api["has_contact"] is True
        listing = client_for(user).get("/api/v1/feedback/staff/cases").content.decode()
        assert "0987654321" not in listing
    assert can_see_contact(district_officer, case)
    assert "0987654321" in client_for(district_officer).get(f"/staff/phan-anh/{case.pk}/").content.decode()


def test_conduct_report_contact_visible_at_district_only(make_case, doi_ngo, luc_nam, district_officer, commune_officer):
    case = make_case(doi_ngo, category=Category.CONDUCT_HARASSMENT, contact=CONTACT)
    assert case.handling_unit == luc_nam
    assert can_see_contact(district_officer, case) and not can_see_contact(commune_officer, case)


def test_denunciation_identity_only_for_named_roles_at_handling_unit(
    make_case, doi_ngo, district_officer, district_appraiser, province_officer
):
    case = make_case(doi_ngo, kind=Kind.DENUNCIATION, category=Category.OTHER, contact=CONTACT)
    assert can_see_contact(district_officer, case)
    assert not can_see_contact(district_appraiser, case)
    assert not can_see_contact(province_officer, case)  # above the handling level


def test_excel_export_holds_no_contact(make_case, doi_ngo, district_officer, client_for):
    make_case(doi_ngo, contact=CONTACT)
    response = client_for(district_officer).get("/staff/phan-anh/thong-ke/excel/")
    assert response.status_code == 200
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(response.content))
    cells = " ".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row)
    assert "Đồi Ngô" in cells and "0987654321" not in cells and "Lê Văn Cường" not in cells
