"""Public records one capability produces and another keeps in the commune's disclosure register,
without importing each other: participation publishes a consultation's summary (category 11) or a
recognised community decision; the disclosure capability, when installed, declares a receiver (in
its manifest, `capability.py`) that writes the entry into the commune's hash-chained register.

`publish(record, by=...)` runs every receiver inside the caller's transaction, so the act and its
register entry exist together or not at all. A receiver is idempotent on `record.source_key`: a
retry, a job run twice or a second call for the same act returns the entry already written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PublicRecord:
    """One act to disclose. `unit` is the commune whose register holds it; `category` the number of
    the disclosure category (Law 10/2022 art. 11: 1–14); `source_key` names the act for good (e.g.
    "participation.consultation:12"), so publishing it again adds nothing; `source_link` is the
    absolute address of its public page; `document` the file disclosed (bytes, e.g. a PDF)."""

    unit: Any
    category: int
    title: str
    document_date: dt.date
    issuer: str
    source_key: str
    source_link: str
    disclosed_on: dt.date
    document_number: str = ""
    document: bytes | None = None
    document_name: str = ""


@dataclass(frozen=True)
class Recorded:
    """What a receiver wrote (or had already written): its reference and public address."""

    reference: str
    link: str
    created: bool


Receiver = Callable[..., Recorded]

_RECEIVERS: list[Receiver] = []


def register_receiver(receiver: Receiver) -> None:
    """`receiver(record, *, by)` records `record` and returns a `Recorded`."""
    if receiver not in _RECEIVERS:
        _RECEIVERS.append(receiver)


def unregister_receiver(receiver: Receiver) -> None:
    if receiver in _RECEIVERS:
        _RECEIVERS.remove(receiver)


def receivers() -> list[Receiver]:
    return list(_RECEIVERS)


def publish(record: PublicRecord, *, by: Any) -> list[Recorded]:
    """Hand `record` to every receiver (none when no capability keeps a register: nothing happens)."""
    if not record.source_key.strip():
        raise ValueError("a public record needs a source_key (its idempotency key)")
    return [receiver(record, by=by) for receiver in list(_RECEIVERS)]
