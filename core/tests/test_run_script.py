"""`make run`'s script (scripts/run.sh): one Ctrl+C stops the worker and the web server once,
quietly, and nothing is left running."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "run.sh"

# Stands for qcluster: stops on INT or TERM, and fails loudly if told again while stopping (the
# real one re-entered its handler until a RecursionError).
WORKER = """
import os, signal, sys, time
out = sys.argv[1]
told = []
def stop(signum, frame):
    told.append(signum)
    if len(told) > 1:
        raise RuntimeError("signalled again while stopping")
    time.sleep(0.5)
    with open(out + ".worker-stopped", "w") as f:
        f.write(signal.Signals(signum).name)
    sys.exit(0)
signal.signal(signal.SIGINT, stop)
signal.signal(signal.SIGTERM, stop)
with open(out + ".worker", "w") as f:
    f.write(str(os.getpid()))
while True:
    time.sleep(0.1)
"""

# Stands for runserver and its reloader's child: default signal handling, a child of its own.
SERVER = """
import os, subprocess, sys, time
out = sys.argv[1]
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(out + ".server", "w") as f:
    f.write(f"{os.getpid()} {child.pid}")
child.wait()
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie waiting for its parent to read it is gone for our purpose.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[-1][0] != "Z"


def _wait_for(path: Path, seconds: float = 20) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path.name} never appeared")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_one_signal_stops_both_quietly(tmp_path, signum):
    (tmp_path / "worker.py").write_text(WORKER)
    (tmp_path / "server.py").write_text(SERVER)
    out = tmp_path / "run"
    run = subprocess.Popen(
        [
            str(SCRIPT),
            f"{sys.executable} {tmp_path / 'worker.py'} {out}",
            f"{sys.executable} {tmp_path / 'server.py'} {out}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As in a terminal: make and the script are the foreground group that Ctrl+C signals.
        start_new_session=True,
        # As in a terminal, INT at its default: a process that ignores it (a library in this
        # test process may) passes that on, and bash cannot trap a signal ignored on entry.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        worker = int(_wait_for(tmp_path / "run.worker"))
        server, server_child = map(int, _wait_for(tmp_path / "run.server").split())

        os.killpg(run.pid, signum)
        _, stderr = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)

    assert run.returncode == 0, stderr
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    # The worker was told once and stopped in its own time.
    assert (tmp_path / "run.worker-stopped").read_text() == "SIGINT"
    assert not any(_alive(pid) for pid in (worker, server, server_child))


def test_a_crashed_server_stops_the_worker(tmp_path):
    (tmp_path / "worker.py").write_text(WORKER)
    out = tmp_path / "run"
    run = subprocess.run(
        [
            str(SCRIPT),
            f"{sys.executable} {tmp_path / 'worker.py'} {out}",
            "sh -c 'sleep 1; exit 3'",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert run.returncode == 3
    assert (tmp_path / "run.worker-stopped").read_text() == "SIGINT"
