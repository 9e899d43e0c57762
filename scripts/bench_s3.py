"""Throughput of documents through S3-compatible storage (P5), against moto_server on loopback.

    .venv/bin/python scripts/bench_s3.py [size in MB, default 50]

Uploads a file the way an upload is stored (a temporary file handed to the storage: boto3's
multipart transfer), downloads it the way the documents page streams it (file_response, 64 KiB
chunks from one GET), then one range near the end, and prints MB/s and the Python memory peak
of each step (tracemalloc), to show that nothing holds the whole file.
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files import File  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.test import RequestFactory, override_settings  # noqa: E402

from core.testing.s3 import s3_client, start_moto_server, stop_moto_server, storage_settings  # noqa: E402
from documents.streaming import file_response  # noqa: E402


def main(size_mb: int) -> None:
    size = size_mb * 1024 * 1024
    process, endpoint = start_moto_server()
    try:
        s3_client(endpoint).create_bucket(Bucket="bench")
        with override_settings(**storage_settings(endpoint, "bench")):
            storage = storages.create_storage(settings.STORAGES["default"])
            with tempfile.NamedTemporaryFile() as source:
                block = os.urandom(1024 * 1024)
                for _ in range(size_mb):
                    source.write(block)
                source.flush()
                source.seek(0)
                tracemalloc.start()
                started = time.perf_counter()
                name = storage.save("bench/50mb.pdf", File(source, name="50mb.pdf"))
                upload = time.perf_counter() - started
                upload_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()

            tracemalloc.start()
            started = time.perf_counter()
            response = file_response(
                RequestFactory().get("/"),
                storage=storage,
                name=name,
                size=size,
                filename="Tài liệu 50 MB.pdf",
                content_type="application/pdf",
            )
            received = sum(len(chunk) for chunk in response)
            response.close()
            download = time.perf_counter() - started
            download_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            assert received == size, (received, size)

            started = time.perf_counter()
            ranged = file_response(
                RequestFactory().get("/", headers={"Range": f"bytes={size - 1_000_000}-"}),
                storage=storage,
                name=name,
                size=size,
                filename="x.pdf",
                content_type="application/pdf",
            )
            tail = sum(len(chunk) for chunk in ranged)
            ranged.close()
            range_time = time.perf_counter() - started
            assert tail == 1_000_000
    finally:
        stop_moto_server(process)
    print(f"file: {size_mb} MB through moto_server on loopback")
    print(
        f"upload   {size_mb / upload:7.1f} MB/s  ({upload:.2f} s)  "
        f"Python memory peak {upload_peak / 2**20:.1f} MiB"
    )
    print(
        f"download {size_mb / download:7.1f} MB/s  ({download:.2f} s)  "
        f"Python memory peak {download_peak / 2**20:.1f} MiB"
    )
    print(f"range of the last 1 MB: {range_time:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
