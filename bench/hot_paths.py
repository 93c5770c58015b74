"""Issue 17: each hot path beside its baseline, in one invocation, on the same machine, with ratios.

    .venv/bin/python bench/hot_paths.py --demo-db postgres://postgres@127.0.0.1:5432/demo \
        [--scale-db postgres://postgres@127.0.0.1:5432/national] [--seconds 20]

`--demo-db` holds the demo data (migrate + load_demo); `--scale-db` the national-scale data set
(manage.py generate_national). Prints:

1. public feedback submit, JSON API (/api/v1/feedback/cases) and Open311 (requests.json), beside a
   bare Django insert of the same row (bench/urls.py), served by gunicorn with 2 workers: the
   throughput of 4 clients in a closed loop, and the latency (p50/p95) of an open loop at 50
   requests per second (each request timed from its scheduled start). Targets: throughput ≥ 15 %
   of the bare insert's, p95 < 150 ms;
2. the public commune page and the home page beside a bare page running the same number of
   queries (bench/urls.py), same server, closed loop; the page's query count for two communes (it
   must not grow with the data). Target: ≥ 30 % of the bare page's throughput;
3. every staff page of the menu as the demo province's standing office, rendered in-process: best
   of 3 wall times, under 1 s each;
4. the feedback dashboard's reads on the national-scale data: the summary tables (what the page
   reads) beside the same figures counted from the cases through the ORM and a raw SQL aggregate
   over the cases; best of 3. Target (issue 17): p95 under 500 ms at national scale.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / ".ci")]

from live_site import PROXY_HEADERS, gunicorn, manage, production_env  # noqa: E402

RATE = 50  # requests per second in the open loop
CLIENTS = 4  # concurrent clients in the closed loop


# --- HTTP load ------------------------------------------------------------------------------
def _request(host: str, method: str, url: str, body: bytes | None, headers: dict[str, str]) -> int:
    """One request on a connection of its own (gunicorn's sync workers close it after each
    response); a timeout or a refused connection counts as status 599."""
    connection = http.client.HTTPConnection(host, timeout=60)
    try:
        connection.request(method, url, body=body, headers={**PROXY_HEADERS, **headers})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 599
    finally:
        connection.close()


def closed_loop(base: str, make: Callable[[int], tuple[str, str, bytes | None, dict[str, str]]], seconds: float) -> dict[str, Any]:
    """CLIENTS threads sending one request after another for `seconds`: requests per second."""
    host = base.removeprefix("http://")
    done: list[float] = []
    errors: list[int] = []
    stop = time.monotonic() + seconds
    counter = iter(range(10**9))
    lock = threading.Lock()

    def client() -> None:
        while time.monotonic() < stop:
            with lock:
                i = next(counter)
            started = time.perf_counter()
            status = _request(host, *make(i))
            (done if status < 400 else errors).append(time.perf_counter() - started)

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"rps": len(done) / elapsed, "errors": len(errors), "n": len(done)}


def open_loop(base: str, make: Callable[[int], tuple[str, str, bytes | None, dict[str, str]]], seconds: float) -> dict[str, Any]:
    """RATE requests per second for `seconds`, each timed from its scheduled start (so a slow
    server's queue counts): p50, p95, errors."""
    host = base.removeprefix("http://")
    total = int(RATE * seconds)
    start = time.perf_counter() + 0.2
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    slots = iter(range(total))

    def worker() -> None:
        while True:
            with lock:
                i = next(slots, None)
            if i is None:
                return
            due = start + i / RATE
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            status = _request(host, *make(i))
            (latencies if status < 400 else errors).append(time.perf_counter() - due)

    threads = [threading.Thread(target=worker) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    latencies.sort()
    p = (lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000) if latencies else (lambda q: float("nan"))
    return {"p50": p(0.5), "p95": p(0.95), "errors": len(errors), "n": len(latencies)}


# --- Django in-process --------------------------------------------------------------------------
def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - started)
        queries = len(captured.captured_queries)
    return best, queries


def setup_django(database_url: str) -> None:
    os.environ.update({"DATABASE_URL": database_url, "DEBUG": "1", "OTP_REQUIRED": "0", "DJANGO_SETTINGS_MODULE": "bench.settings"})
    os.environ.setdefault("FEEDBACK_SUBMIT_PER_HOUR", "100000000")
    import django

    django.setup()


def page_queries(paths: list[str]) -> list[int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_X_FORWARDED_PROTO="https")
    counts = []
    for url in paths:
        client.get(url)  # warm caches as the server's would be
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        counts.append(len(captured.captured_queries))
    return counts


# --- Sections -------------------------------------------------------------------------------
def section_server(args: argparse.Namespace) -> None:
    from django.db.models import Count

    from feedback.models import Case
    from units.models import Unit, UnitKind

    communes = list(
        Unit.objects.in_force().filter(kind=UnitKind.COMMUNE, edition="2025").annotate(n=Count("children")).order_by("-n", "code")
    )
    big, small = communes[0], communes[-1]
    commune_url = lambda u: f"/don-vi/{u.edition}/{u.code}/"  # noqa: E731
    q_big, q_small, q_home = page_queries([commune_url(big), commune_url(small), "/"])
    print(f"commune page queries: {q_big} ({big.name}, {big.n} villages) / {q_small} ({small.name}, {small.n}); home {q_home}")
    before = Case.objects.count()

    def json_submit(i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        body = {"category": "facilities", "commune_code": big.code, "description": f"Đèn đường thôn {i} hỏng đã lâu chưa được thay."}
        headers = {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())}
        return "POST", "/api/v1/feedback/cases", json.dumps(body).encode(), headers

    def open311_submit(i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        form = f"service_code=facilities&attribute%5Bcommune%5D={big.code}&description=Den+duong+thon+{i}+hong+da+lau+chua+duoc+thay."
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": str(uuid.uuid4())}
        return "POST", "/phan-anh/open311/v2/requests.json", form.encode(), headers

    def bare_insert(i: int) -> tuple[str, str, bytes | None, dict[str, str]]:
        body = {"category": "facilities", "unit_id": big.pk, "description": f"Đèn đường thôn {i} hỏng đã lâu chưa được thay."}
        return "POST", "/bench/bare-insert/", json.dumps(body).encode(), {"Content-Type": "application/json"}

    get = lambda url: lambda i: ("GET", url, None, {})  # noqa: E731
    env = production_env(Path(args.workdir), database_url=args.demo_db)
    env.update({"DJANGO_SETTINGS_MODULE": "bench.settings", "FEEDBACK_SUBMIT_PER_HOUR": "100000000", "LOG_LEVEL": "WARNING"})
    manage(env, "collectstatic", "--noinput")  # DEBUG off: pages need the manifest
    with gunicorn(env, workers=2, boot_timeout=300) as base:
        for make in (json_submit, open311_submit, bare_insert, get(commune_url(big)), get("/")):
            closed_loop(base, make, 2)  # warm up both workers
        rows = {}
        for name, make in (("submit JSON", json_submit), ("submit Open311", open311_submit), ("bare insert", bare_insert)):
            rows[name] = closed_loop(base, make, args.seconds) | open_loop(base, make, args.seconds)
            print(f"  measured {name}: {rows[name]}", flush=True)  # as it comes: a loaded machine may take long
        bare = rows["bare insert"]
        print(f"\n== Public submit (gunicorn -w 2, {CLIENTS} clients closed loop; open loop at {RATE} req/s, {args.seconds:g} s each)")
        for name, r in rows.items():
            ratio = r["rps"] / bare["rps"]
            verdict = (
                ""
                if name == "bare insert"
                else f"  ratio {ratio:.0%} (≥15 %: {'yes' if ratio >= 0.15 else 'NO'}); p95<150 ms: {'yes' if r['p95'] < 150 else 'NO'}"
            )
            print(f"{name:15} {r['rps']:7.1f} req/s  p50 {r['p50']:6.0f} ms  p95 {r['p95']:6.0f} ms  errors {r['errors']}{verdict}")
        pages = {
            "commune page": (get(commune_url(big)), get(f"/bench/bare-page/{q_big}/")),
            "home page": (get("/"), get(f"/bench/bare-page/{q_home}/")),
        }
        print(f"\n== Public pages (closed loop, {CLIENTS} clients, {args.seconds:g} s each)")
        for name, (real, bare_page) in pages.items():
            r, b = closed_loop(base, real, args.seconds), closed_loop(base, bare_page, args.seconds)
            ratio = r["rps"] / b["rps"]
            verdict = "yes" if ratio >= 0.3 else "NO"
            print(f"{name:13} {r['rps']:7.1f} req/s; bare page, same queries: {b['rps']:7.1f} req/s; ratio {ratio:.0%} (≥30 %: {verdict})")
    print(f"(cases added by the run: {Case.objects.count() - before})")


def section_staff(args: argparse.Namespace) -> None:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import Role, RoleAssignment
    from core import navigation

    office = RoleAssignment.objects.filter(role=Role.PROVINCE_OFFICE).select_related("user", "unit").order_by("-unit__edition").first()
    assert office is not None, "no standing office in the demo data"
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(office.user)
    urls = []
    for entry in navigation._ENTRIES:
        try:
            urls.append(reverse(entry.url_name))
        except NoReverseMatch:
            continue
    print(f"\n== Staff pages as {office.user} ({office.unit}), in-process, best of 3")
    slow = 0
    for url in sorted(set(urls)):
        status = client.get(url).status_code
        seconds, queries = best_of(lambda url=url: client.get(url))
        slow += seconds >= 1
        print(f"{url:55} {status} {seconds * 1000:7.0f} ms {queries:4d} queries {'' if seconds < 1 else '  OVER 1 s'}")
    print(f"staff pages over 1 s: {slow} of {len(set(urls))}")


def section_dashboards(args: argparse.Namespace) -> None:
    import datetime as dt

    from django.db import connection

    from feedback import queries
    from feedback.models import Case
    from units.models import Unit, UnitKind

    nation = Unit.objects.filter(kind=UnitKind.NATION).first()
    provinces = list(Unit.objects.filter(kind=UnitKind.PROVINCE, edition="2025"))
    biggest = max(provinces, key=lambda p: Unit.objects.filter(path__startswith=p.path).count())
    end = Case.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    end = end.date() if end else dt.date.today()
    print(
        f"\n== Feedback dashboard reads on {Case.objects.count()} cases, best of 3 (summary tables / ORM over cases / raw SQL over cases)"
    )

    def raw_sql(unit: Unit, start: dt.date, stop: dt.date) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*), count(c.answered_at), count(*) FILTER (WHERE c.answered_on_time),"
                " count(*) FILTER (WHERE c.reopen_count > 0), count(*) FILTER (WHERE c.escalation_level > 0)"
                " FROM feedback_case c JOIN units_unit u ON u.id = c.concerned_unit_id"
                " WHERE u.path LIKE %s AND c.received_at >= %s AND c.received_at < %s",
                [unit.path + "%", start, stop + dt.timedelta(days=1)],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT u.path, count(*) FROM feedback_case c JOIN units_unit u ON u.id = c.concerned_unit_id"
                " WHERE u.path LIKE %s AND c.received_at >= %s AND c.received_at < %s GROUP BY u.path",
                [unit.path + "%", start, stop + dt.timedelta(days=1)],
            )
            cursor.fetchall()

    def compare(label: str, unit: Unit, start: dt.date) -> None:
        def summary() -> None:
            queries.figures(unit=unit, start=start, end=end)
            queries.child_figures(unit=unit, start=start, end=end)

        def cases() -> None:
            queries.figures(unit=unit, start=start, end=end, from_cases=True)
            queries.child_figures(unit=unit, start=start, end=end, from_cases=True)

        s, q_s = best_of(summary)
        o, q_o = best_of(cases, repeat=2)
        r, q_r = best_of(lambda: raw_sql(unit, start, end), repeat=2)
        print(
            f"{label}, {(end - start).days} days: summaries {s * 1000:7.0f} ms ({q_s} q); ORM over cases {o * 1000:7.0f} ms ({q_o} q);"
            f" raw SQL over cases {r * 1000:7.0f} ms ({q_r} q); cases/summaries {o / s:5.1f}x; raw/summaries {r / s:5.1f}x;"
            f" under 500 ms: {'yes' if s < 0.5 else 'NO'}"
        )

    for label, unit in (("province " + biggest.name, biggest), ("nation", nation)):
        if unit is not None:
            for days in (365, 365 * 3):
                compare(label, unit, end - dt.timedelta(days=days))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--demo-db", required=True, help="database URL with the demo data")
    parser.add_argument("--scale-db", default="", help="database URL with the national-scale data (generate_national)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each load run")
    parser.add_argument("--only", nargs="*", default=["server", "staff", "dashboards"])
    parser.add_argument("--workdir", default="/tmp/grassroots-bench")
    args = parser.parse_args()
    now = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start; {now}")
    if "dashboards" in args.only and args.scale_db:
        # A process of its own: Django binds one database per process.
        subprocess.run([sys.executable, __file__, "--demo-db", args.scale_db, "--only", "dashboards-here"], check=True)
    if "dashboards-here" in args.only:
        setup_django(args.demo_db)
        section_dashboards(args)
        return
    setup_django(args.demo_db)
    if "server" in args.only:
        section_server(args)
    if "staff" in args.only:
        section_staff(args)
    if "dashboards" in args.only and not args.scale_db:
        section_dashboards(args)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
