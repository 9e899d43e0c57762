"""A real SMS gateway for the tests: Jasmin (its own virtualenv, .venv-jasmin, made by
`make jasmin-deps`) in its own process and folder, on RabbitMQ and Redis, sending over SMPP to an
SMSC that the test runs itself and that counts what arrives.

The SMSC is a small SMPP server here, its PDUs read and written by smpplib: Jasmin's connector
binds to it as a transceiver and submits each message (each part of a long one) as a submit_sm,
which the SMSC records (number, data coding, UDH, text) and accepts. That keeps the count at the
far end of the gateway, where a carrier would count it, with nothing in between but Jasmin."""

import os
import shutil
import socket
import socketserver
import struct
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import smpplib.consts
import smpplib.smpp

ROOT = Path(__file__).resolve().parents[2]
JASMIN_VENV = ROOT / ".venv-jasmin"
JASMIN_USER, JASMIN_PASSWORD = "hopkhonggiay", "sms-test-1"
# Numbers the gateway's route accepts: Viettel's, MobiFone's and Vietnamobile's ranges, not
# Vinaphone's 08x, so that a test can have a valid number refused by the gateway.
ROUTED = r"^84[3579][0-9]{8}$"


# jasmind takes the file lock /tmp/jasmind, one per machine; the launcher moves it into the
# instance's folder so that two test workers may each run their own.
LAUNCH = """
import runpy, sys
import lockfile
script, lock = sys.argv[1], sys.argv[2]
take = lockfile.FileLock
lockfile.FileLock = lambda path, *args, **kwargs: take(lock, *args, **kwargs)
sys.argv = [script] + sys.argv[3:]
runpy.run_path(script, run_name="__main__")
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jasmin_installed() -> bool:
    return (JASMIN_VENV / "bin" / "jasmind.py").exists()


@dataclass
class Received:
    to: str
    data_coding: int
    udh: bytes
    text: str


class _SMPPHandler(socketserver.BaseRequestHandler):
    server: "SMSC"

    def _read(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.request.recv(count - len(data))
            if not chunk:
                raise ConnectionError
            data += chunk
        return data

    def handle(self) -> None:
        try:
            while True:
                header = self._read(4)
                (length,) = struct.unpack(">L", header)
                pdu = smpplib.smpp.parse_pdu(header + self._read(length - 4), sequence=0)
                reply = self.server.answer(pdu)
                if reply is not None:
                    # smpplib's PDUs take their sequence from a client; a server answers with
                    # the request's.
                    reply.sequence = pdu.sequence
                    self.request.sendall(reply.generate())
                if pdu.command == "unbind":
                    return
        except (ConnectionError, OSError):
            return


class SMSC(socketserver.ThreadingTCPServer):
    """The test's SMSC on a free loopback port: binds succeed, each submit_sm is recorded."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _SMPPHandler)
        self.port = self.server_address[1]
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.binds = 0

    def start(self) -> "SMSC":
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def answer(self, pdu: smpplib.command.Command) -> smpplib.command.Command | None:
        name = pdu.command
        if name.startswith("bind_"):
            with self.lock:
                self.binds += 1
            return smpplib.smpp.make_pdu(
                f"{name}_resp", sequence=pdu.sequence, system_id="testsmsc"
            )
        if name == "submit_sm":
            body = pdu.short_message or b""
            udh = b""
            if pdu.esm_class & smpplib.consts.SMPP_GSMFEAT_UDHI:
                udh, body = body[: body[0] + 1], body[body[0] + 1 :]
            text = body.decode("utf-16-be") if pdu.data_coding == 8 else body.decode("latin-1")
            to = pdu.destination_addr
            with self.lock:
                self.received.append(
                    Received(
                        to=to.decode() if isinstance(to, bytes) else to,
                        data_coding=pdu.data_coding,
                        udh=udh,
                        text=text,
                    )
                )
                number = len(self.received)
            return smpplib.smpp.make_pdu(
                "submit_sm_resp", sequence=pdu.sequence, message_id=f"m{number}"
            )
        if name == "enquire_link":
            return smpplib.smpp.make_pdu("enquire_link_resp", sequence=pdu.sequence)
        if name == "unbind":
            return smpplib.smpp.make_pdu("unbind_resp", sequence=pdu.sequence)
        return None

    def messages(self) -> list[Received]:
        with self.lock:
            return list(self.received)

    def texts_to(self, number: str) -> list[str]:
        """The whole texts that reached a number, the parts of a long one joined in order."""
        whole: dict[bytes, list[tuple[int, str]]] = {}
        texts = []
        for message in self.messages():
            if message.to != number:
                continue
            if not message.udh:
                texts.append(message.text)
                continue
            # UDH 05 00 03 <ref> <total> <seq>: concatenated parts (3GPP TS 23.040).
            ref, seq = message.udh[3:4], message.udh[5]
            whole.setdefault(ref, []).append((seq, message.text))
        texts += ["".join(t for _s, t in sorted(parts)) for parts in whole.values()]
        return texts


