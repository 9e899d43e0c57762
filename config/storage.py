"""Where uploaded files live (P5): local disk (MEDIA_ROOT) by default, an S3-compatible bucket
when STORAGE_URL=s3://<bucket> is set. Apart from the settings so tests build the same options."""

from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

LOCAL_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def _transfer_config() -> Any:
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=8 * 1024 * 1024, multipart_chunksize=8 * 1024 * 1024, max_concurrency=4
    )
    # s3transfer reads it; boto3's constructor does not take it.
    config.max_in_memory_upload_chunks = 4
    return config


def s3_storage_options(
    *,
    bucket: str,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "",
    location: str = "",
    addressing_style: str = "",
    url_expire_seconds: int = 60,
) -> dict[str, Any]:
    """django-storages' S3 options. The bucket is never public: objects are written private and
    every URL the storage makes is signed and short-lived."""
    from botocore.config import Config

    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "location": location.strip("/"),
        "addressing_style": addressing_style or None,
        "signature_version": "s3v4",
        # A storage that does not answer is a clear message in seconds (a form error on upload, a
        # 503 page on download), not a page hanging on retries.
        "client_config": Config(
            s3={"addressing_style": addressing_style or None},
            signature_version="s3v4",
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        "default_acl": "private",
        "querystring_auth": True,
        "querystring_expire": url_expire_seconds,
        # Uploads go up as a multipart transfer of 8 MiB parts, 4 at a time and 4 read ahead: at
        # most about 32 MiB of one upload in memory whatever its size (boto3's default: 80).
        "transfer_config": _transfer_config(),
        # Names are unique already (documents.models.storage_name); never replace a stored file.
        "file_overwrite": False,
        "custom_domain": None,
    }


def default_storage_from_env(
    storage_url: str, getenv: Any, *, url_expire_seconds: int = 60
) -> dict[str, Any]:
    """The STORAGES["default"] entry for STORAGE_URL ("" or file:// for local disk)."""
    if not storage_url or storage_url.startswith("file:"):
        return LOCAL_STORAGE
    parts = urlsplit(storage_url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ImproperlyConfigured(
            f"STORAGE_URL must be s3://<bucket> (or unset for local disk), not {storage_url!r}."
        )
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": s3_storage_options(
            bucket=parts.netloc,
            endpoint_url=getenv("AWS_S3_ENDPOINT_URL"),
            access_key=getenv("AWS_ACCESS_KEY_ID"),
            secret_key=getenv("AWS_SECRET_ACCESS_KEY"),
            region=getenv("AWS_S3_REGION_NAME"),
            # A prefix inside the bucket; STORAGE_URL's path works too: s3://bucket/prefix.
            location=getenv("AWS_LOCATION") or parts.path,
            addressing_style=getenv("AWS_S3_ADDRESSING_STYLE"),
            url_expire_seconds=url_expire_seconds,
        ),
    }
