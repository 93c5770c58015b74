"""Absolute links for messages that leave the site (e-mail, SMS): built on settings.SITE_URL, read
when the link is made, so every notification leads to the case, file or page it announces."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning
from django.urls import reverse


def absolute_url(viewname: str, *args: Any) -> str:
    """`https://site/path` for a URL name and its arguments; without SITE_URL (a misconfigured
    production, which `check` reports) the path alone."""
    return f"{settings.SITE_URL.rstrip('/')}{reverse(viewname, args=args)}"


def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not settings.SITE_URL:
        if settings.DEBUG:
            return []
        return [
            Warning(
                "SITE_URL chưa được đặt: liên kết trong thư thông báo sẽ thiếu địa chỉ trang (SITE_URL is not set).",
                hint="Đặt SITE_URL, ví dụ https://dancoso.bacgiang.gov.vn",
                id="core.W001",
            )
        ]
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return [Error(f"SITE_URL phải là địa chỉ http(s) đầy đủ, không phải {settings.SITE_URL!r}.", id="core.E001")]
    return []
