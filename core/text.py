"""Diacritics-insensitive search keys, so "nguyen" finds "Nguyễn" and "luc nam" finds "Lục Nam"."""

import unicodedata

_D = str.maketrans({"Đ": "D", "đ": "d", "Ð": "D", "ð": "d"})


def search_key(text: str) -> str:
    """Lower-case, accents removed, đ→d, spaces folded."""
    # Đ/đ do not decompose; the look-alike Ð/ð (U+00D0/U+00F0) is what some old keyboards type.
    text = (text or "").translate(_D)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
