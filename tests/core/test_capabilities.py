"""The project's wiring comes from the capabilities' manifests: a throwaway capability registered in
a test is served (pages and API), scheduled, run by run_scheduled_jobs, loaded by load_demo and
listed in the staff menu; a module a capability has but does not declare fails `manage.py check`."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import clear_url_caches, reverse
from django.utils.module_loading import import_string

import grassroots.urls  # the project's URLs and API as built at start-up, before any test registers a manifest
from core import capabilities, metrics
from core.capabilities import Api, Capability, Demo, Job, MetricItem, NavItem, Registry, Urls
from core.metrics import MetricValue
from core.templatetags.staff_nav import staff_nav_items
from tests.core.throwaway_capability import demo as throwaway_demo
from tests.core.throwaway_capability import tasks as throwaway_tasks  # noqa: F401 - registers its task, as Celery's autodiscovery does for apps

PACKAGE = "tests.core.throwaway_capability"


def _figure(*, unit: object, start: object, end: object) -> MetricValue:
    return MetricValue(42.0, "%", 7, "thử nghiệm")


THROWAWAY = Capability(
    name="throwaway",
    urls=(Urls(f"{PACKAGE}.urls", "thu-nghiem/"),),
    api=(Api(f"{PACKAGE}.api.router", "/thu-nghiem/"),),
    jobs=(Job("throwaway-ping", "tests.throwaway.ping", crontab(hour=5, minute=15)),),
    demo=Demo(load=f"{PACKAGE}.demo.load", finish=f"{PACKAGE}.demo.finish"),
    navigation=(NavItem("Trang thử nghiệm", "throwaway:home", order=950, group=None),),
    metrics=(MetricItem("throwaway.figure", "Số liệu thử nghiệm", _figure),),
)


def _reload_urlconf() -> None:
    importlib.reload(grassroots.urls)
    clear_url_caches()


@pytest.fixture
def throwaway() -> Iterator[Capability]:
    """The throwaway manifest registered, and the URL configuration rebuilt from the registry."""
    with capabilities.registry.temporarily(THROWAWAY):
        _reload_urlconf()
        yield THROWAWAY
    _reload_urlconf()


# --- Served, listed, measured ----------------------------------------------------------------
@pytest.mark.django_db
def test_a_registered_capabilitys_pages_are_served_where_its_manifest_mounts_them(throwaway, client):
    response = client.get("/thu-nghiem/")
    assert response.status_code == 200 and response.content.decode() == "Trang thử nghiệm"
    assert reverse("throwaway:home") == "/thu-nghiem/"


@pytest.mark.django_db
def test_an_unregistered_capabilitys_pages_are_not_served(client):
    with capabilities.registry.temporarily(THROWAWAY):
        pass
    _reload_urlconf()
    assert client.get("/thu-nghiem/").status_code == 404


def test_the_served_urls_are_exactly_the_manifests_mounts():
    mounted = [(str(p.pattern), getattr(getattr(p, "urlconf_name", None), "__name__", None)) for p in grassroots.urls.urlpatterns]
    declared = [(m.prefix, m.module) for m in capabilities.url_mounts()]
    assert mounted[: len(declared)] == declared
    # Every capability's staff and public pages, under the paths users know.
    assert ("staff/phan-anh/", "feedback.urls") in declared and ("phan-anh/", "feedback.public_urls") in declared
    assert ("chinh-quyen-than-thien/", "certification.public_urls") in declared and ("", "portal.urls") in declared


@pytest.mark.django_db
def test_a_registered_capabilitys_navigation_entry_is_in_the_staff_menu(throwaway, province_officer):
    request = RequestFactory().get("/thu-nghiem/")
    request.user = province_officer
    items = staff_nav_items({"request": request})
    entry = next(i for i in items if str(i["label"]) == "Trang thử nghiệm")
    assert entry["active"]


@pytest.mark.django_db
def test_the_navigation_entry_leaves_with_its_manifest(province_officer):
    with capabilities.registry.temporarily(THROWAWAY):
        assert metrics.compute("throwaway.figure", unit=None, start=None, end=None).value == 42.0  # type: ignore[arg-type]
    assert metrics.get("throwaway.figure") is None
    from core import navigation

    assert "throwaway:home" not in [e.url_name for e in navigation.entries_for(province_officer)]


# --- API -------------------------------------------------------------------------------------
def test_the_api_mounts_each_manifests_router_under_its_prefix():
    from grassroots.api import api

    mounted = [(prefix, router) for prefix, router in api._routers if router is not api.default_router]
    assert mounted == [(m.prefix, import_string(m.router)) for m in capabilities.api_mounts()]
    assert [m.prefix for m in capabilities.api_mounts()] == [
        "/",
        "/certification/",
        "/feedback/",
        "/surveys/",
        "/participation/",
        "/supervision/",
        "/disclosure/",
    ]


def test_an_api_built_from_a_throwaway_manifest_serves_its_router():
    from grassroots.api import build_api

    built = build_api(THROWAWAY.api, urls_namespace="api-throwaway")
    paths = built.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    assert "/api/v1/thu-nghiem/ping" in paths


# --- Jobs ------------------------------------------------------------------------------------
def test_celery_beat_reads_the_manifests_jobs():
    """As `celery beat` starts: the loader imports the task modules (setting Django up), the app is
    finalized, and the scheduler reads app.conf.beat_schedule."""
    script = (
        "import json; from grassroots.celery import app; app.loader.init_worker(); app.finalize(); "
        "print(json.dumps({k: [v['task'], str(v['schedule'])] for k, v in app.conf.beat_schedule.items()}))"
    )
    env = {**os.environ, "GRASSROOTS_TESTING": "1"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=settings.BASE_DIR, check=True)
    schedule = json.loads(result.stdout.strip().splitlines()[-1])
    assert schedule == {name: [entry["task"], str(entry["schedule"])] for name, entry in capabilities.beat_schedule().items()}
    assert schedule["feedback-escalate-overdue"] == ["feedback.tasks.escalate_overdue_cases", str(crontab(hour=6, minute=0))]
    assert schedule["deliver-outbox"] == ["core.tasks.deliver_outbox", "60.0"]


def test_the_beat_schedule_follows_the_registered_manifests():
    from grassroots.celery import app, schedule_from_manifests

    with capabilities.registry.temporarily(THROWAWAY):
        schedule_from_manifests(sender=app)
        assert app.conf.beat_schedule["throwaway-ping"] == {"task": "tests.throwaway.ping", "schedule": crontab(hour=5, minute=15)}
    schedule_from_manifests(sender=app)
    assert "throwaway-ping" not in app.conf.beat_schedule


@pytest.mark.django_db
def test_run_scheduled_jobs_runs_a_registered_capabilitys_job():
    out = io.StringIO()
    with capabilities.registry.temporarily(THROWAWAY):
        call_command("run_scheduled_jobs", only=["throwaway-ping"], stdout=out)
    assert out.getvalue() == "throwaway-ping: pong\n"
    with pytest.raises(CommandError, match="Không có công việc: throwaway-ping"):
        call_command("run_scheduled_jobs", only=["throwaway-ping"])


@pytest.mark.parametrize("schedule", [None, "daily", 0, -5.0, True])
def test_a_job_without_a_schedule_is_refused(schedule):
    with pytest.raises(ImproperlyConfigured, match="throwaway-ping"):
        Job("throwaway-ping", "tests.throwaway.ping", schedule)


# --- Demo ------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_load_demo_runs_a_registered_capabilitys_loader_then_its_finish(monkeypatch):
    monkeypatch.setattr(capabilities, "registry", Registry())
    capabilities.registry.register(Capability(name="throwaway", demo=THROWAWAY.demo))
    throwaway_demo.LOADED.clear()
    out = io.StringIO()
    call_command("load_demo", "--quiet-logins", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Dữ liệu thử nghiệm: đã nạp"
    assert lines[1].startswith("  throwaway: ") and lines[1].endswith(" s")
    assert lines[2] == "Thử nghiệm xong (quiet_logins=True)"
    assert throwaway_demo.LOADED == ["load", "finish"]


def _registry(**after: tuple[str, ...]) -> Registry:
    registry = Registry()
    for name, deps in after.items():
        registry._capabilities[name] = Capability(name=name, demo=Demo(load=f"{name}.demo.load", after=deps))
    return registry


def test_demo_loaders_run_after_the_loaders_they_depend_on(monkeypatch):
    monkeypatch.setattr(
        capabilities, "registry", _registry(surveys=("units",), disclosure=("accounts", "surveys"), accounts=("units",), units=())
    )
    assert [name for name, _demo in capabilities.demo_order()] == ["units", "surveys", "accounts", "disclosure"]


def test_the_projects_demo_loaders_run_foundation_first():
    assert [name for name, _demo in capabilities.demo_order()] == [
        "units",
        "accounts",
        "certification",
        "feedback",
        "surveys",
        "participation",
        "supervision",
        "disclosure",
        "steering",
    ]


def test_a_demo_dependency_cycle_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(capabilities, "registry", _registry(units=(), a=("b",), b=("a",)))
    with pytest.raises(ImproperlyConfigured, match="vòng tròn giữa: a, b"):
        capabilities.demo_order()
    with pytest.raises(CommandError, match="vòng tròn"):
        call_command("load_demo")


def test_a_missing_demo_dependency_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(capabilities, "registry", _registry(disclosure=("steering",)))
    with pytest.raises(ImproperlyConfigured, match="“disclosure” cần chạy sau “steering”"):
        capabilities.demo_order()


# --- The wiring check ------------------------------------------------------------------------
def test_every_installed_capability_is_wired():
    assert [e for e in run_checks() if e.id and e.id.startswith("core.E1")] == []


def test_a_capability_whose_modules_are_not_declared_fails_the_check():
    problems = capabilities.wiring_problems(PACKAGE, Capability(name="throwaway"))
    assert problems == [
        f"{PACKAGE}.urls không được khai báo trong manifest (urls).",
        f"{PACKAGE}.api.router không được khai báo trong manifest (api).",
        "Tác vụ tests.throwaway.ping (tests.core.throwaway_capability.tasks) chưa có lịch chạy (jobs) hoặc chưa ghi là on_demand_tasks.",
        f"{PACKAGE}.demo không được khai báo trong manifest (demo).",
    ]
    assert capabilities.wiring_problems(PACKAGE, None) == problems
    assert capabilities.wiring_problems(PACKAGE, THROWAWAY) == []


def test_a_job_whose_task_does_not_exist_fails_the_check():
    broken = Capability(
        name="throwaway", jobs=(Job("throwaway-typo", "tests.throwaway.pnig", 60.0),), on_demand_tasks=("tests.throwaway.ping",)
    )
    assert "Công việc định kỳ “throwaway-typo” chạy tác vụ tests.throwaway.pnig không tồn tại." in capabilities.wiring_problems(
        "core", broken
    )


def test_an_app_with_a_module_left_out_of_its_manifest_fails_manage_py_check(monkeypatch):
    surveys = capabilities.registry.get("surveys")
    assert surveys is not None
    lacking = Capability(**{**surveys.__dict__, "on_demand_tasks": ()})
    monkeypatch.setitem(capabilities.registry._capabilities, "surveys", lacking)
    errors = [e for e in run_checks() if e.id == "core.E101"]
    assert [(e.obj, e.msg) for e in errors] == [
        ("surveys", "Tác vụ surveys.tasks.run_xlsform_import (surveys.tasks) chưa có lịch chạy (jobs) hoặc chưa ghi là on_demand_tasks.")
    ]


def test_apps_of_a_virtualenv_inside_the_project_are_not_checked(settings):
    # CI keeps .venv inside the clone: Django's own apps (auth, staticfiles have urls.py) lie under
    # BASE_DIR then, and must not be taken for undeclared capabilities.
    from core.capabilities import check_wiring

    settings.BASE_DIR = "/"
    assert [e for e in check_wiring() if e.id == "core.E101"] == []
