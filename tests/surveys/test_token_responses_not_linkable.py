"""Two token responses sent in a known order cannot be told apart by anything stored or logged:
responses carry a random id and no date or time, tokens keep no day of use, the token travels only in
POST bodies (never in a request line, so never in a log), and slips print in random order."""

from __future__ import annotations

import logging
import uuid

from django.db import models

from surveys import services
from surveys.models import Response, Token, hash_token
from tests.surveys.conftest import pks07_answers

ENTRY = "/khao-sat/t/"


def _json_formatter() -> logging.Formatter:
    """The formatter of the project's JSON log handler (settings.LOGGING)."""
    from pythonjsonlogger.json import JsonFormatter

    for handler in logging.getLogger().handlers:
        if isinstance(handler.formatter, JsonFormatter):
            return handler.formatter
    return JsonFormatter("%(levelname)s %(name)s %(message)s", timestamp="time")


def _submit_by_token(client, raw: str, caplog) -> tuple[int, list[logging.LogRecord]]:  # type: ignore[no-untyped-def]
    caplog.clear()
    client.post(ENTRY, {"token": raw})
    answered = client.post(ENTRY, {"token": raw, "action": "answer", **pks07_answers(4)})
    return answered.status_code, list(caplog.records)


def _what_a_log_line_says(record: logging.LogRecord) -> str:
    return _json_formatter().format(record)


def test_two_token_responses_in_known_order_cannot_be_told_apart(client, stratum, district_officer, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    first, second = services.issue_tokens(by=district_officer, stratum=stratum, count=2)
    status_1, logs_1 = _submit_by_token(client, first, caplog)
    status_2, logs_2 = _submit_by_token(client, second, caplog)
    assert status_1 == status_2 == 302

    a, b = Response.objects.all()
    # Every stored column but the id is the same; the ids are random (version 4 UUIDs), not a sequence.
    columns = [f.attname for f in Response._meta.concrete_fields if f.attname != "id"]
    assert {c: getattr(a, c) for c in columns} == {c: getattr(b, c) for c in columns}
    assert isinstance(a.pk, uuid.UUID) and a.pk.version == 4 and b.pk.version == 4
    assert not any(isinstance(f, models.AutoField | models.DateField) for f in Response._meta.concrete_fields)
    assert Response._meta.ordering == ["id"]  # the default listing follows the random id
    # Tokens keep whether they were used, and no day.
    assert not any(isinstance(f, models.DateField) for f in Token._meta.concrete_fields)
    assert list(Token.objects.values_list("used", flat=True)) == [True, True]

    # The logs of the two submissions read the same and hold neither token nor digest.
    lines_1 = [_what_a_log_line_says(r) for r in logs_1]
    lines_2 = [_what_a_log_line_says(r) for r in logs_2]
    assert [(r.name, r.levelname, r.getMessage()) for r in logs_1] == [(r.name, r.levelname, r.getMessage()) for r in logs_2]
    for raw, lines in ((first, lines_1), (second, lines_2)):
        assert not any(raw in line or hash_token(raw) in line or hash_token(raw)[:16] in line for line in lines)


def test_refused_and_wrong_tokens_are_logged_without_the_token(client, stratum, district_officer, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    [raw] = services.issue_tokens(by=district_officer, stratum=stratum, count=1)
    client.post(ENTRY, {"token": raw, "action": "answer", **pks07_answers(4)})
    caplog.clear()
    assert client.post(ENTRY, {"token": raw}).status_code == 409  # used
    assert client.post(ENTRY, {"token": raw, "action": "answer", **pks07_answers(4)}).status_code == 409
    assert client.post(ENTRY, {"token": raw + "x"}).status_code == 400  # mistyped
    lines = [_what_a_log_line_says(r) for r in caplog.records]
    assert lines, "4xx responses are logged by django.request"
    assert all(raw not in line and hash_token(raw) not in line for line in lines)
    assert {r.getMessage() for r in caplog.records if r.name == "django.request"} <= {"Conflict: /khao-sat/t/", "Bad Request: /khao-sat/t/"}


def test_slips_come_in_random_order_not_token_order(stratum, district_officer) -> None:  # type: ignore[no-untyped-def]
    raws = services.issue_tokens(by=district_officer, stratum=stratum, count=40)
    ids = dict(Token.objects.values_list("digest", "id"))
    printed_order = [ids[hash_token(r)] for r in raws]
    assert printed_order != sorted(printed_order)  # 1 chance in 40! of failing by luck
