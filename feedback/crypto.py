"""Reporters' contact details and tracking codes encrypted at rest (Fernet, key derived from
SECRET_KEY by HKDF), so a database dump alone reveals no one. Personal data law 91/2025/QH15 and
the level-3 system rules (DOMAIN.md) ask for encryption of personal data."""

from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"grassroots.feedback", info=b"contact-v1").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(data: Any) -> str:
    return _fernet(settings.SECRET_KEY).encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()


def decrypt(token: str) -> Any:
    if not token:
        return None
    try:
        return json.loads(_fernet(settings.SECRET_KEY).decrypt(token.encode()))
    except InvalidToken:
        return None


def digest(value: str, *, purpose: str) -> str:
    """A keyed hash for lookups (tracking codes, idempotency keys, rate-limit clients)."""
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}:{value}".encode()).hexdigest()
