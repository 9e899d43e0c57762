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
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import benchdb

BASE = Path(__file__).resolve().parent.parent
MEETINGS = int(os.environ.get("BENCH_MEETINGS", 100_000))
UNITS = int(os.environ.get("BENCH_UNITS", 1_000))
PER_MEETING = 10  # invitations and receipts per meeting: 1 000 000 of each
RUNS = int(os.environ.get("BENCH_RUNS", 20))
SIGN_INS = int(os.environ.get("BENCH_SIGN_INS", 200_000))

WORDS = [
    "giao ban", "chuyển đổi số", "họp không giấy", "kinh tế - xã hội", "đường tỉnh",
    "ngân sách", "phòng chống thiên tai", "đầu tư công", "cải cách hành chính", "y tế",
    "giáo dục", "nông thôn mới", "quy hoạch", "an toàn giao thông", "thuế", "đất đai",
    "môi trường", "du lịch", "văn hoá", "lao động",
]  # fmt: skip


def build(clerk_unit: Any) -> None:
    from accounts.models import Unit, User
    from catalogs.models import MeetingForm, MeetingType
    from core.text import fold
    from meetings.models import Invitation, Meeting, Receipt

    rng = random.Random(7)
    units = Unit.objects.bulk_create(
        [Unit(code=f"B{i}", name=f"Sở thử nghiệm {i}", kind="department") for i in range(UNITS)]
    )
    users = User.objects.bulk_create(
        [User(username=f"b{u.pk}", kind="unit", role="unit_clerk", unit=u) for u in units]
    )
    kind = MeetingType.objects.get(code="thuong-ky")
    form = MeetingForm.objects.get(code="truc-tiep")
    clerk = User.objects.get(username="vanthu")
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    batch = 5000
    for start in range(0, MEETINGS, batch):
        rows = []
        for i in range(start, min(start + batch, MEETINGS)):
            a, b = rng.sample(WORDS, 2)
            title = f"Họp {a} và {b} số {i}"
            agenda = f"Báo cáo {rng.choice(WORDS)}; kế hoạch {rng.choice(WORDS)}."
            begin = now + timedelta(hours=rng.randint(-24 * 700, 24 * 60))
            rows.append(
                Meeting(
                    title=title,
                    agenda=agenda,
                    start_at=begin,
                    end_at=begin + timedelta(hours=2),
                    form=form,
                    type=kind,
                    organiser_unit=clerk_unit,
                    created_by=clerk,
                    status="published",
                    published_at=begin - timedelta(days=5),
                    search_title=fold(title),
                    search_public=fold(f"{title} {clerk_unit.name}"),
                    search_all=fold(f"{title} {clerk_unit.name} {agenda}"),
                )
            )
        made = Meeting.objects.bulk_create(rows)
        invitations, receipts = [], []
        for meeting in made:
            for unit_index in rng.sample(range(UNITS), PER_MEETING):
                invitations.append(Invitation(meeting=meeting, unit=units[unit_index]))
                receipts.append(
                    Receipt(
                        meeting=meeting,
                        user=users[unit_index],
                        unit=units[unit_index],
                        first_viewed_at=meeting.start_at - timedelta(days=1),
                        last_viewed_at=meeting.start_at - timedelta(days=1),
                        view_count=1,
                    )
                )
        Invitation.objects.bulk_create(invitations, batch_size=2000)
        Receipt.objects.bulk_create(receipts, batch_size=2000)
        activity(rng, made, invitations, users, clerk)
    sign_ins(rng, units, users, now)


