"""Every staff URL: anonymous → login, outsiders → 404 on objects (and empty lists), viewers
without a handler or province role → 403 on what they may not do; insiders get the page."""

import pytest
from django.test import Client

from feedback import services
from feedback.models import Category, RoutingRule

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(make_case, doi_ngo, province_officer, png):
    case = make_case(doi_ngo, uploads=[services.Upload(png(), "anh.png")])
    counter = services.save_counter(by=province_officer, unit=doi_ngo, name="Quầy 1")
    rule = services.save_routing_rule(by=province_officer, category=Category.OTHER, unit=doi_ngo, responsible_unit=doi_ngo)
    return {"case": case, "counter": counter, "rule": rule, "attachment": case.attachments.get()}


def urls(w):
    return {
        "list": ("get", "/staff/phan-anh/"),
        "enter": ("get", "/staff/phan-anh/vao-so/"),
        "case": ("get", f"/staff/phan-anh/{w['case'].pk}/"),
        "act": ("post", f"/staff/phan-anh/{w['case'].pk}/xu-ly/"),
        "attachment": ("get", f"/staff/phan-anh/tep/{w['attachment'].pk}/"),
        "dashboard": ("get", "/staff/phan-anh/thong-ke/"),
        "export": ("get", "/staff/phan-anh/thong-ke/excel/"),
        "rules": ("get", "/staff/phan-anh/quy-tac/"),
        "rule_delete": ("post", f"/staff/phan-anh/quy-tac/{w['rule'].pk}/xoa/"),
        "deadline": ("post", "/staff/phan-anh/thoi-han/facilities/"),
        "counters": ("get", "/staff/phan-anh/quay/"),
        "counter_create": ("get", "/staff/phan-anh/quay/them/"),
        "counter_edit": ("get", f"/staff/phan-anh/quay/{w['counter'].pk}/sua/"),
        "counter_qr": ("get", f"/staff/phan-anh/quay/{w['counter'].pk}/ma-qr.pdf"),
    }


def test_anonymous_is_sent_to_login(world):
    for name, (method, url) in urls(world).items():
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], name


def test_outsider_gets_404_on_objects_and_nothing_in_lists(world, outsider, client_for):
    c = client_for(outsider)
    for name in ("case", "act", "attachment", "counter_qr"):
        method, url = urls(world)[name]
        assert getattr(c, method)(url).status_code == 404, name
    assert world["case"].register_label not in c.get("/staff/phan-anh/").content.decode()
    assert "Quầy 1" not in c.get("/staff/phan-anh/quay/").content.decode()
    for name in ("rules", "rule_delete", "deadline", "counter_create", "counter_edit"):
        method, url = urls(world)[name]
        assert getattr(c, method)(url).status_code in (403, 404), name
    assert RoutingRule.objects.filter(pk=world["rule"].pk).exists()


def test_viewer_roles_are_refused_actions(world, province_leader, district_appraiser, client_for):
    for user in (province_leader, district_appraiser):
        c = client_for(user)
        assert c.get(urls(world)["case"][1]).status_code == 200
        assert c.post(urls(world)["act"][1], {"action": "accept", "register_class": "rules_in"}).status_code == 403
        assert c.get(urls(world)["rules"][1]).status_code == 403
        assert c.get(urls(world)["counter_create"][1]).status_code == 403


def test_insiders_get_every_page(world, province_officer, commune_officer, client_for):
    c = client_for(province_officer)
    for name, (method, url) in urls(world).items():
        if method == "get":
            assert c.get(url).status_code == 200, name
    officer = client_for(commune_officer)
    for name in ("list", "enter", "case", "attachment", "dashboard", "counters", "counter_qr"):
        assert officer.get(urls(world)[name][1]).status_code == 200, name
    response = officer.post(urls(world)["act"][1], {"action": "accept", "register_class": "rules_in"})
    assert response.status_code == 302
    world["case"].refresh_from_db()
    assert world["case"].status == "accepted"


def test_paper_case_entered_with_its_channel(district_officer, doi_ngo, luc_nam, client_for):
    c = client_for(district_officer)
    data = {
        "channel": "paper",
        "kind": "feedback",
        "category": "conduct_delay",
        "unit": doi_ngo.pk,
        "description": "Đơn giấy: hồ sơ đất đai bị hẹn lại nhiều lần.",
        "allow_publication": "on",
    }
    response = c.post("/staff/phan-anh/vao-so/", data)
    body = response.content.decode()
    assert response.status_code == 200 and "Phiếu tiếp nhận phản ánh" in body and "Mở phản ánh" in body
    from feedback.models import Case

    case = Case.objects.get()
    assert case.channel == "paper" and case.handling_unit == luc_nam and case.entered_by == district_officer
    bad = c.post("/staff/phan-anh/vao-so/", {**data, "unit": luc_nam.pk})
    assert bad.status_code == 200 and Case.objects.count() == 1


def test_register_filters_by_text_without_diacritics(make_case, doi_ngo, dong_hung, district_officer, client_for):
    make_case(doi_ngo)
    other = make_case(dong_hung)
    body = client_for(district_officer).get("/staff/phan-anh/", {"q": "dong hung"}).content.decode()
    assert other.register_label in body and "Thị trấn Đồi Ngô" not in body.split("<tbody>")[1]
