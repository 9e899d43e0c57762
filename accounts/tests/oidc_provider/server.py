"""Starts the test OpenID Connect provider (this package) as its own process on a free port: a
fresh SQLite file migrated, an RSA key made for the run, the people and the product's application
written by the setup command. One per test module (or package) that asks for it."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "hop-khong-giay"
CLIENT_SECRET = "provider-test-secret-0123456789"  # noqa: S105
CALLBACK_PATH = "/tai-khoan/dang-nhap/sso/ve/"
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Provider:
    url: str
    process: subprocess.Popen
    people: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def settings(self, **extra: Any) -> dict[str, Any]:
        """The product's settings that point at this provider (for override_settings)."""
        return {
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_LABEL": "SSO tỉnh",
            **extra,
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_provider(workdir: Path, people: dict[str, dict[str, Any]], hosts: list[str]) -> Provider:
    """`hosts`: the product's addresses the provider may send the browser back to (the test
    client's "http://testserver"; "http://127.0.0.1" stands for any port of a live server)."""
    workdir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    users_file = workdir / "people.json"
    users_file.write_text(json.dumps(people), encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "accounts.tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(workdir / "provider.sqlite3"),
        "OIDC_PROVIDER_USERS": str(users_file),
        "OIDC_PROVIDER_ISSUER": f"{url}/o",
        "OIDC_PROVIDER_KEY": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("DATABASE_URL", None)
    (workdir / "provider.sqlite3").unlink(missing_ok=True)
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [
            *django,
            "oidc_provider_setup",
            "--client-id",
            CLIENT_ID,
            "--client-secret",
            CLIENT_SECRET,
            *[arg for host in hosts for arg in ("--redirect-uri", host + CALLBACK_PATH)],
            *[arg for host in hosts for arg in ("--post-logout-uri", host + "/")],
        ],
        env=env,
        cwd=ROOT,
        check=True,
    )
    log = (workdir / "provider.log").open("wb")
    process = subprocess.Popen(
        [*django, "runserver", "--noreload", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(url=url, process=process, people=people)
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(f"{url}/o/.well-known/openid-configuration", timeout=2).ok:
                return provider
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            provider.stop()
            raise RuntimeError((workdir / "provider.log").read_text(errors="replace"))
        time.sleep(0.1)