def activity(
    rng: random.Random, meetings: list[Any], invitations: list[Any], users: list[Any], clerk: Any
) -> None:
    """What the reports count besides receipts: a roll call for every third past meeting,
    answers, one document on every tenth meeting with downloads, comments."""
    from attendance.models import Presence, Reply
    from comments.models import Comment
    from documents.models import Document, DocumentVersion, Download

    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    by_meeting: dict[int, list[Any]] = {}
    for invitation in invitations:
        by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
    presences, replies, comments, documents = [], [], [], []
    for index, meeting in enumerate(meetings):
        past = meeting.start_at < now
        for invitation in by_meeting[meeting.pk]:
            if index % 5 == 0:
                replies.append(
                    Reply(
                        invitation=invitation,
                        by=clerk,
                        declined=(declined := rng.random() < 0.1),
                        decline_reason="Trùng lịch" if declined else "",
                    )
                )
            if past and index % 3 == 0:
                status = "present" if rng.random() < 0.8 else "absent"
                presences.append(
                    Presence(
                        invitation=invitation,
                        status=status,
                        reason="Ốm" if status == "absent" else "",
                        marked_by=clerk,
                    )
                )
        if index % 10 == 0:
            documents.append(
                Document(meeting=meeting, title=f"Tài liệu {meeting.pk}", created_by=clerk)
            )
        if index % 2 == 0:
            unit_index = rng.randrange(len(users))
            comments.append(
                Comment(
                    meeting=meeting,
                    author=users[unit_index],
                    unit=users[unit_index].unit,
                    body="Góp ý thử nghiệm",
                )
            )
    Reply.objects.bulk_create(replies, batch_size=2000)
    Presence.objects.bulk_create(presences, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    Document.objects.bulk_create(documents, batch_size=2000)
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                file="bench.pdf",
                original_name="bench.pdf",
                content_type="application/pdf",
                size=1000,
                uploaded_by=clerk,
            )
            for d in documents
        ],
        batch_size=2000,
    )
    downloads = []
    for document, version in zip(documents, versions, strict=True):
        for _ in range(10):
            user = users[rng.randrange(len(users))]
            downloads.append(
                Download(
                    document=document,
                    version=version,
                    meeting=document.meeting,
                    user=user,
                    unit=user.unit,
                    at=document.meeting.start_at - timedelta(days=1),
                )
            )
    Download.objects.bulk_create(downloads, batch_size=2000)


def sign_ins(rng: random.Random, units: list[Any], users: list[Any], now: Any) -> None:
    """Sign-ins over two years: SIGN_INS successes, a failure for every tenth."""
    from accounts.models import LoginEvent

    rows = []
    for n in range(SIGN_INS):
        index = rng.randrange(len(users) // 2)  # half of the units never sign in
        kind = "failure" if n % 10 == 0 else "success"
        rows.append(
            LoginEvent(
                kind=kind,
                user=users[index],
                unit=units[index],
                username_tried=users[index].username,
                ip_address="10.0.0.1",
                user_agent="Mozilla/5.0",
                at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 700)),
            )
        )
        if len(rows) == 5000:
            LoginEvent.objects.bulk_create(rows)
            rows = []
    LoginEvent.objects.bulk_create(rows)


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

    office = Unit.objects.create(
        code="VP", name="Văn phòng UBND tỉnh", kind="provincial_office", may_organise=True
    )
    User.objects.create(username="vanthu", role="clerk", unit=office)
    now_year = __import__("django.utils.timezone", fromlist=["localdate"]).localdate().year
    began = time.perf_counter()
    build(office)
    print(
        f"{connection.vendor:10} built {MEETINGS} meetings, {UNITS} units, "
        f"{MEETINGS * PER_MEETING} invitations and receipts, {SIGN_INS} sign-ins, "
        f"roll calls, documents, downloads and comments in {time.perf_counter() - began:.0f} s"
    )
    connection.cursor().execute("ANALYZE")  # fresh statistics, as after a day of real use
    unit_account = Client()
    unit_account.force_login(User.objects.get(username=f"b{Unit.objects.get(code='B1').pk}"))
    clerk = Client()
    clerk.force_login(User.objects.get(username="vanthu"))
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
    admin = Client()
    admin.force_login(
        User.objects.create(
            username="quantri", role="admin", unit=office, is_superuser=True, is_staff=True
        )
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
