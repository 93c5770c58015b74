"""The household's side: vote with the code from its slip (on a cheap phone: plain forms, no
script needed; the code travels only in POST bodies, never in a URL), check the vote, and the
public result of every matter with its arithmetic, minutes, recognition and, for an online vote,
every receipt and its choice after the close."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from core import ratelimit
from participation import queries, services, throttle
from participation.models import Matter, MatterState
from units.models import Unit, UnitKind


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def vote(request: HttpRequest) -> HttpResponse:
    """Step 1: the code (GET shows the form; the slip's QR code fills it from the URL fragment).
    Step 2 (POST with `code`): the matter and its options. Step 3 (POST with `option`): the vote
    and its receipt. "check" shows the household's current vote."""
    context: dict[str, Any] = {"code": ""}
    if request.method != "POST":
        return _no_store(render(request, "participation/public/vote.html", context))
    code = services.normalise_code(request.POST.get("code", ""))
    context["code"] = services.format_code(code) if code else ""
    wait = ratelimit.take(throttle.vote_rate(), throttle.client_key(request))
    if wait:
        context["error"] = throttle.too_many(wait)
        return throttle.with_retry_after(_no_store(render(request, "participation/public/vote.html", context, status=429)), wait)
    try:
        if "option" in request.POST:
            matter_id = int(request.POST.get("matter", "0") or 0) if str(request.POST.get("matter", "")).isdigit() else 0
            option_id = int(request.POST["option"]) if request.POST["option"].isdigit() else 0
            result = services.cast_vote(code=code, matter_id=matter_id, option_id=option_id)
            context.update({"receipt": result, "matter": result.matter})
            return _no_store(render(request, "participation/public/voted.html", context))
        status = services.check_vote(code=code)
    except ValidationError as exc:
        context["error"] = " ".join(exc.messages)
        return _no_store(render(request, "participation/public/vote.html", context, status=422))
    context.update({"status": status, "matter": status.matter, "options": list(status.matter.options.all())})
    context["open"] = status.matter.state == MatterState.VOTING
    return _no_store(render(request, "participation/public/ballot.html", context))


def matter_public(request: HttpRequest, pk: int) -> HttpResponse:
    matter = get_object_or_404(Matter.objects.select_related("village", "village__parent"), pk=pk)
    if not matter.is_public:
        raise Http404
    receipt = services.normalise_code(request.GET.get("bien-nhan", ""))[:8]
    tally = queries.published_tally(matter)
    wanted = f"{receipt[:4]}-{receipt[4:]}" if len(receipt) == 8 else ""
    return render(
        request,
        "participation/public/matter.html",
        {
            "matter": matter,
            "options": list(matter.options.all()),
            "arithmetic": queries.arithmetic(matter),
            "tally": tally,
            "wanted": wanted,
            "found": next((choice for r, choice in tally if r == wanted), None) if wanted else None,
            "turnout": queries.turnout(matter),
        },
    )


def portal_unit_section(*, request: HttpRequest, unit: Unit, **_: Any) -> dict[str, Any] | None:
    """On a commune's (or village's) public page: matters voting now, results, minutes and recognitions."""
    if unit.kind not in (UnitKind.COMMUNE, UnitKind.VILLAGE):
        return None
    matters = list(queries.public_matters(unit)[:20])
    return {"matters": matters, "voting": [m for m in matters if m.state == MatterState.VOTING]}
