"""Per-client limits on votes and code checks (core.ratelimit): against guessing codes. Clients
are known by a keyed hash of their address; no address is stored."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from core import ratelimit
from core.client_address import client_address
from core.crypto import digest
from participation import conf


def client_key(request: HttpRequest) -> str:
    return digest(client_address(request), purpose="participation-client")[:32]


def vote_rate() -> ratelimit.Rate:
    return ratelimit.Rate("participation-vote", burst=conf.VOTE_BURST, per_hour=conf.VOTE_PER_HOUR)


def too_many(wait: int) -> str:
    return _("Quá nhiều lượt thử từ địa chỉ này; hãy thử lại sau %(s)d giây.") % {"s": wait}


def with_retry_after(response: HttpResponse, seconds: int) -> HttpResponse:
    response["Retry-After"] = str(max(1, int(seconds)))
    return response


def opinion_rate() -> ratelimit.Rate:
    # Opinions accepted per client: the same knobs as votes (a commune hall shares one address).
    return ratelimit.Rate("participation-opinion", burst=conf.VOTE_BURST, per_hour=conf.VOTE_PER_HOUR)
