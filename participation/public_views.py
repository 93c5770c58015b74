"""The household's side: vote with the code from its slip (on a cheap phone: plain forms, no
script needed; the code travels only in POST bodies, never in a URL), check the vote, and the
public result of every matter with its arithmetic, minutes, recognition and, for an online vote,
every receipt and its choice after the close."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core import ratelimit
from core.forms import apply_validation_error
from participation import queries, rules, services, throttle
from participation.forms import OpinionForm
from participation.models import CommuneMatter, CommuneMatterState, Consultation, ConsultationState, Matter, MatterState
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


def commune_matter_public(request: HttpRequest, pk: int) -> HttpResponse:
    """A commune-wide matter: each village's result over all its households and the count of villages."""
    item = get_object_or_404(CommuneMatter.objects.select_related("commune"), pk=pk)
    if item.state == CommuneMatterState.CANCELLED:
        raise Http404
    matters, counts = queries.commune_tally(item)
    return render(
        request,
        "participation/public/commune_matter.html",
        {
            "item": item,
            "rows": [(m, queries.arithmetic(m)) for m in matters],
            "counts": counts,
            "rule": rules.commune_rule_text(item.subject),
        },
    )


def portal_unit_section(*, request: HttpRequest, unit: Unit, **_: Any) -> dict[str, Any] | None:
    """On a commune's (or village's) public page: matters voting now, results, minutes and recognitions."""
    if unit.kind not in (UnitKind.COMMUNE, UnitKind.VILLAGE):
        return None
    matters = list(queries.public_matters(unit)[:20])
    return {
        "matters": matters,
        "voting": [m for m in matters if m.state == MatterState.VOTING],
        "commune_matters": list(queries.public_commune_matters(unit)[:10]),
        "consultations": list(queries.public_consultations(unit)[:20]),
        "today": timezone.localdate(),
    }


def consultation_public(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft, its clauses and the opinion form while open; after the close the commune's summary
    (each group: taken up or not, and why)."""
    item = get_object_or_404(Consultation.objects.select_related("unit"), pk=pk, published_on__lte=timezone.localdate())
    is_open = item.state == ConsultationState.OPEN and timezone.localdate() <= item.closes_on
    form = OpinionForm(request.POST or None, consultation=item)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = ratelimit.take(throttle.opinion_rate(), throttle.client_key(request))
        if wait:
            form.add_error(None, throttle.too_many(wait) + " " + _("Nội dung bạn nhập vẫn được giữ."))
            status = 429
        else:
            data = form.cleaned_data
            try:
                services.submit_opinion(
                    consultation=item,
                    text=data["text"],
                    clause=data["clause"],
                    author_name=data["author_name"],
                    idempotency_key=data["idempotency_key"],
                    client=throttle.client_key(request),
                )
            except ValidationError as exc:
                ratelimit.give_back(throttle.opinion_rate(), throttle.client_key(request))
                apply_validation_error(form, exc)
                status = 422
            else:
                return _no_store(render(request, "participation/public/opinion_done.html", {"consultation": item}))
    elif request.method == "POST":
        status = 422
    context = {
        "consultation": item,
        "form": form,
        "is_open": is_open,
        "groups": list(item.groups.annotate(opinion_count=Count("opinions"))),
        "opinion_count": item.opinions.count(),
    }
    return _no_store(render(request, "participation/public/consultation.html", context, status=status))


@never_cache
def initiative(request: HttpRequest) -> HttpResponse:
    """A household backs its village's initiative with the code from its slip (once)."""
    context: dict[str, Any] = {"code": ""}
    status, wait = 200, 0
    if request.method == "POST":
        code = services.normalise_code(request.POST.get("code", ""))
        context["code"] = services.format_code(code) if code else ""
        wait = ratelimit.take(throttle.vote_rate(), throttle.client_key(request))
        if wait:
            context["error"], status = throttle.too_many(wait), 429
        else:
            try:
                item = services.support_initiative(code=code)
            except ValidationError as exc:
                context["error"], status = " ".join(exc.messages), 422
            else:
                context.update({"initiative": item, "backing": item.codes.filter(supported=True).count()})
    response = _no_store(render(request, "participation/public/initiative.html", context, status=status))
    return throttle.with_retry_after(response, wait) if status == 429 else response
