"""An anonymous response cannot be traced back to its token, device or exact time."""

from __future__ import annotations

from django.db import models

from surveys import services
from surveys.models import Mode, Response, Stratum, Token
from tests.surveys.conftest import pks07_answers


def test_response_has_no_relation_to_token_or_device() -> None:
    related = {f.related_model for f in Response._meta.get_fields() if f.is_relation}
    assert Token not in related
    assert not any(isinstance(f, models.DateTimeField) for f in Response._meta.concrete_fields)
    assert Response not in {f.related_model for f in Token._meta.get_fields() if f.is_relation}


def test_stored_values_carry_nothing_of_the_token(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    response = services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=raw)
    token = Token.objects.get(stratum=stratum)
    stored = " ".join(str(v) for v in Response.objects.filter(pk=response.pk).values().first().values())
    assert raw not in stored and token.digest not in stored
    assert token.used
    assert response.entered_by is None


def test_open_link_device_answers_once_and_is_not_stored_on_the_response(stratum) -> None:  # type: ignore[no-untyped-def]
    services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id="phone-1")
    try:
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id="phone-1")
    except services.SubmissionRefused:
        pass
    else:
        raise AssertionError("a device answered twice")
    assert Response.objects.count() == 1
    assert "phone-1" not in str(Response.objects.values().first())


def test_device_marks_keep_no_order_of_arrival(stratum) -> None:  # type: ignore[no-untyped-def]
    for device in ("z-last", "a-first", "m-middle"):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.OPEN, device_id=device)
    marks = Stratum.objects.get(pk=stratum.pk).answered_devices
    assert marks == sorted(marks) and len(marks) == 3
