"""The public site: the province home with its districts and communes, the diacritics-insensitive
search (full page and htmx partial), and a unit's page with its map, predecessors and successor."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import DOI_NGO, LUC_NAM
from units.importing import import_official_units


def _page(url: str, **kwargs: object) -> str:
    response = Client().get(url, **kwargs)
    assert response.status_code == 200, url
    return response.content.decode()


def test_home_shows_the_province_its_10_districts_and_192_communes(bac_giang):
    page = _page(reverse("portal:home"))
    assert re.search(r"<h1[^>]*>Tỉnh Bắc Giang</h1>", page)
    assert page.count('class="card card-unit') == 10
    assert '<div class="stat">10</div>' in page and '<div class="stat">192</div>' in page
    assert 'href="/don-vi/2024/218/">Huyện Lục Nam</a>' in page
    assert 'lang="vi"' in page


def test_home_without_units_tells_the_administrator_what_to_run(db, settings):
    settings.PROVINCE_CODE = "99"
    page = _page(reverse("portal:home"))
    assert "import_units --all --structure 2025" in page


@pytest.mark.parametrize("query", ["luc nam", "Lục Nam", "LUC NAM"])
def test_search_finds_the_district_with_or_without_diacritics(bac_giang, query):
    page = _page(reverse("portal:search"), query_params={"q": query})
    assert 'href="/don-vi/2024/218/">Huyện Lục Nam</a>' in page
    assert "<html" in page and f'value="{query}"' in page


def test_search_for_nothing_or_an_unknown_name(bac_giang):
    page = _page(reverse("portal:search"))
    assert "Tìm thấy" not in page and "Không tìm thấy" not in page
    page = _page(reverse("portal:search"), query_params={"q": "xyzzy"})
    assert "Không tìm thấy đơn vị nào khớp với “xyzzy”." in page


def test_htmx_search_returns_only_the_results_partial(bac_giang):
    response = Client().get(reverse("portal:search"), {"q": "dong hung"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and "<h1" not in page
    assert 'href="/don-vi/2024/07450/">Xã Đông Hưng</a>' in page
    # The same URL answers with a full page or a fragment: caches must keep them apart.
    assert "HX-Request" in response.get("Vary", "")
    assert "HX-Request" in Client().get(reverse("portal:search"), {"q": "dong hung"}).get("Vary", "")


def test_commune_page_shows_name_code_district_and_location(bac_giang, settings):
    settings.MAP_TILE_URL = ""
    page = _page(reverse("portal:unit", args=["2024", DOI_NGO]))
    assert re.search(r"<h1[^>]*>Thị trấn Đồi Ngô</h1>", page)
    assert f'<dd class="col-7">{DOI_NGO}</dd>' in page
    assert 'href="/don-vi/2024/218/">Lục Nam</a>' in page
    assert "21.3058, 106.3846" in page


def test_commune_page_without_a_tile_server_shows_the_fallback_and_no_map_script(bac_giang, settings):
    settings.MAP_TILE_URL = ""
    page = _page(reverse("portal:unit", args=["2024", DOI_NGO]))
    assert 'id="unit-map-fallback"' in page and "Bản đồ nền chưa được cấu hình" in page
    assert 'id="unit-map"' not in page and "leaflet" not in page


def test_commune_page_with_a_tile_server_has_the_map_and_leaflet(bac_giang, settings):
    settings.MAP_TILE_URL = "https://tiles.example.vn/{z}/{x}/{y}.png"
    page = _page(reverse("portal:unit", args=["2024", DOI_NGO]))
    assert 'id="unit-map"' in page and 'data-tiles="https://tiles.example.vn/{z}/{x}/{y}.png"' in page
    assert 'data-lat="21.305782"' in page
    assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in page
    assert '<script src="/static/js/unit-map.js"></script>' in page
    assert "unit-map-fallback" not in page
    # Strict CSP: no inline scripts or styles on the page.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)
    assert ' style="' not in page


def test_district_page_lists_its_communes(bac_giang):
    page = _page(reverse("portal:unit", args=["2024", LUC_NAM]))
    assert re.search(r"<h1[^>]*>Huyện Lục Nam</h1>", page)
    assert 'href="/don-vi/2024/07444/">Thị trấn Đồi Ngô</a>' in page
    assert 'href="/don-vi/2024/24/">Tỉnh Bắc Giang</a>' in page


def _queries(url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        _page(url)
    return len(queries)


def test_2025_unit_lists_its_predecessors_with_their_district(bac_giang):
    import_official_units(province_code="24", structure="2025")
    page = _page(reverse("portal:unit", args=["2025", "07210"]))
    assert re.search(r"<h1[^>]*>Phường Bắc Giang</h1>", page)
    assert "Hình thành ngày 01/07/2025 từ các đơn vị" in page
    assert 'href="/don-vi/2024/07201/">Phường Thọ Xương</a> <span class="text-body-secondary">(Thành phố Bắc Giang)</span>' in page
    assert page.count('href="/don-vi/2024/') == 7
    assert 'href="/don-vi/2025/24/">Tỉnh Bắc Ninh</a>' in page
    # Seven predecessors cost no more queries than three (Phường Đa Mai): no query per row.
    assert _queries(reverse("portal:unit", args=["2025", "07210"])) == _queries(reverse("portal:unit", args=["2025", "07228"]))


def test_2024_unit_points_to_its_successor(bac_giang):
    import_official_units(province_code="24", structure="2025")
    page = _page(reverse("portal:unit", args=["2024", "07201"]))
    assert "Đơn vị này hoạt động đến ngày 30/06/2025; nay thuộc" in page
    assert 'href="/don-vi/2025/07210/">Phường Bắc Giang</a>' in page
    page = _page(reverse("portal:unit", args=["2024", LUC_NAM]))
    assert "Đơn vị này hoạt động đến ngày 30/06/2025." in page


@pytest.mark.parametrize(("edition", "code"), [("2024", "99999"), ("2025", DOI_NGO), ("abc", "24")])
def test_unknown_unit_is_404(bac_giang, edition, code):
    assert Client().get(reverse("portal:unit", args=[edition, code])).status_code == 404


def test_pages_are_served_in_english_on_request(bac_giang):
    response = Client().get(reverse("portal:home"), headers={"Accept-Language": "en"})
    assert response.status_code == 200 and 'lang="en"' in response.content.decode()


def test_home_of_a_two_tier_province_lists_its_communes(bac_giang, settings):
    import_official_units(province_code="24", structure="2025")
    page = _page(reverse("portal:home"))
    assert re.search(r"<h1[^>]*>Tỉnh Bắc Ninh</h1>", page)
    assert page.count('class="card card-unit') == 99
    assert '<div class="stat">99</div><div>đơn vị cấp xã trực thuộc</div>' in page


def test_without_a_tile_server_the_communes_are_points_on_a_blank_map(bac_giang, settings):
    settings.MAP_TILE_URL = ""
    page = _page(reverse("portal:unit", args=["2024", DOI_NGO]))
    svg = page.split('<svg viewBox="0 0 ', 1)[1].split("</svg>", 1)[0]
    assert svg.count("<circle") > 100  # Bắc Giang's communes in force or not, each a point
    assert svg.count('r="8"') == 1 and "<title>Thị trấn Đồi Ngô</title>" in svg
    assert f'href="/don-vi/2024/{DOI_NGO}/"' in svg


def test_home_lists_the_provinces_in_force_and_shows_the_one_chosen(bac_giang):
    import_official_units(province_code="24", structure="2025")
    import_official_units(province_code="01", structure="2025")
    page = _page(reverse("portal:home"))
    # The home province in force today is the new Bắc Ninh, formed from Bắc Giang.
    assert re.search(r"<h1[^>]*>Tỉnh Bắc Ninh</h1>", page)
    assert "Hình thành ngày 01/07/2025 từ" in page and "Tỉnh Bắc Giang</a>" in page
    options = re.findall(r'<option value="(\d+)"', page)
    assert options == ["24", "01"] or sorted(options) == ["01", "24"]
    assert 'value="24" selected' in page
    ha_noi = _page(reverse("portal:home") + "?tinh=01")
    assert re.search(r"<h1[^>]*>Thành phố Hà Nội</h1>", ha_noi)
    assert "Phường Bắc Giang" not in ha_noi
    # An unknown choice falls back to the home province rather than failing.
    assert re.search(r"<h1[^>]*>Tỉnh Bắc Ninh</h1>", _page(reverse("portal:home") + "?tinh=<script>"))


def test_search_puts_the_unit_in_force_before_its_predecessor(bac_giang):
    import_official_units(province_code="24", structure="2025")
    page = _page(reverse("portal:search") + "?q=bac+giang")
    current = page.index("/don-vi/2025/07210/")
    assert current < page.index("/don-vi/2024/")
    assert "hiệu lực đến 30/06/2025" in page
