"""Criteria sets: a published set is immutable, revising makes a new draft version copying the
content, and a campaign of an earlier year keeps its results under the old version. Excel round
trip, and a malformed workbook names each bad row and creates nothing."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from certification import criteria_io, services
from certification.models import CriteriaSet
from tests.certification.conftest import check_samples, district_appraise, make_campaign, to_district
from tests.certification.test_full_cycle import DECISION

pytestmark = pytest.mark.django_db


def test_revision_between_two_years_leaves_old_results_unchanged(campaign, criteria_set, people, doi_ngo, province_officer, bac_giang):
    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)
    recognition = services.recognise(registration=reg, by=p["province"], **DECISION)

    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.publish_criteria_set(criteria_set=criteria_set, by=province_officer)
    v2 = services.revise_criteria_set(criteria_set=criteria_set, by=province_officer)
    assert v2.version == 2 and v2.revised_from == criteria_set and v2.status == CriteriaSet.Status.DRAFT
    assert v2.criteria.count() == criteria_set.criteria.count() == 24
    assert list(v2.star_bands.values_list("stars", "min_total")) == list(criteria_set.star_bands.values_list("stars", "min_total"))
    # the new Law: the draft is edited (here: I.1 worth 6), then published and used in 2025
    edited = services.spec_of(v2)
    edited.groups[0].criteria[0].max_points = Decimal("6")  # I.1 now worth 6 ...
    edited.groups[0].criteria[1].max_points = Decimal("2")  # ... and I.2 worth 2: still 100 in all
    v2 = services.replace_draft_content(criteria_set=v2, spec=edited, by=province_officer)
    v2 = services.publish_criteria_set(criteria_set=v2, by=province_officer)
    campaign_2025 = make_campaign(province_officer, bac_giang, v2, year=2025)
    assert campaign_2025.criteria_set.criteria.get(code="I.1").max_points == Decimal("6")

    reg.refresh_from_db()
    recognition.refresh_from_db()
    assert reg.campaign.criteria_set == criteria_set and criteria_set.criteria.get(code="I.1").max_points == Decimal("4")
    assert recognition.total == Decimal("96.00") and recognition.stars == 4
    assert services.evaluate(criteria_set, services.final_scores(reg)).total == Decimal("96.00")


def test_only_the_province_office_manages_sets(district_officer):
    with pytest.raises(PermissionDenied):
        services.create_criteria_set(spec=criteria_io.load_sample_spec(), by=district_officer)


def test_campaign_needs_a_published_set(province_officer, bac_giang):
    draft = services.create_criteria_set(spec=criteria_io.load_sample_spec(), by=province_officer)
    with pytest.raises(ValidationError) as exc:
        make_campaign(province_officer, bac_giang, draft)
    assert "ban hành" in str(exc.value.message_dict["criteria_set"])


def test_excel_round_trip(criteria_set, province_officer):
    data = criteria_io.export_workbook(services.spec_of(criteria_set))
    spec = criteria_io.parse_workbook(io.BytesIO(data))
    assert spec.name == criteria_set.name and spec.pass_mark == Decimal("70") and spec.is_sample
    assert [c.code for g in spec.groups for c in g.criteria] == list(criteria_set.criteria.values_list("code", flat=True))
    again = services.create_criteria_set(spec=spec, by=province_officer)
    assert again.family == criteria_set.family and again.version == 2
    assert again.criteria.get(code="IV.2").metric_key == "feedback.on_time_rate"


def test_malformed_excel_names_each_bad_row_and_creates_nothing(criteria_set):
    wb = load_workbook(io.BytesIO(criteria_io.export_workbook(services.spec_of(criteria_set))))
    sheet = wb["Tiêu chí"]
    sheet["E2"] = "nhiều"  # row 2: max points not a number
    sheet["F3"] = 9  # row 3: điểm liệt above max 4
    sheet["H4"] = "Tự luận"  # row 4: unknown kind
    wb["Mức sao"]["A2"] = "bốn"
    out = io.BytesIO()
    wb.save(out)
    before = CriteriaSet.objects.count()
    with pytest.raises(ValidationError) as exc:
        criteria_io.parse_workbook(io.BytesIO(out.getvalue()))
    messages = exc.value.messages
    assert any("dòng 2" in m and "không phải là số" in m for m in messages)
    assert any("dòng 3" in m and "điểm liệt" in m for m in messages)
    assert any("dòng 4" in m and "Tự luận" in m for m in messages)
    assert any("Mức sao" in m and "dòng 2" in m for m in messages)
    assert CriteriaSet.objects.count() == before


def test_not_an_excel_file():
    with pytest.raises(ValidationError, match="không phải là bảng tính Excel"):
        criteria_io.parse_workbook(io.BytesIO(b"%PDF-1.4 not a workbook"))


def test_draft_edited_from_excel_page_published_one_refused(criteria_set, province_officer, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    draft = services.revise_criteria_set(criteria_set=criteria_set, by=province_officer)
    wb = load_workbook(io.BytesIO(criteria_io.export_workbook(services.spec_of(draft))))
    wb["Thông tin"]["B3"] = 75  # pass mark, above the 1★ band (70): refused, bands never below the pass mark
    out = io.BytesIO()
    wb.save(out)
    client = client_for(province_officer)
    url = reverse("certification:criteria_import") + f"?into={draft.pk}"
    refused = client.post(url, {"file": SimpleUploadedFile("bo.xlsx", out.getvalue())})
    assert refused.status_code == 200 and "thấp hơn điểm đạt chuẩn 75" in refused.content.decode()
    wb["Thông tin"]["B3"] = 65
    out = io.BytesIO()
    wb.save(out)
    assert client.post(url, {"file": SimpleUploadedFile("bo.xlsx", out.getvalue())}).status_code == 302
    draft.refresh_from_db()
    assert draft.pass_mark == Decimal("65") and draft.criteria.count() == 24
    assert client.get(reverse("certification:criteria_import") + f"?into={criteria_set.pk}").status_code == 404
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.replace_draft_content(criteria_set=criteria_set, spec=services.spec_of(draft), by=province_officer)
