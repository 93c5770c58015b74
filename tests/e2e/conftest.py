"""Browser tests: Playwright for Python driving Debian's Chromium against the live test server.

Screenshots are kept under test-artifacts/screenshots/ for a person to look at. `check_a11y(page)`
runs the vendored axe-core and fails on serious or critical violations."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the test itself still talks to the
# database synchronously to arrange data, which Django allows only with this flag.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., object]]:  # type: ignore[no-untyped-def]
    contexts = []

    def make(viewport: dict[str, int] | None = None, locale: str = "vi-VN") -> object:
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale, timezone_id="Asia/Ho_Chi_Minh", base_url=live_server.url)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


@pytest.fixture
def phone_page(new_page):  # type: ignore[no-untyped-def]
    return new_page(PHONE)


def screenshot(page, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_a11y(page) -> None:  # type: ignore[no-untyped-def]
    """Run axe-core on the page; fail on serious or critical violations, naming them."""
    # Loaded from our own static files, so the page's strict CSP (script-src 'self') allows it.
    page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "; ".join(f"{v['id']} ({v['impact']}): {v['help']} – {[n['target'] for n in v['nodes'][:3]]}" for v in bad)
    assert not bad, f"accessibility violations on {page.url}: {details}"


def totp_now(user) -> str:  # type: ignore[no-untyped-def]
    """The current code of the user's confirmed authenticator, as their phone would show it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def login(page, user, password: str = "mat-khau-thu-nghiem-1") -> None:  # type: ignore[no-untyped-def]
    """Log in through the real form with username, password and the authenticator code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    # A code is accepted once per 30-second step; a test that logs the same user in twice within
    # one step starts the second login as if the next step had come.
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.goto("/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.get_by_label("Mã xác thực 6 số").fill(totp_now(user))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/staff/**")
