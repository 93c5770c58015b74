"""core.text.search_key: the diacritics- and case-insensitive key every search uses."""

import unicodedata

import pytest

from core.text import search_key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Huyện Lục Nam", "huyen luc nam"),
        ("Xã Đông Hưng", "xa dong hung"),
        ("ĐỒNG CỐNG", "dong cong"),
        ("  Thôn   Trại\tMới \n", "thon trai moi"),
        ("Nguyễn Thị Thuý", "nguyen thi thuy"),
        ("Ðông Hưng", "dong hung"),  # U+00D0, typed for Đ by some old keyboards and fonts
        ("", ""),
        (None, ""),
    ],
)
def test_search_key(text, key):
    assert search_key(text) == key


def test_composed_and_decomposed_input_give_the_same_key():
    name = "Phường Thọ Xương"
    assert search_key(unicodedata.normalize("NFD", name)) == search_key(unicodedata.normalize("NFC", name)) == "phuong tho xuong"
