"""The capability registry: each app declares its wiring once, in a `capability.py` beside its
`apps.py`, and the project reads those declarations instead of naming apps in central files.

A manifest says where the app's staff and public pages are mounted, which API router it adds, which
background jobs run on a schedule (and which run only on demand), its demo loader and the loaders
that must run before it, its navigation entries, page sections, metrics, operators' gauges, calendar listeners and the
receivers of public records (core.disclosures).
`CoreConfig.ready()` imports every installed app's `capability` module (as Django admin
autodiscovers `admin.py`); each module calls `register(Capability(...))`. The URL configuration,
the API, Celery beat, `run_scheduled_jobs` and `load_demo` then iterate the registry.

`core` imports no app: modules are found by name, and everything a manifest points to is either a
dotted path or a callable the app itself passes in.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from celery import Task, current_app
from celery.schedules import BaseSchedule
from django.apps import AppConfig
from django.apps import apps as django_apps
from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules, import_string

from core import calendar_hooks, disclosures, metrics, navigation, sections


@dataclass(frozen=True)
class Urls:
    """A URL module (its `app_name` is the namespace) mounted under `prefix` ("" for the root)."""

    module: str
    prefix: str


@dataclass(frozen=True)
class Api:
    """A django-ninja router (dotted path to the `Router` object) added under `prefix` of /api/v1/."""

    router: str
    prefix: str


@dataclass(frozen=True)
class Job:
    """A task Celery beat runs on `schedule` (a crontab or another Celery schedule, or seconds
    between runs); `name` is the beat entry's name, which `run_scheduled_jobs --only` also takes."""

    name: str
    task: str
    schedule: BaseSchedule | float

    def __post_init__(self) -> None:
        if not isinstance(self.schedule, BaseSchedule | int | float) or isinstance(self.schedule, bool):
            raise ImproperlyConfigured(f"Công việc định kỳ “{self.name}” ({self.task}) chưa có lịch chạy (crontab hoặc số giây).")
        if not isinstance(self.schedule, BaseSchedule) and self.schedule <= 0:
            raise ImproperlyConfigured(f"Công việc định kỳ “{self.name}” ({self.task}) có lịch chạy không hợp lệ: {self.schedule!r}.")


@dataclass(frozen=True)
class Demo:
    """The app's demo data: `load(*, stdout, options)` (dotted path), run after the loaders of the
    capabilities named in `after`; `finish(*, stdout, options)`, if any, runs once every loader has
    run (e.g. printing the demo logins last)."""

    load: str
    after: tuple[str, ...] = ()
    finish: str | None = None


@dataclass(frozen=True)
class Generator:
    """The app's share of the national-scale data set (`manage.py generate_national`):
    `run(*, plan)` (dotted path; `plan` is a core.generation.Plan: scale, seed, period, output),
    run after the generators of the capabilities named in `after`. Bulk loads (core.bulk), no
    per-row ORM save; it also brings the app's summary tables up to date."""

    run: str
    after: tuple[str, ...] = ()


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool] | None = None
    group: str | Promise | None = "auto"


@dataclass(frozen=True)
class SectionItem:
    slot: str
    template: str
    order: int
    context: Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class MetricItem:
    key: str
    label: str | Promise
    compute: Callable[..., metrics.MetricValue]
    higher_is_better: bool = True
    combine: str = metrics.RATE
    # Reads the figure for many units in a fixed number of queries (core.metrics.compute_many).
    compute_many: Callable[..., dict[int, metrics.MetricValue]] | None = None


@dataclass(frozen=True)
class GaugeItem:
    """A figure for the operators' /metrics page (core.prometheus), read at each scrape:
    `compute()` returns the current value (e.g. overdue cases). `name` is the Prometheus metric name,
    prefixed `grassroots_`."""

    name: str
    help: str
    compute: Callable[[], float]


@dataclass(frozen=True)
class Capability:
    """One app's wiring. `name` is the app's label (its package name)."""

    name: str
    urls: tuple[Urls, ...] = ()
    api: tuple[Api, ...] = ()
    jobs: tuple[Job, ...] = ()
    # Tasks in the app's tasks.py that are queued by services rather than scheduled (dotted task
    # names); a task that is neither scheduled nor listed here fails the wiring test.
    on_demand_tasks: tuple[str, ...] = ()
    demo: Demo | None = None
    generator: Generator | None = None
    navigation: tuple[NavItem, ...] = ()
    sections: tuple[SectionItem, ...] = ()
    metrics: tuple[MetricItem, ...] = ()
    gauges: tuple[GaugeItem, ...] = ()
    calendar_listeners: tuple[Callable[..., object], ...] = field(default=())
    # Receivers of other capabilities' public records (core.disclosures): the capability that keeps
    # the commune's disclosure register declares one.
    disclosure_receivers: tuple[disclosures.Receiver, ...] = ()


