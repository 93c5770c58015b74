"""Appraisal quality from the province's check: the district that copies the communes' self-scores
is flagged even before the province re-scored anything, the one that corrects inflated self-scores
is not; a file the province never re-scored is "not checked", never a perfect match; the inflation
interval is the textbook t interval; mass registration and recognitions that citizens' figures
contradict are flagged; the export carries the same figures."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from certification import queries, services
from certification.models import CitizenFigure, ProvinceCheck
from certification.statistics import mean_interval
from tests.certification.conftest import check_samples, district_appraise, province_recheck, to_district
from tests.conftest import unit

pytestmark = pytest.mark.django_db

INFLATED = {"I.1": Decimal("0"), "II.1": Decimal("0")}  # the commune claims full marks on everything
CORRECTED = {"I.1": Decimal("2"), "II.1": Decimal("3"), "V.2": Decimal("2")}  # what a serious team takes off


def _copier_and_corrector(campaign, people):  # type: ignore[no-untyped-def]
    """Lục Nam copies its communes' self-scores and the province checks nothing; Lục Ngạn corrects
    the inflated self-scores and the province's re-appraisal of its sample agrees."""
    copier_files, corrector_files = [], []
    for code in ("07444", "07450"):  # Lục Nam
        c = unit(code)
        p = people(c)
        copier_files.append(district_appraise(to_district(campaign, c, p), p))
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    for code in ("07528", "07531"):  # Lục Ngạn
        c = unit(code)
        q = people(c)
        corrector_files.append(district_appraise(to_district(campaign, c, q), q, minus=CORRECTED))
    services.forward_district(campaign=campaign, district=unit("219"), by=q["committee"])
    for reg in check_samples_with(campaign, unit("219"), q, minus=CORRECTED):
        assert reg in corrector_files
    return copier_files, corrector_files, p, q


def check_samples_with(campaign, district, p, *, minus):  # type: ignore[no-untyped-def]
    waiting = [c.registration for c in ProvinceCheck.objects.filter(registration__district=district, drawn=True, checked_at__isnull=True)]
    for reg in waiting:
        province_recheck(reg, p, minus=minus)
    return waiting


def test_the_copier_is_flagged_the_corrector_is_not(campaign, people):
    _copier_and_corrector(campaign, people)
    rows = {r.district.code: r for r in queries.appraisal_quality(campaign=campaign).rows}
    copier, corrector = rows["218"], rows["219"]
    assert (copier.compared, copier.copied) == (2, 2) and copier.copies_self_scores
    assert any("chép điểm tự chấm" in f for f in copier.flags)
    # Nothing of Lục Nam was re-scored by the province: "not checked", not a perfect match.
    assert copier.gap.n == 0 and copier.gap.mean is None and copier.checked == 0 and copier.not_checked == 2
    assert (corrector.compared, corrector.copied) == (2, 0) and not corrector.copies_self_scores
    assert corrector.checked == corrector.sampled == 1 and corrector.gap.mean == 0.0 and corrector.gap_files == []
    assert corrector.self_inflation == 7.0  # the communes claimed 7 points more than the district gave
    assert corrector.flags == []
    ranked = [r.district.code for r in queries.appraisal_quality(campaign=campaign).rows]
    assert ranked.index("218") < ranked.index("219")  # the rubber stamp no longer ranks cleanest


def test_unchecked_files_are_not_a_perfect_match_even_when_decided(campaign, people, settings):
    """The old table counted a decided file the province never re-scored as gap 0."""
    settings.CERTIFICATION_SAMPLE_SHARE = 0.5
    files = []
    for code in ("07444", "07450", "07453", "07456"):
        c = unit(code)
        p = people(c)
        files.append(district_appraise(to_district(campaign, c, p), p))
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    checked = check_samples_with(campaign, unit("218"), p, minus={"I.1": Decimal("3")})
    from tests.certification.test_full_cycle import DECISION

    for reg in files:
        services.recognise(registration=reg, by=p["province"], **DECISION)
    row = queries.appraisal_quality(campaign=campaign).rows[0]
    assert row.recognised == 4 and row.sampled == row.checked == len(checked) == 2
    assert row.gap.n == 2 and row.gap.mean == 3.0  # only the two sampled files, each 3 points above the province
    assert row.not_checked == 2


