"""The results page's open answers: only non-blank text answers, newest first, with commune and
question, within the reader’s units, capped at the limit, in two queries."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from surveys import queries, services
from surveys.models import Mode, Response
from tests.surveys.conftest import pks07_answers

pytestmark = pytest.mark.django_db


def _submit(stratum, **answers):  # type: ignore[no-untyped-def]
    return services.submit_response(stratum=stratum, raw=pks07_answers(4, **answers), mode=Mode.OPEN, device_id=str(uuid.uuid4()))


def test_text_answers_newest_first_within_roots(campaign, stratum, luc_nam, doi_ngo, cam_son, django_assert_max_num_queries):
    older = _submit(stratum, q9="Cần thêm ghế chờ.")
    Response.objects.filter(pk=older.pk).update(submitted_on=dt.date(2024, 9, 2))
    _submit(stratum)  # no text answer
    _submit(stratum, q9="   ")  # blank: not shown
    _submit(stratum, q9="Cán bộ nhiệt tình.")
    with django_assert_max_num_queries(2):
        out = queries.open_answers(campaign=campaign, roots=[luc_nam])
    assert [a["answer"] for a in out] == ["Cán bộ nhiệt tình.", "Cần thêm ghế chờ."]
    assert {a["unit"] for a in out} == {doi_ngo.name}
    assert all("thân thiện" in a["question"] for a in out)
    assert len(queries.open_answers(campaign=campaign, roots=[luc_nam], limit=1)) == 1
    assert queries.open_answers(campaign=campaign, roots=[cam_son]) == []
