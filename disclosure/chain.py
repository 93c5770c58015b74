"""The register's tamper evidence: each commune's entries form one hash chain, and every record of
the register (a disclosure, a posting, a photo, a broadcast) must still read as its latest entry
recorded it. `verify(unit)` recomputes both and names the first entry that breaks.

An entry's hash is SHA-256 over its predecessor's hash, the commune's id, its sequence number, its
kind and its payload as canonical JSON (sorted keys, no spaces, UTF-8). Editing an entry, deleting
one (a gap in the numbers or a broken link) or editing a record behind the register's back (its
current reading no longer equals the payload) are all reported. The chain's head (the last hash)
is published on the verification page; keeping a copy of it elsewhere (the posted quarterly
register carries it) also exposes a deleted last entry."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from disclosure.models import Broadcast, Disclosure, Posting, PostingPhoto, RegisterEntry
from units.models import Unit

GENESIS = "0" * 64


def canonical(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(*, prev_hash: str, unit_id: int, seq: int, kind: str, payload: Any) -> str:
    content = f"{prev_hash}\n{unit_id}\n{seq}\n{kind}\n{canonical(payload)}"
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _instant(value: dt.datetime | None) -> str | None:
    """A moment as the database gives it back: UTC, to the microsecond, whatever zone it was made in."""
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds") if value is not None else None


def _day(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def reading(instance: models.Model) -> dict[str, Any]:
    """The register's reading of a record: the fields that carry legal weight, as JSON-ready data."""
    if isinstance(instance, Disclosure):
        # A record published by another capability also carries where it comes from (only then,
        # so the readings of the register's earlier entries are unchanged).
        source = {"source_key": instance.source_key, "source_link": instance.source_link} if instance.source_key else {}
        return {
            **source,
            "reference": instance.reference,
            "unit": instance.unit_id,
            "obligation": instance.obligation_id,
            "title": instance.title,
            "document_number": instance.document_number,
            "document_date": _day(instance.document_date),
            "issuer": instance.issuer,
            "document_sha256": instance.document_file.sha256 if instance.document_file_id and instance.document_file else None,
            "due_on": _day(instance.due_on),
            "disclosed_on": _day(instance.disclosed_on),
            "forms": sorted(instance.forms),
            "corrects": instance.corrects_id,
            "correction_reason": instance.correction_reason,
            "recorded_at": _instant(instance.recorded_at),
        }
    if isinstance(instance, Posting):
        return {
            "disclosure": instance.disclosure_id,
            "village": instance.village_id,
            "started_on": _day(instance.started_on),
            "ended_on": _day(instance.ended_on),
        }
    if isinstance(instance, PostingPhoto):
        return {
            "posting": instance.posting_id,
            "purpose": instance.purpose,
            "sha256": instance.file.sha256,
            "taken_at": _instant(instance.taken_at),
            "latitude": instance.latitude,
            "longitude": instance.longitude,
            "proven": instance.proven,
            "unproven_reason": instance.unproven_reason,
            "uploaded_at": _instant(instance.uploaded_at),
        }
    if isinstance(instance, Broadcast):
        return {"disclosure": instance.disclosure_id, "day": _day(instance.day), "note": instance.note}
    raise TypeError(f"{type(instance).__name__} is not a register record")


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


RECORD_MODELS: tuple[type[models.Model], ...] = (Disclosure, Posting, PostingPhoto, Broadcast)


def records_of(unit: Unit) -> dict[tuple[str, int], models.Model]:
    """Every record of `unit`'s register, by (model label, pk)."""
    found: dict[tuple[str, int], models.Model] = {}
    for d in Disclosure.objects.filter(unit=unit).select_related("document_file"):
        found[(_label(Disclosure), d.pk)] = d
    for p in Posting.objects.filter(disclosure__unit=unit):
        found[(_label(Posting), p.pk)] = p
    for ph in PostingPhoto.objects.filter(posting__disclosure__unit=unit).select_related("file"):
        found[(_label(PostingPhoto), ph.pk)] = ph
    for b in Broadcast.objects.filter(disclosure__unit=unit):
        found[(_label(Broadcast), b.pk)] = b
    return found


@dataclass(frozen=True)
class Verdict:
    unit: Unit
    entries: int
    head: str
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def verify(unit: Unit) -> Verdict:
    """Recompute `unit`'s chain and compare every record with its latest entry."""
    prev = GENESIS
    expected_seq = 1
    latest: dict[tuple[str, int], RegisterEntry] = {}
    count = 0
    for entry in RegisterEntry.objects.filter(unit=unit).order_by("seq").iterator():
        count += 1
        if entry.seq != expected_seq:
            return Verdict(unit, count, prev, expected_seq, _("Thiếu mục số %(n)d: mục đã bị xoá.") % {"n": expected_seq})
        if entry.prev_hash != prev:
            return Verdict(unit, count, prev, entry.seq, _("Mục số %(n)d không nối với mục trước nó.") % {"n": entry.seq})
        recomputed = entry_hash(prev_hash=entry.prev_hash, unit_id=unit.pk, seq=entry.seq, kind=entry.kind, payload=entry.payload)
        if recomputed != entry.hash:
            return Verdict(unit, count, prev, entry.seq, _("Nội dung mục số %(n)d đã bị sửa sau khi ghi.") % {"n": entry.seq})
        latest[(entry.object_label, entry.object_pk)] = entry
        prev = entry.hash
        expected_seq += 1
    records = records_of(unit)
    problems: list[tuple[int, str]] = []
    for key, entry in latest.items():
        record = records.get(key)
        if record is None:
            problems.append((entry.seq, _("Bản ghi được ghi ở mục số %(n)d không còn nữa: đã bị xoá.") % {"n": entry.seq}))
        elif reading(record) != entry.payload:
            problems.append((entry.seq, _("Bản ghi được ghi ở mục số %(n)d đã bị sửa ngoài sổ.") % {"n": entry.seq}))
    for key in records.keys() - latest.keys():
        problems.append((count + 1, _("Có bản ghi (%(label)s #%(pk)d) không có trong sổ.") % {"label": key[0], "pk": key[1]}))
    if problems:
        seq, problem = min(problems)
        return Verdict(unit, count, prev, seq, problem)
    return Verdict(unit, count, prev)
