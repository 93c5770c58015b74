"""Publishing is an explicit moderation of both the summary and the answer, starting empty; personal
data (phone, e-mail, CCCD/CMND numbers, the reporter's name) blocks it with a Vietnamese message
naming what was found, in the form and the API; complaints and denunciations are never published;
cases about officials only when the moderator confirms; every publication is audited."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.models import ApiToken
from core.models import AuditEntry
from feedback import services
from feedback.models import Action, Case, Category, Kind, RegisterClass
from feedback.moderation import personal_data_found

pytestmark = pytest.mark.django_db
REPORTER = {"name": "Phạm Thị Dung", "phone": "0987654321"}
RAW_ANSWER = "Đã làm việc với bà Phạm Thị Dung (0987 654 321), xã đã lợp lại mái nhà văn hoá."
SUMMARY = "Kiến nghị sửa mái nhà văn hoá thôn bị dột."
ANSWER = "Xã đã lợp lại mái nhà văn hoá thôn."


def answered(make_case, unit, by, **kw):  # type: ignore[no-untyped-def]
    case = make_case(unit, contact=REPORTER, **kw)
    case = services.accept_case(case=case, by=by, register_class=RegisterClass.RULES_IN_COMPETENCE)
    return services.answer_case(case=case, by=by, answer=RAW_ANSWER, finding="unfounded")


def publish(case, by, **kw):  # type: ignore[no-untyped-def]
    return services.publish_case(case=case, by=by, **{"public_summary": SUMMARY, "public_answer": ANSWER, **kw})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Gọi 0987 654 321 để biết thêm", "số điện thoại"),
        ("Liên hệ +84 987.654.321", "số điện thoại"),
        ("Máy bàn 0204 3855 123", "số điện thoại"),
        ("Thư gửi dung.pham@example.vn nhé", "địa chỉ thư điện tử"),
        ("CCCD 024190001234 của người dân", "số căn cước công dân"),
        ("CMND số 121234567", "số chứng minh nhân dân"),
        ("bà pham thi dung phản ánh", "họ tên người phản ánh"),
    ],
)
def test_personal_data_is_found(text, found):
    assert any(found in item for item in personal_data_found(text, reporter_name="Phạm Thị Dung"))


def test_ordinary_numbers_and_other_names_are_not_personal_data():
    text = "Ngày 05/03/2026 xã chi 1.500.000 đồng sửa 2 bóng đèn; ông Dũng trưởng thôn đã kiểm tra."
    assert personal_data_found(text, reporter_name="Phạm Thị Dung") == []


def test_answer_is_never_published_verbatim(make_case, doi_ngo, commune_officer):
    case = answered(make_case, doi_ngo, commune_officer)
    with pytest.raises(ValidationError) as refused:
        publish(case, commune_officer, public_answer="")
    assert "public_answer" in refused.value.message_dict
    publish(case, commune_officer)
    page = Client().get(f"/don-vi/{doi_ngo.edition}/{doi_ngo.code}/").content.decode()
    listing = str(Client().get("/phan-anh/open311/v2/requests.json").json())
    for public in (page, listing):
        assert ANSWER in public and "0987 654 321" not in public and "Phạm Thị Dung" not in public


def test_personal_data_blocks_publication_naming_what_was_found(make_case, doi_ngo, commune_officer):
    case = answered(make_case, doi_ngo, commune_officer)
    with pytest.raises(ValidationError) as refused:
        publish(case, commune_officer, public_summary="Bà Phạm Thị Dung kiến nghị sửa mái nhà.", public_answer=RAW_ANSWER)
    errors = refused.value.message_dict
    assert "họ tên người phản ánh" in errors["public_summary"][0]
    assert "số điện thoại “0987 654 321”" in errors["public_answer"][0] and "họ tên người phản ánh" in errors["public_answer"][0]
    case.refresh_from_db()
    assert case.published_at is None and case.public_summary == "" and case.public_answer == ""


def test_api_refuses_personal_data_in_vietnamese(make_case, doi_ngo, commune_officer):
    case = answered(make_case, doi_ngo, commune_officer)
    _token, raw = ApiToken.issue(user=commune_officer, name="app")
    response = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").post(
        f"/api/v1/feedback/staff/cases/{case.pk}/actions",
        {"action": "publish", "public_summary": SUMMARY, "public_answer": "Liên hệ cán bộ qua can.bo@example.vn"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "địa chỉ thư điện tử “can.bo@example.vn”" in response.json()["detail"]["public_answer"][0]
    assert Case.objects.get(pk=case.pk).published_at is None


def test_publish_form_starts_empty_and_shows_the_error_on_the_page(make_case, doi_ngo, commune_officer, client_for):
    case = answered(make_case, doi_ngo, commune_officer)
    c = client_for(commune_officer)
    page = c.get(f"/staff/phan-anh/{case.pk}/").content.decode()
    publish_form = page.split('id="ps-publish"')[1].split("</form>")[0]
    assert case.description not in publish_form and "0987 654 321" not in publish_form
    response = c.post(f"/staff/phan-anh/{case.pk}/xu-ly/", {"action": "publish", "public_summary": SUMMARY, "public_answer": RAW_ANSWER})
    body = response.content.decode()
    assert response.status_code == 400 and "Còn thông tin cá nhân: số điện thoại" in body
    # What the moderator typed is shown again, to be corrected rather than retyped.
    assert f">{SUMMARY}</textarea>" in body


@pytest.mark.parametrize("kind", [Kind.COMPLAINT, Kind.DENUNCIATION])
def test_complaints_and_denunciations_are_not_publishable(make_case, doi_ngo, district_officer, client_for, kind):
    case = answered(make_case, doi_ngo, district_officer, kind=kind, category=Category.OTHER)
    with pytest.raises(ValidationError):
        publish(case, district_officer)
    actions = [a for a, _l, _f in client_for(district_officer).get(f"/staff/phan-anh/{case.pk}/").context["action_forms"]]
    assert Action.PUBLISH not in actions


def test_case_about_officials_is_published_only_when_the_moderator_confirms(make_case, doi_ngo, district_officer):
    case = answered(make_case, doi_ngo, district_officer, category=Category.CONDUCT_DELAY)
    with pytest.raises(ValidationError) as refused:
        publish(case, district_officer)
    assert "confirm_about_officials" in refused.value.message_dict
    assert publish(case, district_officer, confirm_about_officials=True).published_at is not None


def test_publication_is_audited_with_before_and_after(make_case, doi_ngo, commune_officer):
    case = publish(answered(make_case, doi_ngo, commune_officer), commune_officer)
    entry = (
        AuditEntry.objects.filter(model_label="feedback.Case", object_pk=str(case.pk), action=AuditEntry.Action.UPDATE)
        .order_by("-id")
        .first()
    )
    assert entry is not None and entry.actor == commune_officer
    assert entry.before["public_answer"] == "" and entry.after["public_answer"] == ANSWER
