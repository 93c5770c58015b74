"""Issue 11: evidence that opens (safely, in scope), files replaced or withdrawn with their history,
independent member scores and the leader's agreed score, citizens' figures over the campaign's
period with an open harassment case blocking recognition until a reasoned override, the chain and
star bands checked, and one province's official seeing nothing of another's."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from certification import scoring, services
from certification.models import ApprovalChain, DocumentKind, Level, MemberScore, Recognition, SelfScore, TeamAgreement
from core import metrics
from core.models import AuditEntry
from feedback import services as feedback_services
from tests.certification.conftest import PDF, check_samples, district_appraise, fill_dossier, make_campaign, to_district
from tests.certification.test_full_cycle import DECISION
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
API = "/api/v1/certification"


def _crit(reg, code):  # type: ignore[no-untyped-def]
    return reg.campaign.criteria_set.criteria.get(code=code)


# --- Evidence ------------------------------------------------------------------------------------
def test_evidence_opens_inline_safely_only_in_scope(campaign, people, doi_ngo, dong_hung, client_for):
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    doc = services.attach_evidence(
        registration=reg, criterion_id=_crit(reg, "I.1").pk, fileobj=io.BytesIO(PDF), name="bien-ban.pdf", by=p["officer"]
    )
    url = reverse("certification:evidence", args=[doc.pk])
    for who in ("officer", "committee", "appraiser", "province"):
        response = client_for(p[who]).get(url)
        assert response.status_code == 200, who
        assert response["Content-Type"] == "application/pdf" and response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    outsider = people(dong_hung)["officer"]  # another commune: the same 404 as a missing file
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(p["officer"]).get(reverse("certification:evidence", args=[doc.pk + 999])).status_code == 404
    # through the API too
    api = client_for(p["province"]).get(f"{API}/documents/{doc.pk}/content")
    assert api.status_code == 200 and api["X-Content-Type-Options"] == "nosniff"
    assert client_for(outsider).get(f"{API}/documents/{doc.pk}/content").status_code == 404
    # the dossier, scoring and decision pages link it
    assert url in client_for(p["officer"]).get(reverse("certification:file_detail", args=[reg.pk])).content.decode()


def test_non_inline_types_download(campaign, people, doi_ngo, client_for, settings):
    settings.UPLOAD_ALLOWED_TYPES = [*settings.UPLOAD_ALLOWED_TYPES, "application/zip"]
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    zipped = b"PK\x03\x04" + b"\x00" * 60
    doc = services.attach_evidence(
        registration=reg, criterion_id=_crit(reg, "I.1").pk, fileobj=io.BytesIO(zipped), name="a.zip", by=p["officer"]
    )
    response = client_for(p["officer"]).get(reverse("certification:evidence", args=[doc.pk]))
    assert response["Content-Type"] == "application/octet-stream" and response["Content-Disposition"].startswith("attachment")


def test_replace_and_withdraw_keep_the_history_and_lock_after_submission(campaign, people, doi_ngo, client_for):
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    first = services.upload_document(
        registration=reg, kind=DocumentKind.SUBMISSION, fileobj=io.BytesIO(PDF), name="v1.pdf", by=p["officer"]
    )
    second = services.upload_document(
        registration=reg, kind=DocumentKind.SUBMISSION, fileobj=io.BytesIO(PDF), name="v2.pdf", by=p["officer"]
    )
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.replaced and first.withdrawn_by == p["officer"] and second.is_current
    crit = _crit(reg, "I.2")
    ev = services.attach_evidence(registration=reg, criterion_id=crit.pk, fileobj=io.BytesIO(PNG), name="anh.png", by=p["officer"])
    assert SelfScore.objects.get(registration=reg, criterion=crit).evidence_file_id == ev.file_id
    client_for(p["officer"]).post(reverse("certification:withdraw_document", args=[reg.pk, ev.pk]))
    ev.refresh_from_db()
    assert ev.withdrawn_at is not None and not ev.replaced
    assert SelfScore.objects.get(registration=reg, criterion=crit).evidence_file_id is None
    assert AuditEntry.objects.filter(model_label="certification.DossierDocument", reason="withdraw").exists()
    page = client_for(p["officer"]).get(reverse("certification:file_detail", args=[reg.pk])).content.decode()
    assert "v1.pdf" in page and "anh.png" in page and "Lịch sử tài liệu" in page  # withdrawn files stay viewable
    # a withdrawn submission is missing again
    services.withdraw_document(registration=reg, document_id=second.pk, by=p["officer"])
    assert any("Tờ trình" in m for m in services.submission_problems(reg))
    # after submission nothing can be replaced or withdrawn
    fill_dossier(reg, p["officer"])
    services.submit_self_assessment(registration=reg, by=p["chairman"])
    current = reg.documents.filter(withdrawn_at__isnull=True).first()
    with pytest.raises(ValidationError, match="đã nộp"):
        services.withdraw_document(registration=reg, document_id=current.pk, by=p["officer"])
    with pytest.raises(PermissionDenied):
        services.attach_evidence(registration=reg, criterion_id=crit.pk, fileobj=io.BytesIO(PNG), name="x.png", by=p["committee"])


def test_a_bad_score_never_drops_the_attached_file(campaign, people, doi_ngo, client_for):
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    crit = _crit(reg, "I.1")
    upload = io.BytesIO(PDF)
    upload.name = "bien-ban-niem-yet.pdf"
    response = client_for(p["officer"]).post(
        reverse("certification:self_assessment", args=[reg.pk]), {f"score_{crit.pk}": "99", f"file_{crit.pk}": upload}
    )
    assert response.status_code == 200 and "vượt quá" in response.content.decode()
    kept = reg.documents.get(criterion=crit, withdrawn_at__isnull=True)
    assert kept.file.original_name == "bien-ban-niem-yet.pdf"
    assert "bien-ban-niem-yet.pdf" in response.content.decode()  # shown as attached on the re-rendered form


# --- Independent scores ----------------------------------------------------------------------------
def test_members_score_independently_and_the_leader_agrees(campaign, people, doi_ngo, client_for):
    p = people(doi_ngo)
    reg = to_district(campaign, doi_ngo, p)
    services.set_team(
        registration=reg, level=Level.DISTRICT, members=[p["appraiser"], p["appraiser2"]], leader=p["appraiser"], by=p["committee"]
    )
    for who in ("appraiser", "appraiser2"):
        services.declare_interest(registration=reg, level=Level.DISTRICT, has_conflict=False, by=p[who])
    criteria = [c for c in reg.campaign.criteria_set.criteria.all() if c.kind != "computed"]
    knockout = _crit(reg, "V.1") if _crit(reg, "V.1").kind != "computed" else criteria[0]
    full = [services.ScoreEntry(c.pk, c.max_points) for c in criteria]
    services.save_appraisal_scores(registration=reg, level=Level.DISTRICT, entries=full, by=p["appraiser2"])
    leader_entries = [services.ScoreEntry(c.pk, "0" if c == knockout else c.max_points) for c in criteria]
    services.save_appraisal_scores(registration=reg, level=Level.DISTRICT, entries=leader_entries, by=p["appraiser"])
    # the leader's 0 did not overwrite the other member's score, nor the other way round
    assert MemberScore.objects.get(registration=reg, user=p["appraiser"], criterion=knockout).score == 0
    assert MemberScore.objects.get(registration=reg, user=p["appraiser2"], criterion=knockout).score == knockout.max_points
    # each sees the other's score and the spread
    page = client_for(p["appraiser2"]).get(reverse("certification:appraise", args=[reg.pk, "district"])).content.decode()
    assert str(p["appraiser"]) in page and str(p["appraiser2"]) in page and "badge text-bg-warning" in page
    api = client_for(p["appraiser2"]).get(f"{API}/files/{reg.pk}/scores/district").json()
    row = next(r for r in api["criteria"] if r["criterion_id"] == knockout.pk)
    assert Decimal(row["spread"]) == knockout.max_points and len(row["members"]) == 2 and row["agreed"] is None
    # only the leader records the agreed score, and must settle the difference
    with pytest.raises(PermissionDenied):
        services.agree_team_score(registration=reg, by=p["appraiser2"])
    with pytest.raises(ValidationError, match="chấm khác nhau"):
        services.agree_team_score(registration=reg, by=p["appraiser"])
    agreement = services.agree_team_score(
        registration=reg,
        by=p["appraiser"],
        entries=[services.ScoreEntry(knockout.pk, "0", "Còn phản ánh chưa xử lý")],
        dissent="Thành viên 2 chấm tối đa",
    )
    assert (
        isinstance(agreement, TeamAgreement) and agreement.agreed_by == p["appraiser"] and agreement.dissent == "Thành viên 2 chấm tối đa"
    )
    assert agreement.member_scores[str(p["appraiser2"])][knockout.code] == str(knockout.max_points)
    assert reg.appraisal_scores.get(level=Level.DISTRICT, criterion=knockout).score == 0
    assert MemberScore.objects.get(registration=reg, user=p["appraiser2"], criterion=knockout).score == knockout.max_points
    reg.refresh_from_db()
    assert reg.district_agreed_at is not None and reg.district_total == agreement.total
    # a commune reading its file's scores sees the agreed ones, not the members'
    commune_view = client_for(p["officer"]).get(f"{API}/files/{reg.pk}/scores/district").json()
    assert all(r["members"] == [] for r in commune_view["criteria"]) and commune_view["agreements"][0]["member_scores"] == {}


def test_agreement_waits_for_every_member_and_a_commune_cannot_score(campaign, people, doi_ngo):
    p = people(doi_ngo)
    reg = to_district(campaign, doi_ngo, p)
    services.set_team(
        registration=reg, level=Level.DISTRICT, members=[p["appraiser"], p["appraiser2"]], leader=p["appraiser"], by=p["committee"]
    )
    for who in ("appraiser", "appraiser2"):
        services.declare_interest(registration=reg, level=Level.DISTRICT, has_conflict=False, by=p[who])
    entries = [services.ScoreEntry(c.pk, c.max_points) for c in reg.campaign.criteria_set.criteria.all()]
    services.save_appraisal_scores(registration=reg, level=Level.DISTRICT, entries=entries, by=p["appraiser"])
    with pytest.raises(ValidationError, match="chưa tự chấm"):
        services.agree_team_score(registration=reg, by=p["appraiser"])
    with pytest.raises(PermissionDenied):
        services.save_appraisal_scores(registration=reg, level=Level.DISTRICT, entries=entries, by=p["officer"])


# --- Citizens' data and the harassment block ---------------------------------------------------------
@pytest.fixture
def at_province(campaign, people, doi_ngo):  # type: ignore[no-untyped-def]
    p = people(doi_ngo)
    reg = district_appraise(to_district(campaign, doi_ngo, p), p)
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    check_samples(campaign, doi_ngo.parent, p)  # the province's own check of its sample comes first
    return reg, p


def _harassment_case(unit: Unit, by):  # type: ignore[no-untyped-def]
    report = feedback_services.Report(
        category="conduct_harassment",
        concerned_unit=unit,
        channel="phone",
        description="Cán bộ một cửa đòi tiền bồi dưỡng khi nhận hồ sơ đất đai.",
    )
    return feedback_services.enter_case(by=by, report=report)


def test_open_harassment_blocks_recognition_until_a_reasoned_override(at_province, client_for, make_user, bac_giang):
    reg, p = at_province
    _harassment_case(reg.unit, make_user(Role.PROVINCE_OFFICE, bac_giang))
    assert scoring.open_harassment(unit=reg.unit, campaign=reg.campaign) == 1
    page = client_for(p["province"]).get(reverse("certification:decide", args=[reg.pk])).content.decode()
    assert "chưa giải quyết xong" in page and reverse("feedback:case_list") in page
    with pytest.raises(ValidationError, match="sách nhiễu"):
        services.recognise(registration=reg, by=p["province"], **DECISION)
    blocked = client_for(p["province"]).post(reverse("certification:decide", args=[reg.pk]), {**DECISION, "confirm": "on"})
    assert blocked.status_code == 200 and not Recognition.objects.filter(registration=reg).exists()
    unconfirmed = client_for(p["province"]).post(
        reverse("certification:decide", args=[reg.pk]), {**DECISION, "override_reason": "Đã xác minh: người phản ánh nhầm xã."}
    )
    assert unconfirmed.status_code == 200 and not Recognition.objects.filter(registration=reg).exists()
    done = client_for(p["province"]).post(
        reverse("certification:decide", args=[reg.pk]),
        {**DECISION, "override_reason": "Đã xác minh: người phản ánh nhầm xã.", "confirm": "on"},
    )
    assert done.status_code == 302
    recognition = Recognition.objects.get(registration=reg)
    assert recognition.override_by == p["province"] and recognition.override_reason.startswith("Đã xác minh")
    assert AuditEntry.objects.filter(model_label="certification.Recognition", reason__startswith="Đã xác minh").exists()


def test_figures_follow_the_campaign_period_and_say_no_data(campaign, people, doi_ngo):
    period = scoring.metric_period(campaign)
    assert period[0] == dt.date(campaign.year, 1, 1) and period[1] <= dt.date(campaign.year, 12, 31)
    figures = {f.key: f.value for f in scoring.citizen_figures(unit=doi_ngo, campaign=campaign)}
    assert figures["feedback.on_time_rate"].value is None  # no answered report: no data, not 0
    assert figures["surveys.satisfaction_index"].value is None
    assert figures["feedback.harassment_open"].value == 0.0


def test_a_merged_commune_carries_its_predecessors_figures(bac_giang, doi_ngo, dong_hung):
    seen: list[str] = []

    def per_unit(*, unit, start, end):  # type: ignore[no-untyped-def]
        seen.append(unit.code)
        return metrics.MetricValue(
            {doi_ngo.code: 80.0, dong_hung.code: 40.0}.get(unit.code), "%", 10 if unit.code == doi_ngo.code else 30, "thử"
        )

    metrics.register("test.rate", "Tỷ lệ thử", per_unit)
    metrics.register("test.count", "Số thử", per_unit, combine=metrics.COUNT)
    try:
        rate = metrics.compute_over("test.rate", lineage=[doi_ngo, dong_hung], start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31))
        assert rate.value == 50.0 and rate.basis == 40 and dong_hung.name in rate.note  # (80·10 + 40·30) / 40
        assert (
            metrics.compute_over("test.count", lineage=[doi_ngo, dong_hung], start=dt.date(2024, 1, 1), end=dt.date(2024, 12, 31)).value
            == 120.0
        )
    finally:
        metrics._METRICS.pop("test.rate", None)
        metrics._METRICS.pop("test.count", None)


# --- Structure, chain, bands, provinces ---------------------------------------------------------------
def test_district_chain_refused_after_and_across_the_merger(province_officer, bac_giang, criteria_set):
    after = {"year": 2026, "opens": dt.date(2026, 3, 1)}
    with pytest.raises(ValidationError, match="không còn cấp huyện"):
        _campaign(province_officer, bac_giang, criteria_set, **after)
    with pytest.raises(ValidationError, match="trải qua ngày 01/07/2025"):
        _campaign(province_officer, bac_giang, criteria_set, year=2025, opens=dt.date(2025, 3, 1))


def _campaign(by, province, criteria_set, *, year, opens):  # type: ignore[no-untyped-def]
    return services.create_campaign(
        by=by,
        province=province,
        year=year,
        name=f"Đợt {year}",
        criteria_set=criteria_set,
        approval_chain=ApprovalChain.COMMUNE_DISTRICT_PROVINCE,
        target_share=Decimal("0.6"),
        registration_opens=opens,
        registration_closes=opens + dt.timedelta(days=30),
        self_assessment_due=opens + dt.timedelta(days=60),
        district_appraisal_due=opens + dt.timedelta(days=90),
        province_appraisal_due=opens + dt.timedelta(days=200),
    )


def test_star_bands_are_ordered_within_the_maximum_and_not_below_the_pass_mark():
    problems = services.star_band_problems(
        [(1, Decimal("60")), (2, Decimal("85")), (3, Decimal("80")), (4, Decimal("101"))], pass_mark=Decimal("70"), total=Decimal("100")
    )
    text = " ".join(problems)
    assert "thấp hơn điểm đạt chuẩn" in text and "vượt tổng điểm tối đa" in text and "cần tổng điểm cao hơn" in text
    assert services.star_band_problems([(1, Decimal("70")), (2, Decimal("80"))], pass_mark=Decimal("70"), total=Decimal("100")) == []


def test_an_official_of_another_province_sees_nothing(campaign, people, doi_ngo, client_for, make_user, criteria_set):
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    doc = services.upload_document(registration=reg, kind=DocumentKind.SUBMISSION, fileobj=io.BytesIO(PDF), name="t.pdf", by=p["officer"])
    other = (
        Unit.objects.filter(kind=UnitKind.PROVINCE)
        .exclude(path__startswith=campaign.province.path)
        .exclude(pk__in=campaign.province.ancestor_ids())
        .first()
    )
    if other is None:
        other = Unit.objects.create(name="Tỉnh Thử", code="99", kind=UnitKind.PROVINCE, edition="2024")
    stranger = make_user(Role.PROVINCE_OFFICE, other)
    client = client_for(stranger)
    for url in (
        reverse("certification:campaign_detail", args=[campaign.pk]),
        reverse("certification:file_detail", args=[reg.pk]),
        reverse("certification:evidence", args=[doc.pk]),
        reverse("certification:criteria_detail", args=[criteria_set.pk]),
        f"{API}/files/{reg.pk}/scores/district",
    ):
        assert client.get(url).status_code == 404, url
    assert campaign.name not in client.get(reverse("certification:campaign_list")).content.decode()
    assert all(s["id"] != criteria_set.pk for s in client.get(f"{API}/criteria-sets").json())
    # its own criteria set belongs to its province; another province's set cannot run its campaign
    with pytest.raises(ValidationError, match="thuộc tỉnh khác"):
        make_campaign(stranger, other, criteria_set, year=2024)


def test_abolished_commune_cannot_register_and_its_successor_is_named(province_officer, make_user, national_template):
    from units.importing import import_official_units

    import_official_units(province_code="24", structure="2025")
    old = Unit.objects.filter(edition="2024", kind=UnitKind.COMMUNE, successor__isnull=False).first()
    office = make_user(Role.PROVINCE_OFFICE, old.successor.parent)
    problems = services.eligibility_problems(
        campaign=_2024_campaign(province_officer, old, national_template), unit=old, today=dt.date(2026, 3, 10)
    )
    assert any(old.successor.name in m for m in problems)
    assert office is not None


def _2024_campaign(by, unit, criteria_set):  # type: ignore[no-untyped-def]
    province = next(a for a in unit.ancestors() if a.kind == UnitKind.PROVINCE)
    return make_campaign(by, province, criteria_set, year=2024)


def test_a_substantiated_harassment_case_blocks_recognition_until_a_reasoned_override(at_province, make_user, bac_giang):
    from feedback.models import Finding, RegisterClass

    reg, p = at_province
    officer = make_user(Role.PROVINCE_OFFICE, bac_giang)
    case = _harassment_case(reg.unit, officer).case
    case = feedback_services.accept_case(case=case, by=officer, register_class=RegisterClass.BEHAVIOUR)
    feedback_services.answer_case(case=case, by=officer, answer="Đã kết luận: cán bộ có đòi tiền, đã kiểm điểm.", finding=Finding.PARTLY)
    assert scoring.open_harassment(unit=reg.unit, campaign=reg.campaign) == 0
    assert scoring.substantiated_harassment(unit=reg.unit, campaign=reg.campaign) == 1
    with pytest.raises(ValidationError, match="kết luận có cơ sở"):
        services.recognise(registration=reg, by=p["province"], **DECISION)
    services.recognise(registration=reg, by=p["province"], override_reason="Đã xử lý kỷ luật, xã khắc phục xong.", **DECISION)
    assert Recognition.objects.get(registration=reg).override_reason.startswith("Đã xử lý")
