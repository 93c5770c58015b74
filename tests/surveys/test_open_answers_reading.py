"""The results page's open answers: only non-blank text answers, in content order (no response
keeps when it came), with commune and question, within the reader’s units, capped at the limit, in
two queries."""

from __future__ import annotations

import uuid

import pytest

from surveys import queries, services
from surveys.models import Mode, Response
from tests.surveys.conftest import pks07_answers

pytestmark = pytest.mark.django_db


def _submit(stratum, **answers):  # type: ignore[no-untyped-def]
    return services.submit_response(stratum=stratum, raw=pks07_answers(4, **answers), mode=Mode.OPEN, device_id=str(uuid.uuid4()))


def test_text_answers_within_roots_in_content_order(campaign, stratum, luc_nam, doi_ngo, cam_son, django_assert_max_num_queries):
    _submit(stratum, q9="Cần thêm ghế chờ.")
    _submit(stratum)  # no text answer
    _submit(stratum, q9="   ")  # blank: not shown
    _submit(stratum, q9="Cán bộ nhiệt tình.")
    with django_assert_max_num_queries(2):
        out = queries.open_answers(campaign=campaign, roots=[luc_nam])
    by_content = sorted(Response.objects.exclude(answers__q9__in=["", "   "]).filter(answers__has_key="q9"), key=lambda r: r.fingerprint)
    assert [a["answer"] for a in out] == [r.answers["q9"] for r in by_content]
    assert sorted(a["answer"] for a in out) == ["Cán bộ nhiệt tình.", "Cần thêm ghế chờ."]
    assert {a["unit"] for a in out} == {doi_ngo.name}
    assert all("thân thiện" in a["question"] for a in out)
    assert len(queries.open_answers(campaign=campaign, roots=[luc_nam], limit=1)) == 1
    assert queries.open_answers(campaign=campaign, roots=[cam_son]) == []
