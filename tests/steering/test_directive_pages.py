"""The issuers' pages: record a directive, add its tasks; bad input shows a Vietnamese error and
saves nothing; a commune officer is refused."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from core.models import AuditEntry
from steering.models import Directive, DirectiveTask
from units.models import Unit

CREATE = reverse("steering:directive_create")


def _directive_data(unit: Unit, **changes: str) -> dict[str, object]:
    return {
        "kind": Directive.Kind.PLAN,
        "number": "35-KH/BCĐ",
        "issued_on": "15/02/2024",
        "unit": str(unit.pk),
        "issuer": "Phó Trưởng ban Thường trực",
        "title": "Kế hoạch thực hiện QCDC năm 2024",
        **changes,
    }


def test_province_records_a_directive_with_its_file(province_officer: User, bac_giang: Unit, client_for: Callable[[User], Client]) -> None:
    client = client_for(province_officer)
    index = client.get(reverse("steering:index"))
    assert CREATE in index.content.decode()
    page = client.get(CREATE)
    assert page.status_code == 200 and "Ghi nhận văn bản chỉ đạo" in page.content.decode()
    upload = SimpleUploadedFile("kh35.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(CREATE, {**_directive_data(bac_giang), "file": upload})
    directive = Directive.objects.get(number="35-KH/BCĐ")
    assert response.status_code == 302 and response["Location"] == reverse("steering:directive", args=[directive.pk])
    assert (directive.unit, directive.kind, directive.issued_on.isoformat()) == (bac_giang, "plan", "2024-02-15")
    assert directive.file is not None and directive.file.original_name == "kh35.pdf"
    assert directive.created_by == province_officer
    assert AuditEntry.objects.filter(model_label="steering.Directive", object_pk=str(directive.pk), actor=province_officer).exists()
    assert "Kế hoạch thực hiện QCDC năm 2024" in client.get(response["Location"]).content.decode()


def test_empty_number_shows_the_error_and_saves_nothing(
    province_officer: User, bac_giang: Unit, client_for: Callable[[User], Client]
) -> None:
    response = client_for(province_officer).post(CREATE, _directive_data(bac_giang, number="  "))
    assert response.status_code == 200
    assert "Hãy ghi số, ký hiệu văn bản." in response.content.decode()
    assert not Directive.objects.exists()


def test_province_adds_a_task_via_the_page(
    notice: Directive, province_officer: User, luc_nam: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(province_officer)
    url = reverse("steering:directive", args=[notice.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Thêm nhiệm vụ" in page.content.decode()
    data = {"number": "1", "title": "Tổ chức hội nghị quán triệt", "owners": [str(luc_nam.pk)], "deadline_text": "quý I/2024"}
    response = client.post(url, {**data, "expected_output": "Báo cáo kết quả"})
    assert response.status_code == 302 and response["Location"] == url
    task = DirectiveTask.objects.get(directive=notice, number=1)
    assert list(task.owners.all()) == [luc_nam]
    assert (task.deadline_text, task.due_on.isoformat(), task.expected_output) == ("quý I/2024", "2024-03-31", "Báo cáo kết quả")
    assert "Tổ chức hội nghị quán triệt" in client.get(url).content.decode()


def test_unparseable_deadline_shows_the_error_and_saves_nothing(
    notice: Directive, province_officer: User, luc_nam: Unit, client_for: Callable[[User], Client]
) -> None:
    url = reverse("steering:directive", args=[notice.pk])
    data = {"number": "1", "title": "Tổ chức hội nghị", "owners": [str(luc_nam.pk)], "deadline_text": "sớm nhất có thể"}
    response = client_for(province_officer).post(url, data)
    assert response.status_code == 200
    assert "Không hiểu thời hạn" in response.content.decode()
    assert not DirectiveTask.objects.filter(directive=notice).exists()


def test_commune_officer_is_refused(
    notice: Directive, commune_officer: User, doi_ngo: Unit, luc_nam: Unit, client_for: Callable[[User], Client]
) -> None:
    client = client_for(commune_officer)
    assert CREATE not in client.get(reverse("steering:index")).content.decode()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _directive_data(doi_ngo)).status_code == 403
    url = reverse("steering:directive", args=[notice.pk])
    assert "Thêm nhiệm vụ" not in client.get(url).content.decode()
    data = {"number": "1", "title": "Việc", "owners": [str(luc_nam.pk)], "deadline_text": "năm 2024"}
    assert client.post(url, data).status_code == 404
    assert Directive.objects.count() == 1 and not DirectiveTask.objects.exists()


def test_district_cannot_record_for_the_province(district_officer: User, bac_giang: Unit, client_for: Callable[[User], Client]) -> None:
    response = client_for(district_officer).post(CREATE, _directive_data(bac_giang))
    assert response.status_code == 200 and not Directive.objects.exists()
