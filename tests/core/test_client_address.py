"""The client address trusts X-Forwarded-For only from configured reverse proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.client_address import client_address


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_forwarded_client_is_used(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.2", "198.51.100.1")) == "198.51.100.1"
    assert client_address(_request("10.0.0.2", "198.51.100.9")) == "198.51.100.9"


def test_a_spoofed_left_hop_is_ignored_only_the_hop_our_proxy_saw_counts(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    # The client wrote "1.2.3.4" itself; our proxy appended the address it really saw.
    assert client_address(_request("10.0.0.2", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"


def test_chained_trusted_proxies_are_skipped(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "172.16.0.5"]
    assert client_address(_request("10.0.0.2", "198.51.100.1, 172.16.0.5")) == "198.51.100.1"


def test_an_untrusted_peer_cannot_forge_a_client(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("203.0.113.7", "10.0.0.9")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded", ["", "garbage", "  ,  "])
def test_a_missing_or_malformed_header_falls_back_to_the_proxy(settings, forwarded):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(_request("10.0.0.2", forwarded)) == "10.0.0.2"


def test_ports_and_ipv6_forms_are_understood(settings):
    settings.TRUSTED_PROXIES = ["::1"]
    assert client_address(_request("::1", "[2001:db8::7]:443")) == "2001:db8::7"
    assert client_address(_request("::1", "198.51.100.1:5123")) == "198.51.100.1"
