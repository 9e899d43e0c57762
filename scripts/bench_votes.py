"""Votes in the meeting room through the real stack, run by `make bench`; not a test.

A throwaway PostgreSQL database holds a published meeting in progress with 500 invited persons,
each with a personal account (role "member") and marked present in the roll, and the meeting's
secretary (role "secretary"): neither role needs the second factor, so the two-factor setting
stays as in production. The sessions are written in this process straight into Django's session
store (what django.contrib.auth.login keeps, and the row of the list of signed-in sessions; no
login page, no password hashing) and their cookies handed to the HTTP clients.

gunicorn with the production settings (scripts/bench_stack/votes_settings.py: the plain static
files storage, no collectstatic) on 2 workers (gthread, 4 threads each) serves the phones and the
room's screen:
- the secretary opens a named vote; the 500 voters arrive spread over 10 seconds, each on its own
  keep-alive connection: the ballot page (for its CSRF token), then the cast POST as the page's
  htmx sends it (answered in place with the ballots); one voter in ten submits twice at once on a
  second connection (a double tap);
- meanwhile a poller acts as the screen (`room:screen_fragment`, polled twice a second with the
  last ETag, as the page's htmx does) and times, for each change, the delay from its commit to
  the first poll answer that shows it: each ballot (the count on the screen), the vote opened and
  closed, the floor given to a speaker (while the ballots arrive, then in a quiet room);
- each voter's page polls its result (`voting:outcome`) every 5 seconds from its load with the
  last ETag, as the page's htmx does, until the closed vote's result shows: the load it adds
  while the ballots arrive, and how soon the result reaches every phone;
- then one unchanged poll (the 304), a changed one and a voter's ballot page against the bare
  Django view of scripts/bench_stack, served by the same gunicorn, interleaved, one client.
Checks that every ballot counted once: 500 participations, tallies summing to 500, every answer
either accepted or refused as a duplicate.

    .venv/bin/python scripts/bench_votes.py

Environment: BENCH_PG_URL (the server, default postgres://postgres@127.0.0.1:5432/...),
BENCH_VOTERS (500), BENCH_VOTE_SECONDS (10: the spread of arrivals; 0 for all at once),
BENCH_POLL_SECONDS (0.5, the screen's interval as its page polls), BENCH_POLL_SAMPLES (200),
BENCH_THREADS (4).
"""

import heapq
import html
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from bench_load import BASE, HERE, PG, PY, environment

VOTERS = int(os.environ.get("BENCH_VOTERS", 500))
SPREAD = float(os.environ.get("BENCH_VOTE_SECONDS", 10))
POLL_EVERY = float(os.environ.get("BENCH_POLL_SECONDS", 0.5))
POLL_SAMPLES = int(os.environ.get("BENCH_POLL_SAMPLES", 200))
WORKERS = 2
THREADS = int(os.environ.get("BENCH_THREADS", 4))
DOUBLE_EVERY = 10  # one voter in ten submits twice
CLIENT_THREADS = 64
SPEAKERS = "ABCDEF"  # the floor is given to these, three while ballots arrive, three after


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


# ---- HTTP ---------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str
    sent: float
    received: float

    @property
    def ms(self) -> float:
        return (self.received - self.sent) * 1000

    def cookies(self) -> dict[str, str]:
        found = {}
        for line in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            found[name.strip()] = rest.split(";", 1)[0]
        return found


