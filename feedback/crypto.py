"""Reporters' contact details and tracking codes encrypted at rest (core.crypto, under feedback's
own key), so a database dump alone reveals no one."""

from __future__ import annotations

from typing import Any

from core.crypto import Sealer
from core.crypto import digest as digest

_SEALER = Sealer(salt=b"grassroots.feedback", info=b"contact-v1")


def encrypt(data: Any) -> str:
    return _SEALER.encrypt(data)


def decrypt(token: str) -> Any:
    return _SEALER.decrypt(token)
