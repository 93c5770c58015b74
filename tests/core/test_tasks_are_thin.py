"""Every scheduled or background job is a thin task: its body (after the docstring) is one
`return <module>.<service>(...)`, so the logic lives in a service that tests and other edges call."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TASK_MODULES = sorted(p for p in ROOT.glob("*/tasks.py") if not p.parts[-2].startswith("."))


def _is_task(fn: ast.FunctionDef) -> bool:
    for dec in fn.decorator_list:
        target = dec.func if isinstance(dec, ast.Call) else dec
        if isinstance(target, ast.Name) and target.id == "shared_task":
            return True
    return False


@pytest.mark.parametrize("path", TASK_MODULES, ids=lambda p: p.parts[-2])
def test_every_task_calls_one_service_and_nothing_else(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tasks = [n for n in tree.body if isinstance(n, ast.FunctionDef) and _is_task(n)]
    assert tasks, f"{path} defines no task"
    helpers = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not _is_task(n)]
    assert helpers == [], f"{path}: logic outside a task belongs in a service: {helpers}"
    for fn in tasks:
        body = [s for s in fn.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
        body = [s for s in body if not isinstance(s, ast.ImportFrom)]
        assert len(body) == 1 and isinstance(body[0], ast.Return), f"{path}:{fn.name} does more than call a service"
        call = body[0].value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute), f"{path}:{fn.name} must return module.service(...)"
