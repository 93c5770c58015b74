"""RSS and Atom feeds of new disclosures, for the whole site or one commune (Django syndication)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from disclosure import queries
from disclosure.models import Disclosure
from units.models import Unit, UnitKind

ITEMS = 50


class CommuneFeed(Feed):  # type: ignore[type-arg]
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Unit:
        return get_object_or_404(Unit, edition=kwargs["edition"], code=kwargs["code"], kind=UnitKind.COMMUNE)

    def title(self, obj: Unit) -> str:
        return f"Công khai thông tin – {obj.name}"

    def link(self, obj: Unit) -> str:
        return reverse("disclosure_public:commune", args=[obj.edition, obj.code])

    def description(self, obj: Unit) -> str:
        return f"Văn bản {obj.name} công khai theo Luật Thực hiện dân chủ ở cơ sở."

    def items(self, obj: Unit) -> list[Disclosure]:
        return list(queries.public_disclosures(obj)[:ITEMS])

    def item_title(self, item: Disclosure) -> str:
        return f"[{item.obligation.number}] {item.title}"

    def item_description(self, item: Disclosure) -> str:
        return f"{item.document_number}, ngày {item.document_date:%d/%m/%Y}, {item.issuer}. Công khai từ {item.disclosed_on:%d/%m/%Y}."

    def item_link(self, item: Disclosure) -> str:
        return reverse("disclosure_public:item", args=[item.reference])

    def item_guid(self, item: Disclosure) -> str:
        return item.reference

    def item_pubdate(self, item: Disclosure) -> dt.datetime:
        assert item.disclosed_on is not None
        return timezone.make_aware(dt.datetime.combine(item.disclosed_on, dt.time(7, 0)))

    def item_updateddate(self, item: Disclosure) -> dt.datetime:
        return item.recorded_at


class CommuneAtomFeed(CommuneFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Unit) -> str:
        return self.description(obj)