def test_interval_matches_a_hand_computation():
    # gaps 2, 4, 9: mean 5, s = √13 = 3.6056, t(0.975; 2) = 4.3027, half-width = 4.3027 · 3.6056 / √3 = 8.9566
    est = mean_interval([Decimal("2"), Decimal("4"), Decimal("9")])
    assert (est.n, est.mean, est.sd, est.lci, est.uci) == (3, 5.0, 3.61, -3.96, 13.96)
    assert not est.above_zero
    # gaps 3, 4, 5, 4: mean 4, s = 0.8165, t(0.975; 3) = 3.1824, half-width 1.2992
    est = mean_interval([3, 4, 5, 4])
    assert (est.lci, est.uci) == (2.7, 5.3) and est.above_zero
    one = mean_interval([Decimal("6")])
    assert one.n == 1 and one.mean == 6.0 and one.lci is None and not one.enough


def test_interval_and_tolerance_on_the_page(campaign, people, client_for, settings):
    settings.CERTIFICATION_SAMPLE_SHARE = 1.0
    gaps = {"07444": Decimal("2"), "07450": Decimal("4"), "07453": Decimal("9")}
    for code in gaps:
        c = unit(code)
        p = people(c)
        district_appraise(to_district(campaign, c, p), p)
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    for code, gap in gaps.items():
        reg = campaign.registrations.get(unit__code=code)
        province_recheck(reg, p, minus={"V.1": gap} if gap < 5 else {"V.1": Decimal("4"), "V.2": gap - 4})
    row = queries.appraisal_quality(campaign=campaign).rows[0]
    assert (row.gap.n, row.gap.mean, row.gap.lci, row.gap.uci) == (3, 5.0, -3.96, 13.96)
    assert [(g.unit, g.gap) for g in row.gap_files] == [("Xã Đông Phú", Decimal("9.00"))]  # beyond the 5-point tolerance
    page = client_for(p["province"]).get(reverse("certification:quality", args=[campaign.pk])).content.decode()
    assert "[-3,96; 13,96], n = 3" in page and "Xã Đông Phú (+9)" in page and "chênh hơn 5 điểm" in page


def test_mass_registration_and_recognitions_against_citizens_figures(campaign, people, settings):
    settings.CERTIFICATION_FLAG_METRICS = ("feedback.on_time_rate",)
    c = unit("07444")
    p = people(c)
    reg = district_appraise(to_district(campaign, c, p), p)
    services.forward_district(campaign=campaign, district=unit("218"), by=p["committee"])
    # Registrations in Lục Nam beyond the one above: 5 more communes registered.
    for code in ("07450", "07453", "07456", "07459", "07462"):
        q = people(unit(code))
        services.register(campaign=campaign, unit=unit(code), by=q["officer"])
    CitizenFigure.objects.filter(campaign=campaign).delete()
    now = timezone.now()
    lucnam = list(unit("218").children.all().order_by("code"))
    for i, commune in enumerate(lucnam[:7]):  # six communes with figures: only two meet the 60 % bar
        value, basis = (80.0 if i in (1, 2) else 35.0), (0 if i == 6 else 20)  # the seventh rests on no report: no data
        CitizenFigure.objects.create(
            campaign=campaign, unit=commune, key="feedback.on_time_rate", value=value, measure="%", basis=basis, computed_at=now
        )
    check_samples(campaign, unit("218"), p)
    from tests.certification.test_full_cycle import DECISION

    services.recognise(registration=reg, by=p["province"], **DECISION)
    row = queries.appraisal_quality(campaign=campaign).rows[0]
    assert (row.registered, row.communes_with_data, row.supported) == (6, 6, 2) and row.mass_registration
    assert any("Đăng ký tràn lan: 6 xã đăng ký, chỉ 2/6" in f for f in row.flags)
    assert len(row.disagreements) == 1 and row.disagreements[0].startswith("Thị trấn Đồi Ngô (công nhận 4★): ")
    assert row.disagreements[0].endswith(" = 35%")


def test_export_carries_the_estimate(campaign, people, client_for):
    _copier, _corrector, p, _q = _copier_and_corrector(campaign, people)
    sheet = load_workbook(
        io.BytesIO(client_for(p["province"]).get(reverse("certification:quality_export", args=[campaign.pk])).content)
    ).active
    assert sheet["B2"].value == "Huyện Lục Nam" and sheet["K2"].value == 0 and sheet["L2"].value == 2 and sheet["N2"].value == "2/2"
    assert "chép điểm tự chấm" in sheet["P2"].value
