"""The whole cycle for several communes of Lục Nam: recognition, send-back at both levels, refusal,
revocation; the district can forward only when every file is decided; each move is audited and
announced to whoever acts next."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from certification import services
from certification.models import FileState, Recognition
from core.models import AuditEntry, OutboxMessage
from tests.certification.conftest import district_appraise, province_recheck, to_district
from tests.conftest import unit

pytestmark = pytest.mark.django_db

DECISION = {
    "decision_number": "123/QĐ-UBND",
    "decision_date": dt.date(2024, 12, 20),
    "signer": "Phó Chủ tịch UBND tỉnh",
    "valid_until": dt.date(2025, 12, 31),
}


def test_cycle_with_send_backs_refusal_and_revocation(campaign, people, luc_nam, doi_ngo, dong_hung, settings):
    settings.CERTIFICATION_SAMPLE_SHARE = 1.0  # the province re-appraises every file: the draw is no matter here
    third = unit("07453")  # another commune of Lục Nam
    pa, pb, pc = people(doi_ngo), people(dong_hung), people(third)
    a = to_district(campaign, doi_ngo, pa)
    b = to_district(campaign, dong_hung, pb, minus={"I.1": Decimal("4")})
    c = to_district(campaign, third, pc)
    assert a.state == FileState.SUBMITTED and a.self_total == Decimal("100.00") - Decimal("4")  # IV.2 has no feedback data: 0 points
    assert OutboxMessage.objects.filter(recipient=pa["committee"].email, subject__contains=str(doi_ngo)).exists()

    # District returns C to the commune, which fixes and resubmits.
    services.district_return(registration=c, reason="Thiếu ảnh Bộ phận Một cửa", by=pc["committee"])
    c.refresh_from_db()
    assert c.state == FileState.RETURNED_TO_COMMUNE and c.last_reason == "Thiếu ảnh Bộ phận Một cửa"
    assert OutboxMessage.objects.filter(recipient=pc["officer"].email, body__startswith="Thiếu ảnh Bộ phận Một cửa\n\nhttp").exists()

    district_appraise(a, pa)
    district_appraise(
        b, pb, minus={"I.1": Decimal("4"), "II.1": Decimal("5"), "III.1": Decimal("4"), "V.2": Decimal("6"), "V.3": Decimal("6")}
    )
    # C is back at the commune, not pending at the district: forwarding is allowed; but first resubmit C
    services.submit_self_assessment(registration=c, by=pc["chairman"])
    with pytest.raises(ValidationError, match="chưa thẩm định xong"):
        services.forward_district(campaign=campaign, district=luc_nam, by=pa["committee"])
    services.district_decline(registration=c, reason="Còn phản ánh sách nhiễu chưa xử lý", by=pc["committee"])
    services.forward_district(campaign=campaign, district=luc_nam, by=pa["committee"])
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == b.state == FileState.AT_PROVINCE
    assert OutboxMessage.objects.filter(recipient=pa["province"].email, subject__contains="đề nghị công nhận 2 xã").exists()

    # Both files were drawn for the province's check: no decision on any file of the district before
    # the province re-appraised them.
    with pytest.raises(ValidationError, match="chưa thẩm định lại xong 2 hồ sơ mẫu"):
        services.recognise(registration=a, by=pa["province"], **DECISION)
    province_recheck(a, pa)

    # Province sends A back to the district, the district re-proposes, then the province recognises.
    services.province_send_back(registration=a, reason="Kiểm tra lại tiêu chí II.2", by=pa["province"])
    a.refresh_from_db()
    assert a.state == FileState.RETURNED_TO_DISTRICT
    services.district_propose(registration=a, by=pa["committee"])
    services.forward_district(campaign=campaign, district=luc_nam, by=pa["committee"])
    with pytest.raises(ValidationError, match=r"chưa thẩm định lại xong 1 hồ sơ mẫu .*\(Xã Đông Hưng\)"):
        services.recognise(registration=a, by=pa["province"], **DECISION)

    # B: district total 71 → the province's own appraisal is lower on II.3, total under the pass mark → refuse.
    province_recheck(
        b,
        pb,
        minus={
            "I.1": Decimal("4"),
            "II.1": Decimal("5"),
            "III.1": Decimal("4"),
            "V.2": Decimal("6"),
            "V.3": Decimal("6"),
            "II.3": Decimal("3"),
        },
    )
    recognition = services.recognise(registration=a, by=pa["province"], **DECISION)
    a.refresh_from_db()
    assert a.state == FileState.RECOGNISED and recognition.stars == 4 and recognition.total == Decimal("96.00")
    c_ids = {c.code: c.pk for c in campaign.criteria_set.criteria.all()}
    services.save_appraisal_scores(
        registration=b, level="province", entries=[services.ScoreEntry(c_ids["II.3"], "1", "Tỷ lệ trực tuyến thấp")], by=pb["province"]
    )
    services.agree_team_score(registration=b, level="province", by=pb["province"])
    with pytest.raises(ValidationError, match="thấp hơn điểm đạt chuẩn"):
        services.recognise(registration=b, by=pb["province"], **DECISION)
    services.refuse(registration=b, reason="Không đạt 70 điểm sau khi tỉnh chấm lại", by=pb["province"])
    b.refresh_from_db()
    assert b.state == FileState.REFUSED and b.province_rescored and b.province_total == Decimal("68.00")

    # A decided file is locked: no score changes, no new decision without an explicit reopen.
    with pytest.raises(ValidationError):
        services.save_appraisal_scores(
            registration=b, level="province", entries=[services.ScoreEntry(c_ids["II.3"], "4")], by=pb["province"]
        )
    with pytest.raises(ValidationError):
        services.refuse(registration=b, reason="lại", by=pb["province"])
    services.reopen(registration=b, reason="Đơn vị khiếu nại kết quả, có tài liệu mới", by=pb["province"])
    b.refresh_from_db()
    assert b.state == FileState.AT_PROVINCE
    assert AuditEntry.objects.filter(model_label="certification.Registration", object_pk=str(b.pk), reason__contains="khiếu nại").exists()

    # Revocation of A's recognition.
    services.revoke(registration=a, reason="Vụ việc sách nhiễu đã được kết luận", by=pa["province"])
    a.refresh_from_db()
    recognition = Recognition.objects.get(registration=a)
    assert a.state == FileState.REVOKED and recognition.revoked_reason.startswith("Vụ việc")
    assert OutboxMessage.objects.filter(recipient=pa["chairman"].email, subject__startswith="Thu hồi").exists()


def test_score_changes_are_audited_with_before_and_after(campaign, people, doi_ngo):
    p = people(doi_ngo)
    reg = to_district(campaign, doi_ngo, p)
    district_appraise(reg, p)
    reg.refresh_from_db()
    # reopen scoring: province sends back, district changes one score
    services.forward_district(campaign=campaign, district=doi_ngo.parent, by=p["committee"])
    services.province_send_back(registration=reg, reason="Xem lại I.1", by=p["province"])
    crit = campaign.criteria_set.criteria.get(code="I.1")
    services.save_appraisal_scores(
        registration=reg, level="district", entries=[services.ScoreEntry(crit.pk, "2", "Thiếu biên bản")], by=p["appraiser"]
    )
    entry = AuditEntry.objects.filter(model_label="certification.MemberScore").order_by("-id").first()
    assert entry.before["score"] == "4.00" and entry.after["score"] == "2.00" and entry.actor_id == p["appraiser"].pk
    reg.refresh_from_db()
    assert reg.district_agreed_at is None  # a change cancels the agreed score
    # the members now differ on I.1: the leader must give the agreed score; it is audited too
    with pytest.raises(ValidationError, match="chấm khác nhau"):
        services.agree_team_score(registration=reg, by=p["appraiser"])
    services.agree_team_score(
        registration=reg, by=p["appraiser"], entries=[services.ScoreEntry(crit.pk, "3")], dissent="Thành viên 2 giữ 4 điểm"
    )
    entry = AuditEntry.objects.filter(model_label="certification.AppraisalScore").order_by("-id").first()
    assert entry.before["score"] == "4.00" and entry.after["score"] == "3.00"


def test_only_the_chairman_signs_off(campaign, people, doi_ngo):
    p = people(doi_ngo)
    reg = services.register(campaign=campaign, unit=doi_ngo, by=p["officer"])
    from tests.certification.conftest import fill_dossier

    fill_dossier(reg, p["officer"])
    with pytest.raises(PermissionDenied):
        services.submit_self_assessment(registration=reg, by=p["officer"])
