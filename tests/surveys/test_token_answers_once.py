"""A one-time token answers exactly once, also when two submissions race."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection

from surveys import services
from surveys.models import Mode, Response, Token
from tests.surveys.conftest import pks07_answers


def test_token_is_used_once(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=raw)
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=raw)
    assert Response.objects.filter(stratum=stratum).count() == 1
    assert Token.objects.get(stratum=stratum).used


def test_unknown_token_is_refused(stratum) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token="khong-co")
    assert not Response.objects.exists()


def test_token_of_another_stratum_is_refused(stratum, campaign, dong_hung, district_officer) -> None:  # type: ignore[no-untyped-def]
    other = stratum.form.strata.get(unit=dong_hung)
    [raw] = services.issue_tokens(by=district_officer, stratum=other, count=1)
    with pytest.raises(services.SubmissionRefused):
        services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=raw)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_token_store_one_response(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        barrier.wait()
        try:
            services.submit_response(stratum=stratum, raw=pks07_answers(), mode=Mode.TOKEN, token=raw)
            outcomes.append("stored")
        except services.SubmissionRefused:
            outcomes.append("refused")
        except DatabaseError as exc:  # a locked database counts as refused too, but never as a second row
            outcomes.append(f"error:{type(exc).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == 1, outcomes
    assert Response.objects.filter(stratum=stratum).count() == 1
