"""Benchmark of search (S2) and the reports (S3, A3), run by `make bench`; not a test.

Builds the issue's dataset (100 000 meetings, 1 000 units with one account each, 1 000 000 receipt
rows and as many invitations, plus roll calls, answers, documents with downloads, comments and
200 000 sign-ins) in a SQLite file and in a throwaway PostgreSQL database, then times the meeting
list, the public schedule, the statistics, the usage report and the login log through Django's test
client (the whole request: access rules, queries, template or workbook), p50 and p95 over repeated
runs.

    .venv/bin/python scripts/bench_search.py              # both databases
    .venv/bin/python scripts/bench_search.py --run URL    # one database (used internally)
"""

import math
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import benchdb

BASE = Path(__file__).resolve().parent.parent
MEETINGS = int(os.environ.get("BENCH_MEETINGS", 100_000))
UNITS = int(os.environ.get("BENCH_UNITS", 1_000))
PER_MEETING = 10  # invitations and receipts per meeting: 1 000 000 of each
RUNS = int(os.environ.get("BENCH_RUNS", 20))
SIGN_INS = int(os.environ.get("BENCH_SIGN_INS", 200_000))


def timed(client: Any, url: str, params: dict[str, str]) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        began = time.perf_counter()
        response = client.get(url, params)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, response.status_code
    samples.sort()
    # Nearest-rank p95: the smallest sample with at least 95 % of the samples at or below it.
    return statistics.median(samples), samples[math.ceil(len(samples) * 0.95) - 1]


def run_one(url: str) -> None:
    os.environ.update(
        {"DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url, "TASK_SYNC": "0"}
    )
    sys.path.insert(0, str(BASE))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Unit, User
    from accounts.tests.factories import signed_in_client

    now_year = __import__("django.utils.timezone", fromlist=["localdate"]).localdate().year
    from portal.generate import Size, generate

    began = time.perf_counter()
    generate(Size(MEETINGS, UNITS, PER_MEETING, SIGN_INS, showcase=False))
    print(
        f"{connection.vendor:10} built {MEETINGS} meetings, {UNITS} units, "
        f"{MEETINGS * PER_MEETING} invitations and receipts, {SIGN_INS} sign-ins, "
        f"roll calls, documents, downloads and comments in {time.perf_counter() - began:.0f} s"
    )
    connection.cursor().execute("ANALYZE")  # fresh statistics, as after a day of real use
    # Signed in as after the code step of the roles that ask a second factor.
    unit_account = signed_in_client(User.objects.get(username=f"b{Unit.objects.get(code='B1').pk}"))
    clerk = signed_in_client(User.objects.get(username="vanthu"))
    public = Client()
    cases = [
        ("clerk", clerk, "meetings:list", {"q": "hop khong giay"}),
        ("clerk", clerk, "meetings:list", {"q": "ĐƯỜNG TỈNH ngân sách"}),
        ("clerk", clerk, "meetings:list", {"q": "thuế", "tu": "01/01/2026", "den": "31/12/2026"}),
        ("clerk", clerk, "meetings:list", {}),
        ("unit", unit_account, "meetings:list", {"q": "chuyen doi so"}),
        ("unit", unit_account, "meetings:list", {}),
        ("public", public, "meetings:schedule", {"period": "all", "q": "giao ban"}),
        ("public", public, "meetings:schedule", {"period": "upcoming", "q": "du lich"}),
    ]
    year = {"tu": f"01/01/{now_year}", "den": f"31/12/{now_year}"}
    unit_pk = str(Unit.objects.get(code="B1").pk)
    admin = signed_in_client(
        User.objects.create(username="quantri", role="admin", unit=Unit.objects.get(code="VPUBND"))
    )
    cases += [
        ("clerk", clerk, "reports:statistics", year),
        ("clerk", clerk, "reports:statistics", {**year, "don_vi": unit_pk}),
        ("unit", unit_account, "reports:statistics", year),
        ("clerk", clerk, "reports:usage", {"nam": str(now_year), "ky": "ca-nam"}),
        ("clerk", clerk, "reports:usage_xlsx", {"nam": str(now_year), "ky": "6-thang-dau"}),
        ("unit", unit_account, "reports:usage", {"nam": str(now_year), "ky": "ca-nam"}),
        ("admin", admin, "reports:login_log", {}),
        ("admin", admin, "reports:login_log", {"don_vi": unit_pk, "tu": f"01/01/{now_year}"}),
        ("admin", admin, "reports:login_log", {"tai_khoan": "b4"}),
    ]
    for who, client, name, params in cases:
        p50, p95 = timed(client, reverse(name), params)
        shown = "&".join(f"{k}={v}" for k, v in params.items()) or "(no search)"
        figures = f"p50 {p50:6.0f} ms  p95 {p95:6.0f} ms"
        print(f"{connection.vendor:10} {who:6} {name:20} {shown[:45]:45} {figures}")


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--run":
        run_one(sys.argv[2])
        return
    benchdb.on_each_database(__file__)


if __name__ == "__main__":
    main()
