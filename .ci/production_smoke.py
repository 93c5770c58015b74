"""The README's production steps, end to end: collectstatic with the manifest storage, then gunicorn
with DEBUG off on a loopback port, and the main public and staff pages fetched over HTTP. Any 5xx,
an unexpected status, a static file without its hashed name or a timeout fails the run.

    .venv/bin/python .ci/production_smoke.py            # SQLite in a temporary folder
    SMOKE_DATABASE_URL=postgres://… .venv/bin/python .ci/production_smoke.py
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from live_site import PROXY_HEADERS, gunicorn, log, manage, prepare, production_env, query

TIME_BUDGET_SECONDS = 600


class Browser:
    """Just enough of a browser: cookies (Secure ones too, the proxy speaks https) and CSRF."""

    def __init__(self, base: str) -> None:
        self.netloc = urllib.parse.urlsplit(base).netloc
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(self.netloc, timeout=60)
        headers = dict(PROXY_HEADERS)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://127.0.0.1{path}"
            headers["Origin"] = "https://127.0.0.1"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, content


def main() -> int:
    started = time.monotonic()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="grassroots-smoke-") as tmp:
        env = production_env(Path(tmp), database_url=os.environ.get("SMOKE_DATABASE_URL", ""))
        prepare(env)
        manifest = Path(env["STATIC_ROOT"]) / "staticfiles.json"
        if not manifest.exists():
            failures.append("collectstatic wrote no staticfiles.json manifest")
        found = query(
            env,
            "import json; from units.models import Unit; from surveys.models import Stratum; "
            "c = Unit.objects.filter(kind='commune', edition='2024').order_by('code').first(); "
            "s = Stratum.objects.order_by('-form__campaign__state', 'pk').first(); "
            "print(json.dumps({'commune': [c.edition, c.code], 'survey_key': s.open_key if s else ''}))",
        )
        assert isinstance(found, dict)
        edition, code = found["commune"]
        public = {
            "/": {200},
            "/tra-cuu/?q=B%E1%BA%AFc": {200},
            f"/don-vi/{edition}/{code}/": {200},
            "/phan-anh/": {200},
            "/chinh-quyen-than-thien/": {200},
            "/tai-khoan/dang-nhap/": {200},
            "/tai-khoan/quen-mat-khau/": {200},
            "/healthz": {200},
            "/api/openapi.json": {200},
        }
        if found["survey_key"]:
            # The demo's survey campaign is closed: its public page then says so (410), by design.
            public[f"/khao-sat/m/{found['survey_key']}/"] = {200, 410}
        else:
            failures.append("the demo data has no survey")
        staff = ["/staff/", "/staff/chung-nhan/", "/staff/phan-anh/", "/staff/khao-sat/", "/staff/tai-khoan/", "/staff/khoa-api/"]
        with gunicorn(env) as base:
            browser = Browser(base)
            for path, expected in public.items():
                status, _headers, _body = browser.request("GET", path)
                log(f"{status} GET {path}")
                if status not in expected:
                    failures.append(f"GET {path}: {status}, expected {sorted(expected)}")
            for path in staff:
                status, headers, _body = browser.request("GET", path)
                log(f"{status} GET {path} → {headers.get('location', '')}")
                if status != 302 or "/tai-khoan/dang-nhap/" not in headers.get("location", ""):
                    failures.append(f"GET {path} (anonymous): {status}, expected 302 to the login page")
            # Static files: the pages link the hashed names from the manifest, and those are served.
            _status, _headers, home = browser.request("GET", "/")
            assets = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', home.decode())))
            if not assets:
                failures.append("the home page links no static file")
            for asset in assets:
                status, headers, _body = browser.request("GET", asset)
                hashed = re.search(r"\.[0-9a-f]{12}\.\w+$", asset) is not None
                log(f"{status} GET {asset} ({headers.get('cache-control', '')})")
                if status != 200 or not hashed:
                    failures.append(f"GET {asset}: {status}, hashed name: {hashed}")
            # Signing in works with production settings (CSRF, secure cookies): the demo province
            # officer opens the one-time enrolment link an operator issued, signs in with the
            # password, and is sent on to set up the second factor (the QR page answers 200).
            enrolment = manage(env, "enrolment_link", "tinh.thuongtruc").splitlines()[0]
            status, headers, _body = browser.request("GET", enrolment)
            log(f"{status} GET {enrolment[:40]}… → {headers.get('location', '')}")
            if status != 302:
                failures.append(f"GET enrolment link: {status}, expected 302 to the login page")
            browser.request("GET", "/tai-khoan/dang-nhap/")
            status, headers, _body = browser.request(
                "POST",
                "/tai-khoan/dang-nhap/",
                {
                    "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
                    "username": "tinh.thuongtruc",
                    "password": "demo-Grassroots-2024",
                },
            )
            log(f"{status} POST /tai-khoan/dang-nhap/ → {headers.get('location', '')}")
            if status != 302 or "/tai-khoan/xac-thuc/" not in headers.get("location", ""):
                failures.append(f"POST login: {status} → {headers.get('location', '')}, expected 302 to the second factor")
            else:
                status, headers_setup, body = browser.request("GET", headers["location"])
                log(f"{status} GET {headers['location']} ({headers_setup.get('cache-control', '')})")
                if status != 200 or b"data:image/svg+xml" not in body or "no-store" not in headers_setup.get("cache-control", ""):
                    failures.append(f"GET {headers['location']} after login: {status}, expected the uncached QR page")
                # The phone's app shows the current code; entered, the session is verified and the
                # staff pages open.
                code = query(
                    env,
                    "import json; from django_otp.oath import totp; from django_otp.plugins.otp_totp.models import TOTPDevice; "
                    "d = TOTPDevice.objects.get(user__username='tinh.thuongtruc', confirmed=False); "
                    "print(json.dumps(f'{totp(d.bin_key, step=d.step, t0=d.t0, digits=d.digits):06d}'))",
                )
                confirm = {"csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""), "token": str(code)}
                status, headers, _body = browser.request("POST", "/tai-khoan/xac-thuc/thiet-lap/", confirm)
                log(f"{status} POST /tai-khoan/xac-thuc/thiet-lap/ → {headers.get('location', '')}")
                for path in staff:
                    status, _headers, _body = browser.request("GET", path)
                    log(f"{status} GET {path} (verified staff session)")
                    if status != 200:
                        failures.append(f"GET {path} (verified province officer): {status}, expected 200")
            if time.monotonic() - started > TIME_BUDGET_SECONDS:
                failures.append(f"the smoke test took longer than {TIME_BUDGET_SECONDS} s")
    for failure in failures:
        print("FAIL:", failure)
    log(f"{'FAILED' if failures else 'OK'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
