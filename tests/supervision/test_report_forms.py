"""The province edits its periodic report form as data: a draft version copied from the one in use,
its settings, sections and indicators edited, published and put in use; reports already begun keep
the version they were filed under; every change is audited; bad input changes nothing; only the
province's standing office edits (a commune officer gets 403, another province's office 404)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import SYSTEM
from core.models import AuditEntry
from supervision import queries, services
from supervision.models import ReportForm, ReportIndicator, ReportSection, UnitReport
from units.models import Unit

pytestmark = pytest.mark.django_db
H1_2026 = dt.date(2026, 1, 1)


@pytest.fixture
def form(bac_ninh: Unit) -> ReportForm:
    return services.seed_default_form(by=SYSTEM, province=bac_ninh)


def test_a_draft_is_edited_published_and_old_reports_keep_their_version(form, commune, other_commune, office) -> None:  # type: ignore[no-untyped-def]
    assert not form.is_draft and form.in_use
    old_report = services.start_report(by=SYSTEM, form=form, unit=commune, period_start=H1_2026)
    draft = services.new_form_version(by=office, form=form)
    assert draft.is_draft and draft.version == 2 and not draft.in_use
    with pytest.raises(ValidationError, match="đang là bản dự thảo"):
        services.new_form_version(by=office, form=form)  # one draft at a time
    services.update_form(
        by=office, form=draft, title="Báo cáo kết quả thực hiện dân chủ (sửa đổi)", period_kind="half_year", due_working_days=12
    )
    section = services.save_section(by=office, form=draft, title="VI. Chuyển đổi số")
    added = services.save_indicator(
        by=office, section=section, code="online_meetings", label="Số cuộc họp trực tuyến", kind="number", aggregation="sum"
    )
    services.save_indicator(
        by=office, section=section, code="online_meetings", label="Số cuộc họp thôn trực tuyến", kind="number", indicator=added
    )
    second = services.save_indicator(by=office, section=section, code="online_share", label="Tỷ lệ hộ dùng ứng dụng (%)", kind="number")
    services.move_indicator(by=office, indicator=second, up=True)
    assert list(section.indicators.values_list("code", flat=True)) == ["online_share", "online_meetings"]
    services.move_section(by=office, section=section, up=True)
    titles = list(draft.sections.values_list("title", flat=True))
    assert titles[-2] == "VI. Chuyển đổi số" and titles[-1].startswith("V. ")
    gone = draft.sections.get(title__startswith="V.").indicators.get(code="complaints")
    services.delete_indicator(by=office, indicator=gone)

    published = services.put_form_in_use(by=office, form=draft)
    form.refresh_from_db()
    assert published.in_use and not published.is_draft and published.published_by == office
    assert not form.in_use and not form.is_draft
    with pytest.raises(ValidationError, match="phiên bản mới"):
        services.save_section(by=office, form=published, title="VII. Thêm sau khi ban hành")

    # The report begun on version 1 keeps it; a report begun now is on version 2.
    old_report.refresh_from_db()
    assert old_report.form == form
    assert set(old_report.values.values_list("indicator__section__form", flat=True)) == {form.pk}
    assert old_report.values.filter(indicator__code="complaints").exists()
    new_report = services.start_report(by=SYSTEM, form=published, unit=other_commune, period_start=H1_2026)
    codes = set(new_report.values.values_list("indicator__code", flat=True))
    assert {"online_meetings", "online_share"} <= codes and "complaints" not in codes
    assert new_report.due_on == dt.date(2026, 7, 16)  # 12 working days after 30/06/2026

    # Who changed what, when, with the before and after images, all in the version's history.
    renamed = AuditEntry.objects.get(
        model_label="supervision.ReportIndicator", object_pk=str(added.pk), before__label="Số cuộc họp trực tuyến"
    )
    assert renamed.actor == office and renamed.before["label"] == "Số cuộc họp trực tuyến"
    assert renamed.after["label"] == "Số cuộc họp thôn trực tuyến"
    history = list(queries.form_history(published))
    assert any(e.action == "delete" and e.before["code"] == "complaints" for e in history)  # removed, still traced
    assert any(e.model_label == "supervision.ReportForm" and e.after["in_use"] and e.before["published_at"] is None for e in history)
    assert not any(e.model_label == "supervision.ReportForm" and e.object_pk == str(form.pk) for e in history)


def test_bad_input_is_refused_in_vietnamese_and_changes_nothing(form, office) -> None:  # type: ignore[no-untyped-def]
    draft = services.new_form_version(by=office, form=form)
    section = draft.sections.get(order=1)
    before = (AuditEntry.objects.count(), ReportIndicator.objects.count(), ReportSection.objects.count())
    refusals = [
        (lambda: services.save_indicator(by=office, section=section, code="Số liệu", label="x", kind="number"), "chữ thường"),
        (lambda: services.save_indicator(by=office, section=section, code="votes", label="Trùng mã", kind="number"), "mỗi mã dùng một lần"),
        (lambda: services.save_indicator(by=office, section=section, code="new", label="", kind="number"), "Nhập tên chỉ tiêu"),
        (
            lambda: services.save_indicator(
                by=office, section=section, code="new", label="Mới", kind="text", metric_key="feedback.on_time_rate"
            ),
            "kiểu số",
        ),
        (
            lambda: services.save_indicator(by=office, section=section, code="new", label="Mới", kind="number", metric_key="khong.co"),
            "không có nguồn số liệu",
        ),
        (lambda: services.update_form(by=office, form=draft, title="Mẫu", period_kind="half_year", due_working_days=0), "Hạn gửi từ 1"),
        (lambda: services.update_form(by=office, form=draft, title="  ", period_kind="half_year", due_working_days=10), "Nhập tên mẫu"),
        (lambda: services.update_form(by=office, form=draft, title="Mẫu", period_kind="year", due_working_days=10), "cùng kỳ báo cáo"),
        (lambda: services.save_section(by=office, form=draft, title=section.title), "đã có phần"),
    ]
    for call, message in refusals:
        with pytest.raises(ValidationError, match=message):
            call()
    assert (AuditEntry.objects.count(), ReportIndicator.objects.count(), ReportSection.objects.count()) == before
    draft.refresh_from_db()
    assert draft.title == form.title and draft.due_working_days == form.due_working_days
    # A section left empty stops publication, naming it.
    services.save_section(by=office, form=draft, title="VI. Để trống")
    with pytest.raises(ValidationError, match=r"“VI\. Để trống” chưa có chỉ tiêu"):
        services.put_form_in_use(by=office, form=draft)
    assert ReportForm.objects.get(pk=form.pk).in_use


def test_a_draft_can_be_thrown_away_and_only_the_province_edits(form, office, officer, leader, foreigner) -> None:  # type: ignore[no-untyped-def]
    for user in (officer, leader, foreigner):
        with pytest.raises(PermissionDenied):
            services.new_form_version(by=user, form=form)
    draft = services.new_form_version(by=office, form=form)
    for user in (officer, leader, foreigner):
        with pytest.raises(PermissionDenied):
            services.save_section(by=user, form=draft, title="Phần mới")
        with pytest.raises(PermissionDenied):
            services.put_form_in_use(by=user, form=draft)
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.discard_draft(by=office, form=form)
    services.discard_draft(by=office, form=draft)
    assert not ReportForm.objects.filter(pk=draft.pk).exists()
    assert AuditEntry.objects.filter(model_label="supervision.ReportForm", object_pk=str(draft.pk), action="delete", actor=office).exists()
    assert services.new_form_version(by=office, form=form).version == 2  # the number is free again


# --- Pages -------------------------------------------------------------------------------------------
def test_form_pages_for_the_province_office(form, commune, office, officer, leader, foreigner, client_for) -> None:  # type: ignore[no-untyped-def]
    services.start_report(by=SYSTEM, form=form, unit=commune, period_start=H1_2026)
    c = client_for(office)
    listing = c.get("/staff/giam-sat/mau-bao-cao/")
    assert listing.status_code == 200 and "Đang áp dụng" in listing.content.decode()
    made = c.post("/staff/giam-sat/mau-bao-cao/", {"action": "new_version", "form": form.pk})
    draft = ReportForm.objects.get(province=form.province, version=2)
    url = f"/staff/giam-sat/mau-bao-cao/{draft.pk}/"
    assert made.status_code == 302 and made["Location"] == url
    page = c.get(url).content.decode()
    assert "Dự thảo" in page and "Ban hành và áp dụng" in page and "Số nội dung đã công khai" in page

    section = draft.sections.get(order=1)
    bad = c.post(
        url,
        {
            "action": "add_indicator",
            "i-section": section.pk,
            "i-code": "votes",
            "i-label": "Trùng",
            "i-kind": "number",
            "i-aggregation": "sum",
        },
    )
    assert bad.status_code == 200 and "mỗi mã dùng một lần" in bad.content.decode() and 'value="Trùng"' in bad.content.decode()
    ok = c.post(
        url,
        {
            "action": "add_indicator",
            "i-section": section.pk,
            "i-code": "notice_boards",
            "i-label": "Số bảng tin công khai tại thôn",
            "i-kind": "number",
            "i-metric_key": "",
            "i-aggregation": "sum",
        },
    )
    assert ok.status_code == 302 and section.indicators.filter(code="notice_boards").exists()
    bad_days = c.post(url, {"action": "settings", "f-title": "Mẫu", "f-period_kind": "half_year", "f-due_working_days": "mười"})
    assert "Nhập số ngày làm việc là một số nguyên." in bad_days.content.decode()
    assert c.post(url, {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.in_use and draft.published_by == office
    after = c.get(url).content.decode()
    assert "Phiên bản đã ban hành không sửa được" in after and "Số bảng tin công khai tại thôn" in after
    refused = c.post(url, {"action": "add_section", "s-title": "Phần muộn"}, follow=True)
    assert "đã ban hành" in refused.content.decode() and not draft.sections.filter(title="Phần muộn").exists()

    # A commune officer and the province's leader are refused (403); another province's office
    # lists nothing of Bắc Ninh and gets 404 on its form.
    for user in (officer, leader):
        other = client_for(user)
        assert other.get("/staff/giam-sat/mau-bao-cao/").status_code == 403
        assert other.get(url).status_code == 403
        assert other.post(url, {"action": "discard"}).status_code == 403
    outsider = client_for(foreigner)
    assert form.province.name not in outsider.get("/staff/giam-sat/mau-bao-cao/").content.decode()
    assert outsider.get(url).status_code == 404
    assert outsider.post("/staff/giam-sat/mau-bao-cao/", {"action": "new_version", "form": form.pk}).status_code == 404
    assert UnitReport.objects.get().form == form