class Registry:
    def __init__(self) -> None:
        self._capabilities: dict[str, Capability] = {}

    def register(self, capability: Capability) -> None:
        """Record a manifest and feed its navigation, sections, metrics and calendar listeners to
        the core registries they belong to. Registering the same manifest twice changes nothing."""
        existing = self._capabilities.get(capability.name)
        if existing is not None and existing != capability:
            raise ImproperlyConfigured(f"Năng lực “{capability.name}” đã được khai báo.")
        self._capabilities[capability.name] = capability
        for item in capability.navigation:
            navigation.register(item.label, item.url_name, order=item.order, visible=item.visible or (lambda user: True), group=item.group)
        for section in capability.sections:
            sections.register(section.slot, section.template, order=section.order, context=section.context)
        for metric in capability.metrics:
            metrics.register(
                metric.key,
                metric.label,
                metric.compute,
                higher_is_better=metric.higher_is_better,
                combine=metric.combine,
                compute_many=metric.compute_many,
            )
        for listener in capability.calendar_listeners:
            calendar_hooks.on_calendar_change(listener)
        for receiver in capability.disclosure_receivers:
            disclosures.register_receiver(receiver)

    def unregister(self, name: str) -> None:
        """Forget a manifest and what it fed to the core registries (for tests)."""
        capability = self._capabilities.pop(name)
        url_names = {item.url_name for item in capability.navigation}
        navigation._ENTRIES[:] = [e for e in navigation._ENTRIES if e.url_name not in url_names]
        for section in capability.sections:
            sections._SECTIONS[section.slot][:] = [s for s in sections._SECTIONS[section.slot] if s.template != section.template]
        for metric in capability.metrics:
            metrics._METRICS.pop(metric.key, None)
        for listener in capability.calendar_listeners:
            if listener in calendar_hooks._LISTENERS:
                calendar_hooks._LISTENERS.remove(listener)
        for receiver in capability.disclosure_receivers:
            disclosures.unregister_receiver(receiver)

    def all(self) -> list[Capability]:
        """The manifests in INSTALLED_APPS order (the order they were discovered in)."""
        return list(self._capabilities.values())

    def get(self, name: str) -> Capability | None:
        return self._capabilities.get(name)

    def subset(self, *names: str) -> Registry:
        """A registry holding only the named manifests (for a test that runs, say, the
        foundation's demo alone); it feeds nothing to the core registries."""
        subset = Registry()
        subset._capabilities = {name: c for name, c in self._capabilities.items() if name in names}
        return subset

    @contextmanager
    def temporarily(self, capability: Capability) -> Iterator[Capability]:
        """Register a manifest for the duration of a block (a test's throwaway capability)."""
        self.register(capability)
        try:
            yield capability
        finally:
            self.unregister(capability.name)


registry = Registry()


def register(capability: Capability) -> None:
    registry.register(capability)


def autodiscover() -> None:
    """Import `<app>.capability` for every installed app; called from CoreConfig.ready()."""
    autodiscover_modules("capability")


# --- What the central files read ------------------------------------------------------------
def url_mounts() -> list[Urls]:
    return [mount for capability in registry.all() for mount in capability.urls]


def api_mounts() -> list[Api]:
    return [mount for capability in registry.all() for mount in capability.api]


def jobs() -> list[Job]:
    return [job for capability in registry.all() for job in capability.jobs]


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The plain dict Celery beat reads (`app.conf.beat_schedule`) and `run_scheduled_jobs` runs."""
    schedule: dict[str, dict[str, Any]] = {}
    for job in jobs():
        if job.name in schedule:
            raise ImproperlyConfigured(f"Hai công việc định kỳ cùng tên “{job.name}”.")
        schedule[job.name] = {"task": job.task, "schedule": job.schedule}
    return schedule


def demo_order() -> list[tuple[str, Demo]]:
    """The demo loaders in dependency order (each after the ones it names in `after`), ties kept
    in INSTALLED_APPS order. A missing dependency or a cycle is an ImproperlyConfigured error."""
    return _in_dependency_order({c.name: c.demo for c in registry.all() if c.demo is not None})


def generator_order() -> list[tuple[str, Generator]]:
    """The national-scale generators in dependency order, as demo_order() orders the demo loaders."""
    return _in_dependency_order({c.name: c.generator for c in registry.all() if c.generator is not None})


def _in_dependency_order(loaders: dict[str, Any]) -> list[tuple[str, Any]]:
    for name, demo in loaders.items():
        missing = [dep for dep in demo.after if dep not in loaders]
        if missing:
            raise ImproperlyConfigured(
                f"Dữ liệu mẫu của “{name}” cần chạy sau “{', '.join(missing)}”, nhưng không có năng lực nào như vậy khai báo dữ liệu mẫu."
            )
    ordered: list[tuple[str, Any]] = []
    done: set[str] = set()
    while len(ordered) < len(loaders):
        ready = [name for name, demo in loaders.items() if name not in done and all(dep in done for dep in demo.after)]
        if not ready:
            stuck = [name for name in loaders if name not in done]
            raise ImproperlyConfigured(f"Dữ liệu mẫu phụ thuộc vòng tròn giữa: {', '.join(stuck)}.")
        ordered.append((ready[0], loaders[ready[0]]))
        done.add(ready[0])
    return ordered


def run_demo(*, stdout: Any, options: Mapping[str, Any]) -> None:
    """Run every demo loader in dependency order, timing each, then every loader's `finish`."""
    import time

    order = demo_order()
    for name, demo in order:
        started = time.monotonic()
        import_string(demo.load)(stdout=stdout, options=options)
        stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")
    for _name, demo in order:
        if demo.finish:
            import_string(demo.finish)(stdout=stdout, options=options)


