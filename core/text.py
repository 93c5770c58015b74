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


# The spellings of yes and no that forms, apps and Open311 clients send ("có"/"không" typed by hand).
_YES = frozenset({"true", "1", "yes", "on", "có", "co"})
_NO = frozenset({"false", "0", "no", "off", "không", "khong", ""})


def parse_yes_no(value: object) -> bool | None:
    """True or False for the usual spellings of yes and no (and real booleans); None for anything
    else, which the caller refuses rather than reading as no. Blank is no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = unicodedata.normalize("NFC", str(value)).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return None
