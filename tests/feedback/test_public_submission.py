"""The public form: anonymous by default, committed before the answer, idempotent on retry,
abuse-resistant (honeypot, fill time, rate limit), and bad input gives a Vietnamese error with
nothing half-saved and what was typed kept."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import StoredFile
from feedback import conf, throttle
from feedback.models import Case, CaseAttachment, Category

from .conftest import PNG

pytestmark = pytest.mark.django_db
URL = "/phan-anh/"


def form_data(unit, **extra):
    started = throttle.form_started_token()
    data = {
        "kind": "feedback",
        "category": Category.FACILITIES,
        "unit": unit.pk,
        "description": "Đường vào nhà văn hoá thôn ngập nước mỗi khi mưa.",
        "allow_publication": "on",
        "website": "",
        "started": started,
        "idempotency_key": "k-" + str(unit.pk) + str(len(extra)) + extra.pop("key", ""),
    }
    data.update(extra)
    return data


@pytest.fixture
def post(settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0

    def do(data, client=None, **headers):
        return (client or Client()).post(URL, data, **headers)

    return do


def test_form_renders_with_hidden_keys(client):
    body = client.get(URL).content.decode()
    assert 'name="idempotency_key"' in body and 'name="started"' in body and 'name="website"' in body
    assert "xã bị phản ánh không bao giờ thấy" in body


def test_submit_with_photo_shows_the_tracking_code_once(post, dong_hung):
    photo = SimpleUploadedFile("anh.jpg", PNG, content_type="image/jpeg")
    response = post(form_data(dong_hung, files=photo, give_contact="", key="a"))
    assert response.status_code == 200
    case = Case.objects.get()
    body = response.content.decode()
    code = body.split('id="tracking-code">')[1].split("<")[0]
    assert len(code.replace("-", "")) == 16 and "Hãy ghi lại mã tra cứu" in body
    assert case.attachments.get().file.content_type == "image/png"
    assert case.contact_encrypted == "" and code not in str(Case.objects.values().get())


def test_retry_with_same_idempotency_key_returns_same_code_and_creates_nothing(post, dong_hung):
    data = form_data(dong_hung, key="retry")
    first = post(data).content.decode().split('id="tracking-code">')[1].split("<")[0]
    second = post(data).content.decode()
    assert first in second and "đã được gửi trước đó" in second
    assert Case.objects.count() == 1


def test_anonymous_rows_store_no_ip_or_user_agent(post, dong_hung):
    post(form_data(dong_hung, key="ip"), REMOTE_ADDR="203.0.113.77", HTTP_USER_AGENT="SpecialBrowser/9.9")
    case = Case.objects.get()
    stored = " ".join(str(v) for v in Case.objects.values().get().values())
    stored += " ".join(str(v) for e in case.events.values() for v in e.values())
    assert "203.0.113.77" not in stored and "SpecialBrowser" not in stored
    assert not any(f.name in ("ip", "ip_address", "user_agent") for f in Case._meta.fields)


def test_contact_is_an_explicit_choice_and_encrypted(post, dong_hung):
    post(form_data(dong_hung, key="c", name="Trần Thị Bình", phone="0912345678", give_contact=""))
    assert Case.objects.get().contact_encrypted == ""
    post(form_data(dong_hung, key="d", name="Trần Thị Bình", phone="0912345678", give_contact="on"))
    case = Case.objects.exclude(contact_encrypted="").get()
    assert "0912345678" not in case.contact_encrypted
    from feedback import crypto

    assert crypto.decrypt(case.contact_encrypted)["phone"] == "0912345678"


def test_honeypot_and_too_fast_are_refused_keeping_the_text(dong_hung, settings):
    settings.FEEDBACK_MIN_FILL_SECONDS = 0
    response = Client().post(URL, form_data(dong_hung, website="http://spam", key="h"))
    assert response.status_code == 400 and Case.objects.count() == 0
    settings.FEEDBACK_MIN_FILL_SECONDS = 3
    response = Client().post(URL, form_data(dong_hung, key="f"))
    body = response.content.decode()
    assert response.status_code == 400 and "quá nhanh" in body and "ngập nước mỗi khi mưa" in body
    assert Case.objects.count() == 0


def test_form_filled_at_human_speed_is_accepted(dong_hung):
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        data = form_data(dong_hung, key="slow")
        t.shift(dt.timedelta(seconds=conf.MIN_FILL_SECONDS + 1))
        assert Client().post(URL, data).status_code == 200
    assert Case.objects.count() == 1


def test_rate_limit_per_client(post, dong_hung, settings):
    settings.FEEDBACK_SUBMIT_BURST = 2
    settings.FEEDBACK_SUBMIT_PER_HOUR = 1
    codes = [post(form_data(dong_hung, key=f"r{i}"), REMOTE_ADDR="198.51.100.1").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    assert Case.objects.count() == 2
    assert post(form_data(dong_hung, key="other"), REMOTE_ADDR="198.51.100.2").status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("to.png", PNG + b"0" * (conf.MAX_ATTACHMENT_BYTES + 10), content_type="image/png"), "quá lớn"),
        (SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 this is really an exe" * 20, content_type="image/jpeg"), "không đúng định dạng"),
        (SimpleUploadedFile("rong.pdf", b"", content_type="application/pdf"), "rỗng"),
    ],
    ids=["oversized", "disguised", "empty"],
)
def test_bad_files_give_vietnamese_error_and_nothing_saved(post, dong_hung, upload, message):
    response = post(form_data(dong_hung, files=upload, key=message))
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body or "rỗng" in body  # Django itself calls an empty upload empty
    assert "chọn lại ảnh" in body and "ngập nước mỗi khi mưa" in body
    assert Case.objects.count() == 0 and StoredFile.objects.count() == 0 and CaseAttachment.objects.count() == 0


def test_more_than_three_files_refused(post, dong_hung):
    files = [SimpleUploadedFile(f"a{i}.png", PNG, content_type="image/png") for i in range(4)]
    response = post(form_data(dong_hung, files=files, key="many"))
    assert response.status_code == 400 and "tối đa 3 tệp" in response.content.decode()
    assert Case.objects.count() == 0


def test_unknown_or_missing_unit_and_empty_text(post, dong_hung, luc_nam):
    for unit_value in ("999999", "", str(luc_nam.pk)):
        data = form_data(dong_hung, key="u" + unit_value)
        data["unit"] = unit_value
        response = post(data)
        assert response.status_code == 400
        assert "Chọn xã" in response.content.decode() or "Không tìm thấy đơn vị" in response.content.decode()
    data = form_data(dong_hung, key="empty")
    data["description"] = ""
    assert "Nhập nội dung phản ánh" in post(data).content.decode()
    assert Case.objects.count() == 0


def test_commune_search_ignores_diacritics(client, dong_hung):
    body = client.get(reverse("feedback_public:unit_search"), {"q": "dong hung"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Đông Hưng" in body and "data-unit-radio" in body
