"""Diacritics-insensitive search keys, so "nguyen" finds "Nguyễn" and "luc nam" finds "Lục Nam"."""

import unicodedata


def search_key(text: str) -> str:
    """Lower-case, accents removed, đ→d, spaces folded."""
    text = (text or "").replace("Đ", "D").replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
