"""A link into the report form may prefill the commune, the category and the start of the
description (another capability's "not posted" button links here rather than importing feedback);
anything else in those parameters is ignored, and nothing is submitted by the link itself."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.test import Client

from feedback.models import Case


def test_link_prefills_category_and_reference(dong_hung):
    query = urlencode({"unit": dong_hung.pk, "category": "democracy_not_disclosed", "ref": "Về văn bản công khai CK-1: chưa niêm yết."})
    body = Client().get(f"/phan-anh/?{query}").content.decode()
    tag = re.search(r'<input[^>]*value="democracy_not_disclosed"[^>]*>', body)
    assert tag is not None and "checked" in tag.group(0)
    assert "Về văn bản công khai CK-1: chưa niêm yết." in body
    assert not Case.objects.exists()


def test_unknown_category_is_ignored(dong_hung):
    body = Client().get(f"/phan-anh/?{urlencode({'unit': dong_hung.pk, 'category': 'x<script>'})}").content.decode()
    assert "x<script>" not in body
