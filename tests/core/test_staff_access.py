"""`core.staff_access` forwards to accounts' own guards and scope (one implementation, provided by
accounts' manifest), and says so plainly when nothing has provided them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import api_auth, permissions, scope
from core import staff_access


def test_accounts_provides_its_own_guards_and_scope() -> None:
    provided = staff_access._access()
    assert provided.staff_view is permissions.staff_view
    assert provided.staff_auth is api_auth.STAFF_AUTH
    assert provided.role_roots is scope.role_roots
    assert provided.scope_queryset is scope.scope_queryset
    assert provided.get_scoped_or_404 is scope.get_scoped_or_404
    assert provided.can_reach is scope.can_reach
    assert provided.administers_unit is permissions.administers_unit


def test_without_a_provider_the_forwarders_refuse_in_vietnamese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staff_access, "_provided", [])
    with pytest.raises(ImproperlyConfigured, match="accounts chưa được nạp"):
        staff_access.staff_auth()


def test_an_anonymous_request_never_becomes_a_services_actor(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied

    from core.staff_access import staff_user

    request = rf.get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        staff_user(request)
