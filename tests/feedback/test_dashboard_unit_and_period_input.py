"""The figures page takes a unit and a period from the address: a unit outside the user's scope
(a neighbouring district, the district above a commune officer) or a malformed id is a 404 on the
page and its export, and malformed dates fall back to the default period instead of failing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_unit_outside_scope_or_malformed_is_404(district_officer, commune_officer, luc_ngan, luc_nam, cam_son, client_for):
    district = client_for(district_officer)
    for unit in (luc_ngan.pk, cam_son.pk, "abc", "999999999"):
        assert district.get(f"/staff/phan-anh/thong-ke/?unit={unit}").status_code == 404, unit
        assert district.get(f"/staff/phan-anh/thong-ke/excel/?unit={unit}").status_code == 404, unit
    assert client_for(commune_officer).get(f"/staff/phan-anh/thong-ke/?unit={luc_nam.pk}").status_code == 404


def test_own_child_unit_is_shown(district_officer, doi_ngo, client_for):
    page = client_for(district_officer).get(f"/staff/phan-anh/thong-ke/?unit={doi_ngo.pk}")
    assert page.status_code == 200 and page.context["unit"] == doi_ngo


def test_malformed_or_reversed_dates_fall_back(district_officer, client_for, frozen):
    c = client_for(district_officer)
    page = c.get("/staff/phan-anh/thong-ke/?from=2026-13-01&to=ngay-mai")
    assert page.status_code == 200
    assert (str(page.context["start"]), str(page.context["end"])) == ("2026-01-01", "2026-03-03")
    page = c.get("/staff/phan-anh/thong-ke/?from=2026-02-10&to=2026-02-01")
    assert (str(page.context["start"]), str(page.context["end"])) == ("2026-02-10", "2026-02-10")
