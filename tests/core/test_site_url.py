"""SITE_URL, the base of every notification's link: read when a link is made, and checked."""

from __future__ import annotations

from django.core.checks import run_checks

from core.links import absolute_url


def test_links_are_built_on_the_site_url_of_the_moment(settings):
    settings.SITE_URL = "https://dancoso.example.gov.vn/"
    assert absolute_url("feedback:case", 12) == "https://dancoso.example.gov.vn/staff/phan-anh/12/"
    settings.SITE_URL = "https://khac.example.gov.vn"
    assert absolute_url("feedback_public:track") == "https://khac.example.gov.vn/phan-anh/tra-cuu/"


def test_a_site_url_that_is_not_an_address_is_an_error(settings):
    settings.SITE_URL = "dancoso.example.gov.vn"
    assert [e.id for e in run_checks() if e.id.startswith("core.E0")] == ["core.E001"]


def test_production_without_a_site_url_is_warned(settings):
    settings.SITE_URL = ""
    settings.DEBUG = False
    assert "core.W001" in [e.id for e in run_checks()]
    settings.DEBUG = True
    assert "core.W001" not in [e.id for e in run_checks()]