# --- The wiring check -----------------------------------------------------------------------
# A module a capability has but its manifest does not declare fails silently in production (a
# page never served, a reminder never scheduled, a demo never loaded): `manage.py check` (and so
# the test suite and CI) reports it instead.
URL_MODULES = ("urls", "public_urls")


def _submodule(package: str, name: str) -> ModuleType | None:
    if importlib.util.find_spec(f"{package}.{name}") is None:
        return None
    return importlib.import_module(f"{package}.{name}")


def wiring_problems(package: str, capability: Capability | None) -> list[str]:
    """What `package` has that `capability` (its manifest, None when it has none) does not declare,
    and what the manifest declares that does not exist."""
    problems: list[str] = []
    declared_urls = {mount.module for mount in capability.urls} if capability else set()
    declared_routers = {mount.router for mount in capability.api} if capability else set()
    for name in URL_MODULES:
        if _submodule(package, name) is not None and f"{package}.{name}" not in declared_urls:
            problems.append(f"{package}.{name} không được khai báo trong manifest (urls).")
    api = _submodule(package, "api")
    if api is not None and hasattr(api, "router") and f"{package}.api.router" not in declared_routers:
        problems.append(f"{package}.api.router không được khai báo trong manifest (api).")
    tasks = _submodule(package, "tasks")
    if tasks is not None:
        wired = ({job.task for job in capability.jobs} | set(capability.on_demand_tasks)) if capability else set()
        for task in vars(tasks).values():
            if isinstance(task, Task) and task.__module__ == tasks.__name__ and task.name not in wired:
                problems.append(f"Tác vụ {task.name} ({package}.tasks) chưa có lịch chạy (jobs) hoặc chưa ghi là on_demand_tasks.")
    if _submodule(package, "demo") is not None and (capability is None or capability.demo is None):
        problems.append(f"{package}.demo không được khai báo trong manifest (demo).")
    if _submodule(package, "generate") is not None and (capability is None or capability.generator is None):
        problems.append(f"{package}.generate không được khai báo trong manifest (generator).")
    if capability is not None:
        for job in capability.jobs:
            if job.task not in current_app.tasks:
                problems.append(f"Công việc định kỳ “{job.name}” chạy tác vụ {job.task} không tồn tại.")
        demo_functions = [capability.demo.load, capability.demo.finish] if capability.demo else []
        demo_functions += [capability.generator.run] if capability.generator else []
        for dotted in filter(None, demo_functions):
            try:
                import_string(dotted)
            except ImportError:
                problems.append(f"Không tìm thấy hàm dữ liệu mẫu {dotted}.")
    return problems


def project_apps(app_configs: Iterable[AppConfig] | None = None) -> list[AppConfig]:
    """The installed apps whose code is this project's: not Django's nor third parties' apps, even
    when the virtualenv lies inside the project (as CI's .venv does)."""
    base = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()
    return [
        config
        for config in (app_configs or django_apps.get_app_configs())
        if Path(config.path).resolve().is_relative_to(base) and not Path(config.path).resolve().is_relative_to(installed)
    ]


def check_wiring(app_configs: Iterable[AppConfig] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """Django system check: every project app's modules are declared in its manifest, and the
    demo loaders' dependencies exist and form no cycle."""
    errors: list[CheckMessage] = []
    for config in project_apps(app_configs):
        for problem in wiring_problems(config.name, registry.get(config.label)):
            errors.append(Error(problem, hint="Xem docs/adding-a-capability.md.", obj=config.name, id="core.E101"))
    try:
        demo_order()
        generator_order()
    except ImproperlyConfigured as error:
        errors.append(Error(str(error), id="core.E102"))
    return errors
