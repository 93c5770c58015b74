"""The real site plus the benchmark's bare baselines (bench/hot_paths.py):

- `bench/bare-insert/`: a JSON body parsed and the same feedback row inserted with one bare
  INSERT (no validation, routing, deadline, encryption, audit or signal);
- `bench/bare-page/<n>/`: a page that runs `n` simple queries and renders a small template (the
  same number of queries as the page it stands beside)."""

from __future__ import annotations

import json
import secrets

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import Context, Template
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from feedback.models import Case

PAGE = Template("<!doctype html><html lang='vi'><title>bare</title><ul>{% for r in rows %}<li>{{ r }}</li>{% endfor %}</ul></html>")


@csrf_exempt
def bare_insert(request: HttpRequest) -> HttpResponse:
    data = json.loads(request.body)
    unit_id = int(data["unit_id"])
    now = timezone.now()
    case = Case(
        category=data["category"],
        channel="api",
        concerned_unit_id=unit_id,
        handling_unit_id=unit_id,
        register_unit_id=unit_id,
        register_year=2099,
        register_number=secrets.randbelow(2**31),
        description=data["description"],
        received_at=now,
        period_start=now.date(),
        working_days=10,
        code_digest=secrets.token_hex(32),
        code_encrypted="",
    )
    Case.objects.bulk_create([case])  # one INSERT, no signal
    return JsonResponse({"ok": True}, status=201)


def bare_page(request: HttpRequest, n: int) -> HttpResponse:
    rows = []
    with connection.cursor() as cursor:
        for i in range(n):
            cursor.execute("SELECT id, name FROM units_unit WHERE id = %s", [i + 1])
            rows.append(cursor.fetchone())
    return HttpResponse(PAGE.render(Context({"rows": rows})))


urlpatterns = [
    path("bench/bare-insert/", bare_insert),
    path("bench/bare-page/<int:n>/", bare_page),
    path("", include("grassroots.urls")),
]
