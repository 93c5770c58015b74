"""The permission matrix's generic rows, over every URL that exists (so a capability added later is
covered the day it lands): anonymous visitors never reach a staff page or a staff API endpoint,
and citizens' accounts (no role) are refused the staff area. Object-level rows — each persona
outside its scope gets 404 — live next to each capability's tests."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import verified_client

STAFF_PREFIXES = ("staff/",)


def _walk(patterns, prefix=""):  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _concrete(route: str) -> str:
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:str|slug):[^>]+>", "x", route)
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<path:[^>]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def staff_routes() -> list[str]:
    return sorted({_concrete(route) for route, _ in _walk(get_resolver().url_patterns) if route.startswith(STAFF_PREFIXES)})


def staff_api_operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get("/api/openapi.json").json()
    ops = []
    for path, methods in schema["paths"].items():
        for method, op in methods.items():
            if op.get("security"):
                concrete = re.sub(r"\{[^}]+\}", "1", path)
                ops.append((method.upper(), concrete))
    return ops


def test_there_are_staff_routes_to_check():
    routes = staff_routes()
    assert "/staff/" in routes and "/staff/ban-chi-dao/" in routes and len(routes) > 10


@pytest.mark.django_db
@pytest.mark.parametrize("route", staff_routes())
def test_anonymous_visitor_is_sent_to_login_from_every_staff_page(route, bac_giang):
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(route)
        assert response.status_code in (302, 405), f"{method.upper()} {route} gave {response.status_code}"
        if response.status_code == 302:
            assert "/tai-khoan/dang-nhap/" in response["Location"], route


@pytest.mark.django_db
@pytest.mark.parametrize("route", staff_routes())
def test_account_without_any_role_is_refused_every_staff_page(route, make_user, bac_giang):
    client = Client()
    client.force_login(make_user())
    response = client.get(route)
    assert response.status_code in (403, 404, 405), f"GET {route} gave {response.status_code}"


@pytest.mark.django_db
def test_every_staff_api_endpoint_refuses_anonymous_and_unverified_callers(commune_officer):
    anonymous = Client()
    unverified = Client()
    unverified.force_login(commune_officer)
    ops = staff_api_operations(anonymous)
    assert ops, "the schema lists no protected endpoint"
    for method, path in ops:
        for client in (anonymous, unverified):
            response = client.generic(method, path, data="{}", content_type="application/json")
            assert response.status_code == 401, f"{method} {path} gave {response.status_code}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route", [r for r in staff_routes() if "/tai-khoan/" in r or "/lich-lam-viec/" in r or "/nhat-ky/" in r or "/phan-quyen/" in r]
)
def test_province_administration_pages_are_closed_to_district_and_commune_roles(
    route, commune_officer, district_officer, outsider_district
):
    for user in (commune_officer, district_officer, outsider_district):
        response = verified_client(user).get(route)
        assert response.status_code in (403, 404, 405), f"{user.username} GET {route} gave {response.status_code}"
