"""A real S3 server for the tests: moto's standalone server (PyPI `moto[server]`) on loopback.

`s3_server` (session) starts one `moto_server` per test process (each pytest-xdist worker has its
own) on a free loopback port and yields its endpoint URL. `s3_storage` (function) creates a fresh
bucket on it and switches Django's default storage to that bucket with `override_settings`, the
way `STORAGE_URL=s3://<bucket>` does in production (private ACL, signed URLs only).
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from config.storage import s3_storage_options

ACCESS_KEY = "testing-access-key"
SECRET_KEY = "testing-secret-key"
REGION = "us-east-1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _moto_server_command(port: int) -> list[str]:
    script = Path(sys.executable).with_name("moto_server")
    if script.exists():
        return [str(script), "-H", "127.0.0.1", "-p", str(port)]
    return [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/moto-api/", timeout=1):  # noqa: S310 (loopback)
            return True
    except urllib.error.HTTPError:
        return True  # it answered, even if with an error
    except OSError:
        return False


def start_moto_server(timeout: float = 30.0) -> tuple[subprocess.Popen[bytes], str]:
    """Start moto_server on a free loopback port; return the process and its endpoint URL once it
    answers. Retries on another port if the first one was taken in the meantime."""
    last_output = b""
    for _attempt in range(3):
        port = _free_port()
        env = {**os.environ, "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY}
        process = subprocess.Popen(  # noqa: S603 (our own venv's script)
            _moto_server_command(port),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            if _answers(url):
                return process, url
            time.sleep(0.1)
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
        last_output = process.stderr.read() if process.stderr else b""
    raise RuntimeError(
        "moto_server (pip install 'moto[server]') did not start on loopback: "
        + last_output.decode(errors="replace")[-2000:]
    )


def stop_moto_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    if process.stderr:
        process.stderr.close()


@functools.cache
def s3_client(endpoint_url: str) -> Any:
    import boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def storage_settings(
    endpoint_url: str, bucket: str, *, location: str = "", static: dict | None = None
) -> dict[str, Any]:
    """The settings `STORAGE_URL=s3://<bucket>` produces, for `override_settings(**...)`."""
    from django.conf import settings

    options = s3_storage_options(
        bucket=bucket,
        endpoint_url=endpoint_url,
        access_key=ACCESS_KEY,
        secret_key=SECRET_KEY,
        region=REGION,
        location=location,
        addressing_style="path",
        url_expire_seconds=settings.DOCUMENT_PRESIGNED_SECONDS,
    )
    return {
        "STORAGES": {
            "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
            "staticfiles": static or settings.STORAGES["staticfiles"],
        },
        "AWS_S3_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_LOCATION": location,
    }


@dataclass
class S3Bucket:
    """The bucket a test writes to: its name, the server's endpoint and a boto3 client on it."""

    endpoint_url: str
    name: str
    client: Any

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """The endpoint URL of a moto S3 server running for the whole test session (per xdist
    worker)."""
    process, url = start_moto_server()
    try:
        yield url
    finally:
        stop_moto_server(process)


@pytest.fixture
def s3_storage(s3_server: str, settings: Any) -> Iterator[S3Bucket]:
    """A fresh, private bucket on the moto server, and the default storage switched to it."""
    from django.test import override_settings

    bucket = "hkg-test-" + uuid.uuid4().hex[:16]
    client = s3_client(s3_server)
    client.create_bucket(Bucket=bucket)
    with override_settings(**storage_settings(s3_server, bucket)):
        yield S3Bucket(endpoint_url=s3_server, name=bucket, client=client)


@pytest.fixture(params=["local", "s3"])
def each_storage(request: pytest.FixtureRequest) -> str:
    """Runs a test twice: files on local disk (the test settings' MEDIA_ROOT), then on a fresh S3
    bucket as the default storage. Put it before the fixtures that store files, or use
    `@pytest.mark.usefixtures("each_storage")`. Returns "local" or "s3"."""
    if request.param == "s3":
        request.getfixturevalue("s3_storage")
    return str(request.param)