class Browser:
    """One device: a keep-alive connection and its cookies."""

    def __init__(self, port: int, cookies: dict[str, str]) -> None:
        self.port = port
        self.cookies = dict(cookies)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        body = urlencode(form, doseq=True) if form is not None else None
        head = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            head["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            sent = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=head)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: a new one, once, as browsers do
                # (never for a POST, which might have been received).
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if method != "GET" or attempt == 2:
                    raise
        answer = Answer(response.status, response.headers, text, sent, time.perf_counter())
        self.cookies.update(answer.cookies())
        return answer

    def close(self) -> None:
        self.conn.close()


# ---- the voters ---------------------------------------------------------------------------------

ACCEPTED = "Đã ghi nhận phiếu biểu quyết"
# A second submission: refused by the unique constraint (both at once) or by the saved ballot.
REFUSED = ("chỉ biểu quyết một lần", "không cho thay đổi")


@dataclass
class Phones:
    """What the voters saw: latencies by request kind, answers, errors."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    ms: dict[str, list[float]] = field(default_factory=dict)
    accepted: int = 0
    refused: int = 0
    errors: list[str] = field(default_factory=list)
    first: float = float("inf")
    last: float = 0.0
    requests: int = 0
    # Per voter: the first answer to its cast POST(s); the ballot was committed before it.
    committed: list[float] = field(default_factory=list)
    # Per voter: when its ballot page was loaded, and its cookies (the page then polls its result).
    loaded: list[tuple[float, dict[str, str]]] = field(default_factory=list)

    def note(self, kind: str, answer: Answer) -> None:
        with self.lock:
            self.ms.setdefault(kind, []).append(answer.ms)
            self.first = min(self.first, answer.sent)
            self.last = max(self.last, answer.received)
            self.requests += 1

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def form_fields(page: str) -> tuple[str, str, list[str]]:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    invitation = re.search(r'name="invitation" value="(\d+)"', page)
    options = re.findall(r'name="option" value="(\d+)"', page)
    if not (token and invitation and options):
        raise ValueError("no ballot form on the page")
    return token.group(1), invitation.group(1), options


def cast_once(
    phones: Phones, port: int, cookies: dict[str, str], vote: int, form: dict[str, Any]
) -> float | None:
    """One cast POST as the ballot page's htmx sends it (the ballots come back in place), on a
    connection of its own."""
    browser = Browser(port, cookies)
    try:
        answer = browser.request(
            "POST", f"/bieu-quyet/{vote}/bo-phieu/", form, headers={"HX-Request": "true"}
        )
        phones.note("cast (POST)", answer)
        if answer.status != 200:
            phones.error(f"cast answered {answer.status}")
            return None
        text = html.unescape(answer.body)
        with phones.lock:
            if ACCEPTED in text:
                phones.accepted += 1
            elif any(words in text for words in REFUSED):
                phones.refused += 1
            else:
                phones.errors.append("a cast answered neither accepted nor refused")
        return answer.received
    finally:
        browser.close()


def voter(
    phones: Phones, port: int, cookies: dict[str, str], vote: int, at: float, twice: bool
) -> None:
    time.sleep(max(0.0, at - time.perf_counter()))
    try:
        browser = Browser(port, cookies)
        page = browser.request("GET", f"/bieu-quyet/{vote}/")
        phones.note("ballot page (GET)", page)
        browser.close()
        if page.status != 200:
            phones.error(f"ballot page answered {page.status}")
            return
        token, invitation, options = form_fields(page.body)
        with phones.lock:
            phones.loaded.append((page.received, browser.cookies))
        # Agree, mostly: the first option three times in four.
        option = options[0] if random.random() < 0.75 else random.choice(options[1:])
        form = {"csrfmiddlewaretoken": token, "invitation": invitation, "option": option}
        jar = browser.cookies
        if not twice:
            done = [cast_once(phones, port, jar, vote, form)]
        else:  # a double tap: the same form sent twice at once, on two connections
            with ThreadPoolExecutor(2) as pair:
                both = [pair.submit(cast_once, phones, port, jar, vote, form) for _ in (1, 2)]
                done = [f.result() for f in both]
        answered = [t for t in done if t is not None]
        if answered:
            with phones.lock:
                phones.committed.append(min(answered))
    except Exception as exc:  # reported with the figures
        phones.error(f"{type(exc).__name__}: {exc}")


# ---- the phones waiting for the result ----------------------------------------------------------

RESULT_EVERY = 5.0  # voting.views.OUTCOME_POLL_SECONDS: the page's `every 5s`
RESULT_SHOWN = "Danh sách biểu quyết theo tên"


class ResultPolls(threading.Thread):
    """Each voter's ballot page polls its result part (voting:outcome) every RESULT_EVERY seconds
    from its load, with the last ETag, as its htmx does, until the result shows: the load these
    polls add while the ballots arrive, and how soon the result reaches every phone once the vote
    closes."""

    def __init__(self, port: int, vote: int, phones: Phones) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.phones = port, f"/bieu-quyet/{vote}/cho-ket-qua/", phones
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.ms: dict[int, list[float]] = {}  # by status
        self.shown: list[float] = []  # when each phone received the result
        self.errors: list[str] = []

    def poll(self, cookies: dict[str, str], etag: str) -> tuple[str, bool]:
        browser = Browser(self.port, cookies)
        try:
            answer = browser.request(
                "GET", self.path, headers={"If-None-Match": etag} if etag else {}
            )
        finally:
            browser.close()
        with self.lock:
            self.ms.setdefault(answer.status, []).append(answer.ms)
            if answer.status not in (200, 304):
                self.errors.append(f"result poll answered {answer.status}")
            shown = answer.status == 200 and RESULT_SHOWN in answer.body
            if shown:
                self.shown.append(answer.received)
        return answer.headers.get("ETag", etag), shown

    def run(self) -> None:
        due: list[tuple[float, int]] = []  # a heap of (when, phone)
        etags: dict[int, str] = {}
        started = 0
        with ThreadPoolExecutor(16) as pool:
            running: dict[Future, tuple[float, int]] = {}
            while not self.stop.is_set():
                with self.phones.lock:
                    new = self.phones.loaded[started:]
                for n, (loaded, _cookies) in enumerate(new, started):
                    heapq.heappush(due, (loaded + RESULT_EVERY, n))
                started += len(new)
                now = time.perf_counter()
                while due and due[0][0] <= now:
                    when, n = heapq.heappop(due)
                    cookies = self.phones.loaded[n][1]
                    running[pool.submit(self.poll, cookies, etags.get(n, ""))] = (when, n)
                # Asleep until a poll answers, the next is due or a new phone may have come.
                pause = min(0.05, max(0.0, due[0][0] - now)) if due else 0.05
                if running:
                    finished, _ = wait(running, timeout=pause, return_when=FIRST_COMPLETED)
                else:
                    finished = set()
                    self.stop.wait(pause)
                for future in finished:
                    when, n = running.pop(future)
                    try:
                        etags[n], shown = future.result()
                    except Exception as exc:
                        with self.lock:
                            self.errors.append(f"{type(exc).__name__}: {exc}")
                        shown = False
                    if not shown:  # htmx's `every`: the next one interval after this one
                        heapq.heappush(due, (when + RESULT_EVERY, n))
                if started and not due and not running and started == len(self.phones.loaded):
                    return  # every phone has the result


# ---- the screen ---------------------------------------------------------------------------------


@dataclass
class Shown:
    """What one screen answer showed."""

    received: float
    vote: int | None
    closed: bool
    ballots: int | None
    speaker: str


def screen_state(page: str, received: float) -> Shown:
    vote = re.search(r'data-vote="(\d+)"', page)
    kind = re.search(r'class="vs-kind">([^<]*)<', page)
    ballots = re.search(r'class="vs-(?:sub|big)">\s*([\d.,]+)', page)
    speaker = re.search(r'class="screen-speaker-name[^"]*">([^<]*)<', page)
    return Shown(
        received=received,
        vote=int(vote.group(1)) if vote else None,
        closed=bool(kind and "Kết quả" in html.unescape(kind.group(1))),
        ballots=int(re.sub(r"\D", "", ballots.group(1))) if ballots else None,
        speaker=html.unescape(speaker.group(1)) if speaker else "",
    )


class Screen(threading.Thread):
    """Polls the room's screen every POLL_EVERY seconds, as the page's htmx `every 500ms` does
    (the next poll is due one interval after the last was sent; one still in flight delays the
    next), sending the last ETag; keeps what each 200 showed."""

    def __init__(self, port: int, cookies: dict[str, str], path: str) -> None:
        super().__init__(daemon=True)
        self.browser = Browser(port, cookies)
        self.path = path
        self.stop = threading.Event()
        self.shown: list[Shown] = []
        self.statuses: dict[int, int] = {}
        self.errors: list[str] = []
        self.etag = ""

    def run(self) -> None:
        due = time.perf_counter()
        while not self.stop.is_set():
            headers = {"If-None-Match": self.etag} if self.etag else {}
            try:
                answer = self.browser.request("GET", self.path, headers=headers)
            except Exception as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                answer = None
            if answer is not None:
                self.statuses[answer.status] = self.statuses.get(answer.status, 0) + 1
                if answer.status == 200:
                    self.etag = answer.headers.get("ETag", "")
                    self.shown.append(screen_state(answer.body, answer.received))
                elif answer.status != 304:
                    self.errors.append(f"screen answered {answer.status}")
            # Due one interval after the last was sent; late (an answer slower than the
            # interval): at once, without catching up.
            due = max(due + POLL_EVERY, time.perf_counter())
            self.stop.wait(due - time.perf_counter())

    def first_showing(self, since: float, test: Callable[[Shown], bool]) -> float | None:
        for shown in self.shown:
            if shown.received >= since and test(shown):
                return shown.received
        return None


# ---- the stack ----------------------------------------------------------------------------------


def start_gunicorn(env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603
        [
            PY, "-m", "gunicorn", "config.wsgi:application", "--workers", str(WORKERS),
            "--worker-class", "gthread", "--threads", str(THREADS), "--keep-alive", "5",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "120",
        ],
        cwd=BASE,
        env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/__bare__/")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not answer")


def prepare(env: dict[str, str]) -> None:
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=BASE, env=env, check=True)  # noqa: S603


@dataclass
class Room:
    meeting: Any
    secretary: Any
    voters: list[Any]
    speeches: dict[str, Any]


def build_room() -> Room:
    """The meeting, its 500 present invitees with their accounts, the agenda's first item started
    and six requests to speak; through the services, as the pages make them."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Person, Unit, User
    from attendance.models import Presence
    from meetings.models import AgendaItem, Invitation, Meeting
    from meetings.tests.factories import make_meeting, publish
    from room import services as room_services

    unit = Unit.objects.create(
        code="BENCHVOTE", name="Văn phòng tỉnh (đo biểu quyết)", kind="other"
    )
    clerk = User.objects.create(
        username="vanthu-bench", full_name="Văn thư", role=User.Role.CLERK, unit=unit, password="!"
    )
    secretary = User.objects.create(
        username="thuky-bench",
        full_name="Thư ký",
        role=User.Role.SECRETARY,
        unit=unit,
        password="!",
    )
    persons = Person.objects.bulk_create(
        Person(full_name=f"Đại biểu {i + 1}", unit=unit) for i in range(VOTERS)
    )
    voters = User.objects.bulk_create(
        User(username=f"daibieu{i + 1}", full_name=p.full_name, person=p, unit=unit, password="!")
        for i, p in enumerate(persons)
    )
    meeting = make_meeting(
        by=clerk,
        title="Kỳ họp thường lệ (đo biểu quyết)",
        agenda="Báo cáo tình hình kinh tế - xã hội.\nThông qua nghị quyết.",
        secretary=secretary,
    )
    invitations = Invitation.objects.bulk_create(
        Invitation(meeting=meeting, person=p) for p in persons
    )
    publish(meeting, clerk)
    start = timezone.now() - timedelta(minutes=30)  # in progress
    Meeting.objects.filter(pk=meeting.pk).update(start_at=start, end_at=start + timedelta(hours=3))
    meeting.refresh_from_db()
    Presence.objects.bulk_create(
        Presence(invitation=i, status=Presence.Status.PRESENT, marked_by=secretary)
        for i in invitations
    )
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position"))
    if not items:
        items = [AgendaItem.objects.create(meeting=meeting, position=1, title="Thông qua")]
    room_services.item_start(meeting=meeting, item=items[-1], by=secretary)
    speeches = {
        letter: room_services.floor_request(
            meeting=meeting,
            item=items[-1],
            by=voters[n],
            invitation=invitations[n],
            name=f"Phát biểu {letter}",
        )
        for n, letter in enumerate(SPEAKERS)
    }
    return Room(meeting, secretary, voters, speeches)


def sessions(users: list[Any]) -> list[dict[str, str]]:
    """A signed-in session per account, written straight into the session engine's table and
    cache with what django.contrib.auth.login keeps in it, and its row in the list of signed-in
    sessions (with the cache's "seen within the minute" mark, as after the login page)."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.core.cache import cache, caches
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import UserSession
    from accounts.sessions import TOUCH_EVERY, seen_mark

    now = timezone.now()
    expires = now + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    store = SessionStore()
    keys = [get_random_string(32, VALID_KEY_CHARS) for _ in users]
    Session.objects.bulk_create(
        Session(
            session_key=key,
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=expires,
        )
        for key, user in zip(keys, users, strict=True)
    )
    UserSession.objects.bulk_create(
        UserSession(session_key=key, user=user, ip_address="127.0.0.1", user_agent="bench")
        for key, user in zip(keys, users, strict=True)
    )
    cache.set_many({seen_mark(key): True for key in keys}, TOUCH_EVERY.total_seconds())
    # The session engine (cached_db) writes a new session to its cache as well as to the table,
    # as after the login page: the phones' first requests then read it from there.
    caches[settings.SESSION_CACHE_ALIAS].set_many(
        {
            KEY_PREFIX + key: {
                SESSION_KEY: str(user.pk),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[-1],
                HASH_SESSION_KEY: user.get_session_auth_hash(),
            }
            for key, user in zip(keys, users, strict=True)
        },
        settings.SESSION_COOKIE_AGE,
    )
    return [{settings.SESSION_COOKIE_NAME: key} for key in keys]


# ---- the run ------------------------------------------------------------------------------------


def run(env: dict[str, str]) -> None:
    began = time.perf_counter()
    prepare(env)
    os.environ.update(env)
    sys.path[:0] = [str(HERE), str(BASE)]
    import django

    django.setup()
    from voting import services as vote_services
    from voting.models import Choice, Option, Participation, Vote

    room = build_room()
    signed = time.perf_counter()
    cookies = sessions([room.secretary, *room.voters])
    screen_cookies, voter_cookies = cookies[0], cookies[1:]
    signed = time.perf_counter() - signed
    print(
        f"set up in {time.perf_counter() - began:.0f} s (of which {len(cookies)} sessions made "
        f"directly in {signed:.1f} s)",
        flush=True,
    )

    from room import services as room_services

    port = free_port()
    app = start_gunicorn(env, port)
    try:
        screen_path = f"/cuoc-hop/{room.meeting.pk}/man-hinh/khung/"
        warm = Browser(port, screen_cookies)
        for path in ("/__bare__/", screen_path) * 8:
            warm.request("GET", path)
        warm.close()

        print(f"gunicorn up on port {port}; the screen polls, the vote opens", flush=True)
        screen = Screen(port, screen_cookies, screen_path)
        screen.start()
        changes: list[tuple[str, float, Callable[[Shown], bool]]] = []

        def give_floor(letter: str, kind: str) -> None:
            room_services.floor_give(speech=room.speeches[letter], by=room.secretary)
            name = f"Phát biểu {letter}"
            changes.append((kind, time.perf_counter(), lambda s: s.speaker.startswith(name)))

        time.sleep(2 * POLL_EVERY)
        vote = vote_services.vote_open(
            meeting=room.meeting, by=room.secretary, question="Thông qua nghị quyết kỳ họp"
        )
        changes.append(("vote opened", time.perf_counter(), lambda s: s.vote == vote.pk))
        time.sleep(1.5 * POLL_EVERY)

        phones = Phones()
        results = ResultPolls(port, vote.pk, phones)
        results.start()
        start = time.perf_counter() + 0.2
        doubles = set(random.sample(range(VOTERS), VOTERS // DOUBLE_EVERY))
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            for n, jar in enumerate(voter_cookies):
                at = start + random.uniform(0, SPREAD)
                pool.submit(voter, phones, port, jar, vote.pk, at, n in doubles)
            for k, letter in enumerate(SPEAKERS[:3], 1):
                time.sleep(max(0.0, start + SPREAD * k / 4 - time.perf_counter()))
                give_floor(letter, "floor given, ballots arriving")
        print(f"ballots cast in {time.perf_counter() - start:.1f} s; closing", flush=True)
        vote_services.vote_close(vote=vote, by=room.secretary)
        closed_at = time.perf_counter()
        changes.append(("vote closed", closed_at, lambda s: s.closed))
        for letter in SPEAKERS[3:]:
            time.sleep(random.uniform(1.5, 2.5) * POLL_EVERY)
            give_floor(letter, "floor given, quiet room")
        time.sleep(2.5 * POLL_EVERY)
        screen.stop.set()
        screen.join()
        results.join(timeout=3 * RESULT_EVERY)
        results.stop.set()

        ballot = (voter_cookies[-1], f"/bieu-quyet/{vote.pk}/")
        polls = poll_cost(port, screen_cookies, screen_path, screen.etag, ballot)
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)

    # ---- what the database holds -------------------------------------------------------------
    closed = Vote.objects.get(pk=vote.pk)
    ballots = Participation.objects.filter(vote=vote).count()
    distinct = Participation.objects.filter(vote=vote).values("invitation").distinct().count()
    tallies = sum(Option.objects.filter(vote=vote).values_list("tally", flat=True))
    named = Choice.objects.filter(vote=vote).count()
    report(phones, screen, changes, polls)
    report_results(results, closed_at)
    counted_ok = ballots == distinct == tallies == named == closed.final_ballots == VOTERS
    answers_ok = phones.accepted == VOTERS and phones.refused == len(doubles)
    print(
        f"\ncounted: {ballots} ballots for {VOTERS} voters ({distinct} distinct invitations), "
        f"tallies sum {tallies}, named choices {named}, final count {closed.final_ballots}; "
        f"answers: {phones.accepted} accepted, {phones.refused} refused as a second submission "
        f"(of {len(doubles)} voters submitting twice at once) -> "
        f"{'OK' if counted_ok and answers_ok else 'WRONG'}"
    )
    figures_to(phones, counted_ok and answers_ok, ballots, screen, changes)
    if not (counted_ok and answers_ok) or phones.errors:
        sys.exit(1)


def screen_delays(
    phones: Phones, screen: Screen, changes: list[tuple[str, float, Callable[[Shown], bool]]]
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """For each kind of change, the delays in seconds from its commit to the first poll answer
    showing it, and how many were never shown (replaced before a poll).

    A poll whose snapshot came after a ballot's commit shows it: the screen's count N shows the
    first N ballots committed. Each ballot's commit is taken as its POST's first answer (the
    commit came just before): the delay is from there, 0 where the poll was quicker."""
    committed = sorted(phones.committed)
    counts = [s for s in screen.shown if s.ballots is not None]
    ballot_delays = []
    for n, at in enumerate(committed, 1):
        seen = next((s.received for s in counts if s.ballots is not None and s.ballots >= n), None)
        if seen is not None:
            ballot_delays.append(max(0.0, seen - at))
    rows: dict[str, list[float]] = {"a ballot cast": ballot_delays}
    unseen = {"a ballot cast": len(committed) - len(ballot_delays)}
    for kind, at, test in changes:
        seen = screen.first_showing(at, test)
        rows.setdefault(kind, [])
        unseen[kind] = unseen.get(kind, 0) + (seen is None)
        if seen is not None:
            rows[kind].append(seen - at)
    return rows, unseen


def figures_to(
    phones: Phones,
    counted_ok: bool,
    ballots: int,
    screen: Screen,
    changes: list[tuple[str, float, Callable[[Shown], bool]]],
) -> None:
    """The figures scripts/bench_load.py puts in its table, as JSON in BENCH_VOTES_JSON's file."""
    where = os.environ.get("BENCH_VOTES_JSON")
    if not where:
        return
    took = phones.last - phones.first
    every = [v for values in phones.ms.values() for v in values]
    rows, unseen = screen_delays(phones, screen, changes)
    # The screen's delay over every change (ballots, the vote opened and closed, the floor): a
    # change never shown was replaced by a later one within a poll, which the screen showed.
    delays = [d for values in rows.values() for d in values]
    figures = {
        "voters": VOTERS,
        "spread": SPREAD,
        "seconds": took,
        "rps": len(every) / took if took else 0.0,
        "cast_p95": pct(phones.ms.get("cast (POST)", []), 95),
        "ballots": ballots,
        "accepted": phones.accepted,
        "refused": phones.refused,
        "errors": len(phones.errors),
        "counted_ok": counted_ok and not phones.errors,
        "screen_p50": pct(delays, 50),
        "screen_max": max(delays, default=float("nan")),
        "screen_unseen_ballots": unseen["a ballot cast"],
        "screen_errors": len(screen.errors),
    }
    with open(where, "w") as out:
        json.dump(figures, out)


def poll_cost(
    port: int, cookies: dict[str, str], path: str, etag: str, ballot: tuple[dict[str, str], str]
) -> dict[str, list[float]]:
    """One client, keep-alive, the four requests interleaved so that the machine's noise falls
    on each alike."""
    browser = Browser(port, cookies)
    voter_cookie = "; ".join(f"{k}={v}" for k, v in ballot[0].items())
    ms: dict[str, list[float]] = {}
    kinds = [
        ("bare Django view", "/__bare__/", {}, 200),
        ("screen poll, unchanged (304)", path, {"If-None-Match": etag}, 304),
        ("screen poll, changed (200)", path, {}, 200),
        # A voter's page (its own session): what each phone asks for twice per ballot.
        ("ballot page, after voting (200)", ballot[1], {"Cookie": voter_cookie}, 200),
    ]
    for _ in range(20):  # warm
        for _label, where, headers, _status in kinds:
            browser.request("GET", where, headers=headers)
    for _ in range(POLL_SAMPLES):
        for label, where, headers, status in kinds:
            answer = browser.request("GET", where, headers=headers)
            if answer.status != status:
                raise RuntimeError(f"{label}: answered {answer.status}, not {status}")
            ms.setdefault(label, []).append(answer.ms)
    browser.close()
    return ms


def report_results(results: ResultPolls, closed_at: float) -> None:
    every = sum(len(v) for v in results.ms.values())
    print(
        f"\nthe phones' result polls (every {RESULT_EVERY:g} s from the page's load, with the "
        f"ETag): {every} in all, {len(results.errors)} errors"
    )
    for status, values in sorted(results.ms.items()):
        p50, p95 = pct(values, 50), pct(values, 95)
        print(f"  {status}: {len(values):5d}  p50 {p50:6.1f}ms  p95 {p95:6.1f}ms")
    after = [t - closed_at for t in results.shown]
    print(
        f"  the result on {len(after)} phones, after the vote closed: p50 {pct(after, 50):.1f} s, "
        f"the last {max(after, default=float('nan')):.1f} s"
    )
    for error in sorted(set(results.errors))[:5]:
        print(f"  error: {error}")


def report(
    phones: Phones,
    screen: Screen,
    changes: list[tuple[str, float, Callable[[Shown], bool]]],
    polls: dict[str, list[float]],
) -> None:
    took = phones.last - phones.first
    print(
        f"\n{VOTERS} voters over {SPREAD:g} s, {VOTERS // DOUBLE_EVERY} of them submitting twice "
        f"at once; gunicorn {WORKERS} workers x {THREADS} threads (gthread), production settings"
    )
    print(f"{'request':34} {'n':>5} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8}")
    for kind, values in phones.ms.items():
        print(
            f"{kind:34} {len(values):5d} {len(values) / took:7.1f} {pct(values, 50):6.1f}ms "
            f"{pct(values, 95):6.1f}ms {pct(values, 99):6.1f}ms"
        )
    every = [v for values in phones.ms.values() for v in values]
    print(
        f"{'all, first sent to last answered':34} {len(every):5d} {len(every) / took:7.1f}  "
        f"({took:.1f} s; errors: {len(phones.errors)})"
    )
    for error in sorted(set(phones.errors))[:5]:
        print(f"  error: {error}")

    rows, unseen = screen_delays(phones, screen, changes)
    polled = ", ".join(f"{n} x {code}" for code, n in sorted(screen.statuses.items()))
    print(f"\nscreen: change committed -> first poll showing it (polls every {POLL_EVERY:g} s: "
          f"{polled}; {len(screen.errors)} errors)")  # fmt: skip
    print(f"{'change':34} {'n':>5} {'p50':>8} {'max':>8}  never shown (replaced before a poll)")
    for kind, delays in rows.items():
        print(
            f"{kind:34} {len(delays):5d} {pct(delays, 50) * 1000:6.0f}ms "
            f"{max(delays, default=float('nan')) * 1000:6.0f}ms  {unseen[kind]}"
        )
    for error in sorted(set(screen.errors))[:5]:
        print(f"  error: {error}")

    bare = statistics.median(polls["bare Django view"])
    print(f"\none poll, one client, {POLL_SAMPLES} of each, interleaved")
    print(f"{'request':34} {'p50':>8} {'p95':>8} {'p50 / bare':>10}")
    for label, values in polls.items():
        print(
            f"{label:34} {pct(values, 50):6.1f}ms {pct(values, 95):6.1f}ms "
            f"{statistics.median(values) / bare:9.1f}x"
        )


def main() -> None:
    # Stopped (a timeout, Ctrl-C from make): the database is dropped all the same.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    import dj_database_url
    import psycopg

    cfg = dj_database_url.parse(PG)
    admin: dict[str, Any] = {"host": cfg["HOST"], "port": cfg["PORT"] or 5432, "user": cfg["USER"]}
    name = f"hkg_bench_votes_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**admin, dbname="postgres", autocommit=True, connect_timeout=3) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    folder = tempfile.mkdtemp(prefix="hkg-bench-votes-")
    os.mkdir(f"{folder}/static")  # empty: the run fetches no static file
    try:
        env = environment(PG.rsplit("/", 1)[0] + "/" + name, f"{folder}/static")
        run({**env, "DJANGO_SETTINGS_MODULE": "votes_settings"})
    finally:
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
