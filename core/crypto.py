"""Personal data encrypted at rest (Fernet, key derived from SECRET_KEY by HKDF with a per-purpose
salt), and keyed hashes for lookups. Each capability names its own salt, so one capability's key
opens nothing of another's. Personal data law 91/2025/QH15 and the level-3 system rules
(DOMAIN.md) ask for encryption of personal data."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=16)
def _fernet(secret: str, salt: bytes, info: bytes) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


@dataclass(frozen=True)
class Sealer:
    """Encrypts JSON-ready data under a key of its own (`salt`, `info`)."""

    salt: bytes
    info: bytes

    def encrypt(self, data: Any) -> str:
        return _fernet(settings.SECRET_KEY, self.salt, self.info).encrypt(json.dumps(data, ensure_ascii=False).encode()).decode()

    def decrypt(self, token: str) -> Any:
        if not token:
            return None
        try:
            return json.loads(_fernet(settings.SECRET_KEY, self.salt, self.info).decrypt(token.encode()))
        except InvalidToken:
            return None


def digest(value: str, *, purpose: str) -> str:
    """A keyed hash for lookups (codes, idempotency keys, rate-limit clients)."""
    return hashlib.sha256(f"{purpose}:{settings.SECRET_KEY}:{value}".encode()).hexdigest()
