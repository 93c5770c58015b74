"""The import contracts keep the shape: every capability declared through a manifest (the foundation
and the public portal aside) is independent of the others and keeps the same layers inside (each of
its modules placed in one), and `lint-imports` finds every contract kept."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from typing import Any

from django.conf import settings

from core import capabilities

FOUNDATION = {"core", "units", "accounts"}
ABOVE_THE_CAPABILITIES = {"portal"}


def _capabilities() -> set[str]:
    return {c.name for c in capabilities.registry.all()} - FOUNDATION - ABOVE_THE_CAPABILITIES


def _importlinter() -> dict[str, Any]:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as f:
        config: dict[str, Any] = tomllib.load(f)["tool"]["importlinter"]
    return config


def _contracts(kind: str) -> list[dict[str, Any]]:
    return [c for c in _importlinter()["contracts"] if c["type"] == kind]


def test_the_manifests_declare_the_three_capabilities_and_the_linter_reads_them_all() -> None:
    assert _capabilities() >= {"certification", "feedback", "surveys"}
    assert _capabilities() <= set(_importlinter()["root_packages"])


def test_every_capability_is_in_the_independence_contract() -> None:
    assert [set(c["modules"]) for c in _contracts("independence")] == [_capabilities()]


def test_every_capability_keeps_the_same_layers_and_every_module_has_one() -> None:
    layers = [c for c in _contracts("layers") if c.get("containers")]
    assert [set(c["containers"]) for c in layers] == [_capabilities()]
    assert layers[0]["exhaustive"] is True


def test_the_whole_of_units_is_forbidden_to_import_accounts() -> None:
    assert any(c["source_modules"] == ["units"] and "accounts" in c["forbidden_modules"] for c in _contracts("forbidden"))


LINT_IMPORTS = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"


def test_lint_imports_keeps_every_contract() -> None:
    run = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
