"""Households' phone numbers encrypted at rest (core.crypto, under this capability's own key), and
the keyed hashes of one-time codes: one purpose for the code list, another for the ballot box."""

from __future__ import annotations

from core.crypto import Sealer, digest

_PHONES = Sealer(salt=b"grassroots.participation", info=b"household-phone-v1")


def encrypt_phone(phone: str) -> str:
    return _PHONES.encrypt(phone) if phone else ""


def decrypt_phone(token: str) -> str:
    value = _PHONES.decrypt(token)
    return str(value) if value else ""


def code_digest(code: str) -> str:
    """The code list's key for a code (VoteCode.digest)."""
    return digest(code, purpose="participation-code")


def ballot_lookup(code: str) -> str:
    """The ballot box's key for a code (Ballot.lookup): a different hash, so VoteCode.digest and
    Ballot.lookup cannot be matched to each other without the code itself."""
    return digest(code, purpose="participation-ballot")
