"""The province's check: when a district forwards, a seeded, stratified random sample of the files
it sent is drawn and recorded (with the files not drawn); the same seed re-draws the same files;
no file of that district is decided until the province re-appraised every sampled file; only the
province team's leader records that re-appraisal, and only with every criterion scored. The
district sees its own figures only, a commune none, another province nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import ApiToken, Role
from certification import sampling, services
from certification.models import ProvinceCheck, ProvinceSample
from core.models import AuditEntry, OutboxMessage
from tests.certification.conftest import check_samples, district_appraise, province_recheck, to_district
from tests.certification.test_full_cycle import DECISION
from tests.conftest import unit

pytestmark = pytest.mark.django_db


def test_draw_is_reproducible_from_its_seed_and_stratified():
    files = [sampling.Candidate(i, "4" if i <= 12 else "3" if i <= 18 else "0") for i in range(1, 21)]
    first = sampling.draw(files, share=0.25, minimum=1, seed=20241231)
    again = sampling.draw(list(reversed(files)), share=0.25, minimum=1, seed=20241231)
    assert first.drawn == again.drawn and len(first.drawn) == 5
    # one per stratum, then the other 2 in proportion to 11, 5 and 1 files left: 1.29, 0.59, 0.12 → 1, 0, 0, the last to "3"
    assert first.allocation == {"4": (12, 2), "3": (6, 2), "0": (2, 1)}
    assert sum(1 for i in first.drawn if i <= 12) == 2 and sum(1 for i in first.drawn if i > 18) == 1
    assert {sampling.draw(files, share=0.25, minimum=1, seed=s).drawn for s in range(30)} != {first.drawn}  # the seed matters
    assert sampling.sample_size(3, 0.2, 1) == 1 and sampling.sample_size(11, 0.2, 1) == 3 and sampling.sample_size(2, 0.0, 5) == 2
    assert sampling.band_of(Decimal("92"), [(4, Decimal("95")), (3, Decimal("90"))]) == "3"
    assert sampling.band_of(Decimal("60"), [(4, Decimal("95"))]) == sampling.NO_BAND


def test_forward_draws_and_records_a_sample_that_redraws_identically(campaign, people, settings):
    settings.CERTIFICATION_SAMPLE_SHARE = 0.4
    files = []
    for code, minus in (("07444", None), ("07450", {"I.1": Decimal("4"), "II.1": Decimal("5")}), ("07453", None), ("07456", None)):
        c = unit(code)
        p = people(c)
        files.append(district_appraise(to_district(campaign, c, p), p, minus=minus))
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    sample = ProvinceSample.objects.get(campaign=campaign, district=unit("218"))
    checks = list(sample.checks.all())
    assert sample.population == len(checks) == 4 and len(sample.drawn) == 2 == sum(c.drawn for c in checks)
    assert {c.registration_id for c in checks if c.drawn} == set(sample.drawn)
    assert {c.stratum for c in checks} == {"4", "2"} and sample.allocation == {"4": [3, 1], "2": [1, 1]}  # 96 and 87 points
    redrawn = sampling.draw(
        [sampling.Candidate(c.registration_id, c.stratum) for c in checks],
        share=float(sample.share),
        minimum=sample.minimum,
        seed=sample.seed,
    )
    assert list(redrawn.drawn) == sample.drawn
    assert AuditEntry.objects.filter(model_label="certification.ProvinceSample", object_pk=str(sample.pk)).exists()
    assert OutboxMessage.objects.filter(
        recipient=p["province"].email, subject__startswith="Mẫu kiểm tra: 2 hồ sơ của Huyện Lục Nam"
    ).exists()


def test_no_decision_on_the_district_until_its_sample_is_reappraised(campaign, people, client_for):
    pa, pb = people(unit("07444")), people(unit("07450"))
    a = district_appraise(to_district(campaign, unit("07444"), pa), pa)
    b = district_appraise(to_district(campaign, unit("07450"), pb), pb)
    services.forward_district(campaign=campaign, district=unit("218"), by=pa["committee"])
    drawn = ProvinceCheck.objects.get(drawn=True).registration
    other = b if drawn == a else a
    for reg in (drawn, other):
        with pytest.raises(ValidationError, match="Tỉnh chưa thẩm định lại xong 1 hồ sơ mẫu kiểm tra của Huyện Lục Nam"):
            services.recognise(registration=reg, by=pa["province"], **DECISION)
        with pytest.raises(ValidationError, match="chưa thể quyết định hồ sơ nào của huyện này"):
            services.refuse(registration=reg, reason="Không đạt", by=pa["province"])
    client = client_for(pa["province"])
    assert "chưa thể quyết định hồ sơ nào của huyện này" in client.get(reverse("certification:decide", args=[other.pk])).content.decode()
    _token, raw = ApiToken.issue(user=pa["province"], name="app")
    api = client.__class__(HTTP_AUTHORIZATION=f"Bearer {raw}")
    refused = api.post(f"/api/v1/certification/files/{other.pk}/recognise", DECISION, content_type="application/json")
    assert refused.status_code == 422 and "mẫu kiểm tra" in refused.json()["detail"]

    # Only the province team's leader records the re-appraisal, and only with every criterion scored.
    with pytest.raises(PermissionDenied):
        services.complete_province_check(registration=drawn, by=pa["province"])
    services.set_team(registration=drawn, level="province", members=[pa["province"]], leader=pa["province"], by=pa["province"])
    services.declare_interest(registration=drawn, level="province", has_conflict=False, by=pa["province"])
    crit = campaign.criteria_set.criteria.get(code="I.1")
    services.save_appraisal_scores(registration=drawn, level="province", entries=[services.ScoreEntry(crit.pk, "3")], by=pa["province"])
    # A member's own score is not the team's: until the leader records the agreed scores, none counts.
    with pytest.raises(ValidationError, match=r"chưa chấm các tiêu chí: I\.1, I\.2"):
        services.complete_province_check(registration=drawn, by=pa["province"])
    province_recheck(drawn, pa, minus={"I.1": Decimal("1")})
    check = ProvinceCheck.objects.get(registration=drawn)
    assert check.province_total == Decimal("95.00") and check.district_total == Decimal("96.00") and check.checked_by == pa["province"]
    assert OutboxMessage.objects.filter(subject__startswith="Đã thẩm định lại xong mẫu kiểm tra của Huyện Lục Nam").exists()
    services.recognise(registration=other, by=pa["province"], **DECISION)  # the district's files may now be decided
    api_check = api.post(f"/api/v1/certification/files/{other.pk}/province-check")
    assert api_check.status_code in (403, 422)


def test_chain_without_districts_has_no_sample_and_says_so(criteria_set, province_officer, bac_giang, client_for):
    from tests.certification.conftest import make_campaign

    cp = make_campaign(province_officer, bac_giang, criteria_set, year=2026, chain="cp")
    page = client_for(province_officer).get(reverse("certification:quality", args=[cp.pk])).content.decode()
    assert "tỉnh tự thẩm định mọi hồ sơ" in page


def _api(user):  # type: ignore[no-untyped-def]
    from django.test import Client

    _token, raw = ApiToken.issue(user=user, name="app")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_a_district_sees_only_its_own_figures_a_commune_none(campaign, people, client_for, make_user):
    for code in ("07444", "07528"):  # Lục Nam, Lục Ngạn
        c = unit(code)
        p = people(c)
        district_appraise(to_district(campaign, c, p), p)
        services.forward_district(campaign=campaign, district=c.parent, by=p["committee"])
    lucnam_appraiser = make_user(Role.DISTRICT_APPRAISER, unit("218"))
    page = client_for(lucnam_appraiser).get(reverse("certification:quality", args=[campaign.pk])).content.decode()
    assert "Huyện Lục Nam" in page and "Huyện Lục Ngạn" not in page
    quality = _api(lucnam_appraiser).get(f"/api/v1/certification/campaigns/{campaign.pk}/appraisal-quality").json()
    assert [d["district_name"] for d in quality["districts"]] == ["Huyện Lục Nam"]
    samples = _api(lucnam_appraiser).get(f"/api/v1/certification/campaigns/{campaign.pk}/samples").json()
    assert [s["district_name"] for s in samples] == ["Huyện Lục Nam"] and samples[0]["seed"].isdigit()
    province = _api(p["province"]).get(f"/api/v1/certification/campaigns/{campaign.pk}/samples").json()
    assert sorted(s["district_name"] for s in province) == ["Huyện Lục Nam", "Huyện Lục Ngạn"]
    assert str(ProvinceSample.objects.get(district=unit("218")).seed) == samples[0]["seed"]
    commune = make_user(Role.COMMUNE_OFFICER, unit("07444"))
    assert client_for(commune).get(reverse("certification:quality", args=[campaign.pk])).status_code == 403
    assert _api(commune).get(f"/api/v1/certification/campaigns/{campaign.pk}/appraisal-quality").status_code == 403


def test_a_sampled_file_checked_once_stays_checked_when_forwarded_again(campaign, people, settings):
    settings.CERTIFICATION_SAMPLE_SHARE = 1.0
    p = people(unit("07444"))
    reg = district_appraise(to_district(campaign, unit("07444"), p), p)
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    check_samples(campaign, unit("218"), p)
    services.province_send_back(registration=reg, reason="Xem lại II.2", by=p["province"])
    services.district_propose(registration=reg, by=p["committee"])
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    assert ProvinceSample.objects.filter(district=unit("218")).count() == 1  # nothing new to draw
    services.recognise(registration=reg, by=p["province"], **DECISION)


def test_nightly_job_reads_citizens_figures_of_open_campaigns(campaign, people, settings):
    from certification.models import CitizenFigure
    from core import metrics

    def rate(*, unit, start, end):  # type: ignore[no-untyped-def]
        assert (start, end) == services.metric_period(campaign)  # the campaign's period, not "the last 365 days"
        return metrics.MetricValue(35.0 if unit.code == "07444" else None, "%", 12, "Phản ánh (thử)")

    previous = metrics.get("feedback.on_time_rate")
    metrics.register("feedback.on_time_rate", "Tỷ lệ trả lời đúng hạn", rate)
    settings.CERTIFICATION_FLAG_METRICS = ("feedback.on_time_rate",)
    try:
        assert services.refresh_figures_of_open_campaigns() == 0  # nothing under way yet
        p = people(unit("07444"))
        to_district(campaign, unit("07444"), p)
        assert services.refresh_figures_of_open_campaigns() == 1
        assert CitizenFigure.objects.filter(campaign=campaign).count() == 192
        assert CitizenFigure.objects.get(campaign=campaign, unit__code="07444").value == 35.0
        assert services.refresh_figures_of_open_campaigns() == 1 and CitizenFigure.objects.filter(campaign=campaign).count() == 192
    finally:
        if previous is not None:
            metrics._METRICS["feedback.on_time_rate"] = previous