class Jasmin:
    """jasmind in its own folder (ROOT_PATH: config, store, logs), on free ports and its own Redis
    database; configured through jcli (a group, our user, an SMPP client connector to the SMSC, a
    route for Vietnamese mobile numbers), the configuration persisted so that a restart keeps it."""

    def __init__(self, smsc_port: int, *, redis_db: int = 13) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="jasmin-"))
        self.smsc_port = smsc_port
        self.redis_db = redis_db
        self.http_port = free_port()
        self.jcli_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.connector = f"smsc{os.getpid()}"
        self._write_config()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/send"

    def _write_config(self) -> None:
        config = self.folder / "etc" / "jasmin"
        (config / "store").mkdir(parents=True)
        (self.folder / "var" / "log" / "jasmin").mkdir(parents=True)
        spec = next(
            JASMIN_VENV.glob("lib/python*/site-packages/txamqp/specs/standard/amqp0-9-1*.xml")
        )
        ports = {
            "smpp-server-pb": free_port(),
            "client-management": free_port(),
            "router": free_port(),
        }
        sections = {
            "smpp-server": {"port": free_port(), "bind": "127.0.0.1"},
            "smpp-server-pb": {"port": ports["smpp-server-pb"], "bind": "127.0.0.1"},
            "client-management": {"port": ports["client-management"], "bind": "127.0.0.1"},
            "router": {"port": ports["router"], "bind": "127.0.0.1"},
            "http-api": {"port": self.http_port, "bind": "127.0.0.1"},
            "jcli": {"port": self.jcli_port, "bind": "127.0.0.1", "authentication": "False"},
            "amqp-broker": {"host": "127.0.0.1", "port": 5672, "spec": spec},
            "redis-client": {"host": "127.0.0.1", "port": 6379, "dbid": self.redis_db},
            # A message that meets the connector not yet bound (just after a start) waits 1 s,
            # not the default 30.
            "sm-listener": {"submit_retrial_delay_smppc_not_ready": 1},
        }
        lines = []
        for section, values in sections.items():
            lines.append(f"[{section}]")
            lines += [f"{key} = {value}" for key, value in values.items()]
        (config / "jasmin.cfg").write_text("\n".join(lines) + "\n")

    def start(self, *, timeout: float = 60) -> "Jasmin":
        env = {**os.environ, "ROOT_PATH": str(self.folder)}
        self.process = subprocess.Popen(
            [
                str(JASMIN_VENV / "bin" / "python"),
                "-c",
                LAUNCH,
                str(JASMIN_VENV / "bin" / "jasmind.py"),
                str(self.folder / "jasmind"),
                "-c",
                str(self.folder / "etc" / "jasmin" / "jasmin.cfg"),
            ],
            env=env,
            cwd=self.folder,
            stdout=(self.folder / "jasmind.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jasmind exited: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.http_port), timeout=1):
                    pass
                with socket.create_connection(("127.0.0.1", self.jcli_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"jasmind did not start: {self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
        # Jasmin declares its connector's queue durable: delete it so that runs leave nothing
        # behind in RabbitMQ. rabbitmqctl takes two seconds; nobody waits for it.
        rabbitmqctl = shutil.which("rabbitmqctl")
        if rabbitmqctl:
            subprocess.Popen(
                [rabbitmqctl, "delete_queue", f"submit.sm.{self.connector}"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )

    def log(self) -> str:
        out = self.folder / "jasmind.out"
        return out.read_text(errors="replace")[-3000:] if out.exists() else ""

    # ---- jcli ----------------------------------------------------------------------------------

    def jcli(self, *commands: str) -> str:
        """Types the commands at jcli's prompt, one at a time, and returns what it answered."""
        answers = []
        with socket.create_connection(("127.0.0.1", self.jcli_port), timeout=20) as sock:
            # The greeting has no prompt: the first command's answer ends with the first one.
            for command in commands:
                sock.sendall(command.encode() + b"\r\n")
                answers.append(_until_prompt(sock))
            sock.sendall(b"quit\r\n")
        return "".join(answers)

    def configure(self) -> None:
        answer = self.jcli(
            "group -a",
            "gid app",
            "ok",
            "user -a",
            f"username {JASMIN_USER}",
            f"password {JASMIN_PASSWORD}",
            "gid app",
            "uid app",
            "ok",
            "smppccm -a",
            f"cid {self.connector}",
            "host 127.0.0.1",
            f"port {self.smsc_port}",
            "username jasmin",
            "password jasmin",
            "submit_throughput 0",
            "ok",
            f"smppccm -1 {self.connector}",
            "filter -a",
            "fid vnmobile",
            "type DestinationAddrFilter",
            f"destination_addr {ROUTED}",
            "ok",
            "mtrouter -a",
            "type StaticMTRoute",
            "filters vnmobile",
            f"connector smppc({self.connector})",
            "rate 0",
            "order 10",
            "ok",
            "persist",
        )
        for error in ("Error", "Unknown", "Invalid", "failed"):
            if error in answer:
                raise RuntimeError(f"jcli refused the configuration:\n{answer}")


def _until_prompt(sock: socket.socket) -> str:
    """jcli's answer up to its prompt ("jcli : ", or "> " while adding)."""
    data = b""
    while not (data.rstrip(b" ").endswith(b"jcli :") or data.endswith(b"> ")):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")
