"""The S3 test fixtures themselves: a real moto server, a fresh private bucket per test, and the
default storage switched to it."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage


def test_default_storage_writes_to_a_fresh_bucket(s3_storage):
    assert s3_storage.keys() == [], "each test starts with an empty bucket"
    name = default_storage.save("tài liệu/kế hoạch.txt", ContentFile("Nội dung".encode()))
    assert s3_storage.keys() == [name]
    assert s3_storage.read(name) == "Nội dung".encode()
    assert default_storage.__class__.__name__ == "S3Storage"


def test_objects_are_private(s3_storage):
    name = default_storage.save("riêng.txt", ContentFile(b"secret"))
    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.name, Key=name)["Grants"]
    assert [g["Grantee"].get("URI") for g in grants if g["Grantee"].get("URI")] == [], grants
