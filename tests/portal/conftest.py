"""Fixtures for the public portal's tests."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def vietnamese():  # type: ignore[no-untyped-def]
    """Messages in Vietnamese, the source language, whatever an earlier request in this thread
    activated (LocaleMiddleware leaves its language active after a test-client request)."""
    with translation.override("vi"):
        yield
