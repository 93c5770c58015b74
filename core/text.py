"""Text helpers: diacritics-insensitive search keys (so "nguyen" finds "Nguyễn"), yes/no parsing, and
the personal data that must not reach a public page."""

import re
import unicodedata

from django.utils.translation import gettext as _

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


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Digits with single spaces, dots or dashes between groups ("0987 654 321", "+84.987.654.321").
_NUMBER = re.compile(r"(?<![\w])\+?\d(?:[ .\-]?\d)+(?![\w])")


def _phone(digits: str, raw: str) -> bool:
    # Vietnamese numbers: mobile 0xxxxxxxxx (10 digits), landline 02xxxxxxxxx (11), or +84/84 then 9–10.
    if raw.startswith("+84") or (digits.startswith("84") and len(digits) in (11, 12)):
        return len(digits) in (11, 12)
    return digits.startswith("0") and len(digits) in (10, 11)


def personal_data_found(text: str, *, reporter_name: str = "") -> list[str]:
    """What in `text` identifies a person: phone numbers, e-mail addresses, citizen ID numbers
    (CCCD: 12 digits; old CMND: 9 digits) and, when given, a reporter's stored name (accents and case
    ignored). Each finding is a short Vietnamese description; an empty list means nothing was found.
    Every capability that publishes text on the portal checks it with this."""
    found: list[str] = []
    text = text or ""
    for match in _EMAIL.findall(text):
        found.append(_("địa chỉ thư điện tử “%(v)s”") % {"v": match})
    without_emails = _EMAIL.sub(" ", text)
    for match in _NUMBER.findall(without_emails):
        digits = re.sub(r"\D", "", match)
        if _phone(digits, match):
            found.append(_("số điện thoại “%(v)s”") % {"v": match})
        elif match.isdigit() and len(digits) == 12:
            found.append(_("số căn cước công dân “%(v)s”") % {"v": match})
        elif match.isdigit() and len(digits) == 9:
            found.append(_("số chứng minh nhân dân “%(v)s”") % {"v": match})
    name = search_key(reporter_name)
    # Only a full name (two words or more): a single given name is too common to block on.
    if len(name.split()) >= 2 and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", search_key(text)):
        # The name itself is not repeated: the moderator may not be allowed to see the contact.
        found.append(_("họ tên người phản ánh"))
    return found
