"""The outbox under faults, with real processes: a database file (SQLite session) or a throwaway
PostgreSQL database (PostgreSQL session), real django-q2 workers (`manage.py qcluster`) on the
database broker and on Redis, and a real SMTP server on loopback.

- The mail server is down while a meeting is published to 50 units, then comes back: every address
  receives exactly one message.
- A worker is killed (SIGKILL) in the middle of a batch and another starts: nothing is lost; at
  most the one message in flight at the kill arrives twice (the documented at-least-once edge: the
  server had accepted it, the worker died before marking it sent).
- Two clusters of workers run side by side: no address receives two messages.

The periodic pass (every minute in production) is played by `kick`, which queues the same task.
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from .smtp import SMTPServer

BASE = Path(settings.BASE_DIR)
PYTHON = sys.executable
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")
INVITED = 50
TIMEOUT = 90
END = "END"  # the line that ends each answer of `notifications.tests.system serve`


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A migrated database to copy for each test, of the kind this session tests."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import dj_database_url
        import psycopg

        cfg = dj_database_url.parse(url)
        admin = {
            "host": cfg["HOST"],
            "port": cfg["PORT"] or 5432,
            "user": cfg["USER"],
            "dbname": "postgres",
        }
        template = f"hkg_workers_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{template}"')
        base = url.rsplit("/", 1)[0]
        migrate(f"{base}/{template}")
        made: list[str] = []

        def copy() -> str:
            name = f"{template}_{len(made)}"
            with psycopg.connect(**admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            made.append(name)
            return f"{base}/{name}"

        yield {"copy": copy}  # type: ignore[misc]
        with psycopg.connect(**admin, autocommit=True) as conn:
            for name in [*made, template]:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        folder = tmp_path_factory.mktemp("workers")
        template = folder / "template.sqlite3"
        migrate(f"sqlite:///{template}")
        count = [0]

        def copy() -> str:
            count[0] += 1
            target = folder / f"db{count[0]}.sqlite3"
            shutil.copy(template, target)
            return f"sqlite:///{target}"

        yield {"copy": copy}  # type: ignore[misc]


def migrate(url: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=BASE,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": url},
        check=True,
        timeout=300,
    )


class System:
    """One database, one broker, one SMTP server, and the processes that use them."""

    def __init__(self, database_url: str, broker: str, smtp: SMTPServer) -> None:
        self.smtp = smtp
        self.workers: list[subprocess.Popen] = []
        self.commands: subprocess.Popen | None = None
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "TASK_SYNC": "0",
            "TASK_BROKER_URL": REDIS_URL if broker == "redis" else "",
            "TASK_QUEUE_NAME": f"hkg-test-{uuid.uuid4().hex[:8]}",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "EMAIL_TIMEOUT": "10",
            "NOTIFY_RETRY_BASE_SECONDS": "1",
            "NOTIFY_RETRY_MAX_SECONDS": "2",
            "NOTIFY_MAX_ATTEMPTS": "50",
            "NOTIFY_CLAIM_SECONDS": "4",
            "NOTIFY_BATCH_SIZE": "10",
            "TASK_WORKERS": "1",
            "PYTHONDONTWRITEBYTECODE": "1",
        }

    def run(self, *args: str) -> str:
        """A command of notifications.tests.system, in the one process that serves them."""
        if self.commands is None:
            self.commands = subprocess.Popen(
                [PYTHON, "-m", "notifications.tests.system", "serve"],
                cwd=BASE,
                env=self.env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        assert self.commands.stdin and self.commands.stdout
        self.commands.stdin.write(" ".join(args) + "\n")
        self.commands.stdin.flush()
        lines = []
        for line in self.commands.stdout:
            if line.rstrip("\n") == END:
                return "".join(lines)
            lines.append(line)
        raise AssertionError(f"the command process ended on {args}: {self.commands.wait()}")

    def status(self) -> list[dict]:
        return json.loads(self.run("status"))

    def start_worker(self, workers: int = 1) -> subprocess.Popen:
        process = subprocess.Popen(
            [PYTHON, "manage.py", "qcluster"],
            cwd=BASE,
            env={**self.env, "TASK_WORKERS": str(workers)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop_all(self) -> None:
        if self.commands is not None:
            self.commands.kill()
            self.commands.wait(timeout=30)
        for process in self.workers:
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)

    def wait_until(self, done, *, kick_every: float = 1.0, what: str = "") -> None:
        deadline = time.monotonic() + TIMEOUT
        last_kick = 0.0
        while time.monotonic() < deadline:
            if done():
                return
            if kick_every and time.monotonic() - last_kick > kick_every:
                self.run("kick")
                last_kick = time.monotonic()
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}: {self.status()[:5]}")

    def all_sent(self) -> bool:
        rows = self.status()
        return bool(rows) and all(r["status"] == "sent" for r in rows)


@pytest.fixture(params=["database", "redis"])
def system(request, template_db) -> Iterator[System]:
    if request.param == "redis" and not redis_answers():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis does not answer at {REDIS_URL}, and CI must test the Redis queue")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    smtp = SMTPServer().start()
    system = System(template_db["copy"](), request.param, smtp)
    yield system
    system.stop_all()
    smtp.stop()


def addresses(system: System) -> list[str]:
    return sorted(r["to_email"] for r in system.status())


def test_mail_server_down_while_publishing_then_up_every_message_once(system: System) -> None:
    system.smtp.mailbox.refuse = True
    system.run("setup", str(INVITED))
    expected = addresses(system)
    assert len(expected) == INVITED
    system.start_worker()
    system.wait_until(
        lambda: all(r["attempts"] >= 1 for r in system.status()), what="first failed attempts"
    )
    assert not system.smtp.mailbox.messages
    assert {r["status"] for r in system.status()} == {"queued"}
    system.smtp.mailbox.refuse = False
    system.wait_until(system.all_sent, what="every message sent")
    received = Counter(system.smtp.mailbox.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}, received.most_common(3)


def test_a_worker_killed_mid_batch_loses_nothing(system: System) -> None:
    system.smtp.mailbox.delay = 0.05
    system.run("setup", str(INVITED))
    expected = addresses(system)
    first = system.start_worker()
    system.wait_until(
        lambda: len(system.smtp.mailbox.messages) >= 15, kick_every=0, what="15 messages"
    )
    system.kill(first)
    at_kill = len(system.smtp.mailbox.messages)
    assert at_kill < INVITED, "the worker finished before it could be killed"
    system.start_worker()
    system.wait_until(system.all_sent, what="every message sent after the restart")
    received = Counter(system.smtp.mailbox.recipients())
    assert sorted(received) == expected  # none lost
    repeated = [address for address, n in received.items() if n > 1]
    out = BASE / "test-output"
    out.mkdir(exist_ok=True)
    with (out / "workers.txt").open("a") as figures:
        database = os.environ.get("DATABASE_URL", "")[:10] or "sqlite"
        broker = system.env["TASK_BROKER_URL"] or "database"
        figures.write(
            f"{database} {broker}: killed after {at_kill}/{INVITED}, repeated {len(repeated)}\n"
        )
    # One connection, one message at a time: at most the one in flight at the kill.
    assert len(repeated) <= 1 and all(received[a] == 2 for a in repeated), received.most_common(3)


def test_two_clusters_side_by_side_send_each_message_once(system: System) -> None:
    system.smtp.mailbox.delay = 0.01
    system.start_worker(workers=2)
    system.start_worker(workers=2)
    system.run("setup", str(INVITED))
    expected = addresses(system)
    for _ in range(6):  # several passes at once, as several schedulers would queue
        system.run("kick")
    system.wait_until(system.all_sent, kick_every=0.5, what="every message sent")
    received = Counter(system.smtp.mailbox.recipients())
    assert sorted(received) == expected
    assert set(received.values()) == {1}, received.most_common(3)
