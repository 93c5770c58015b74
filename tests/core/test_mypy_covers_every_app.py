"""mypy, as `make lint` and CI run it (plain `mypy`, configured in pyproject.toml), checks every
project app and the project package strictly: a new capability cannot be left out of the type check,
and no module is let off strict mode."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings

from core.capabilities import project_apps


def _mypy_config() -> dict[str, Any]:
    pyproject = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8"))
    config: dict[str, Any] = pyproject["tool"]["mypy"]
    return config


def test_mypy_checks_every_installed_project_app_and_the_project_package():
    base = Path(settings.BASE_DIR).resolve()
    apps = {Path(config.path).resolve().relative_to(base).as_posix() for config in project_apps()}
    assert {"core", "units", "accounts", "certification", "feedback", "surveys", "portal"} <= apps
    missing = {*apps, "grassroots"} - set(_mypy_config()["files"])
    assert not missing, f"not type-checked by mypy: {sorted(missing)}"


def test_mypy_is_strict_for_the_whole_tree_and_relaxes_only_celerys_untyped_decorators():
    config = _mypy_config()
    assert config["strict"] is True
    assert "warn_unused_ignores" not in config  # strict reports a `type: ignore` nothing needs
    relaxed = {key for override in config.get("overrides", []) for key in override if key != "module"}
    assert relaxed <= {"disallow_untyped_decorators"}
