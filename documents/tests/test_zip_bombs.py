"""Office and OpenDocument files are ZIPs, and a ZIP can lie: a member may declare 50 bytes and
inflate to 200 MB, an archive may declare a terabyte of content or a million members. Checking an
upload never inflates more than the check needs, and such files are refused with a message.

The bombs are built here by hand, streaming, so that the test itself never holds 200 MB."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import override_settings

from documents.filetypes import check_upload, sniff
from documents.tests.test_memory import Sampler, rss

MB = 1024 * 1024
GROWTH_LIMIT = 50 * MB


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """`size` zero bytes deflated (raw deflate, as in a ZIP), and their CRC-32."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"\0" * MB
    parts, crc, left = [], 0, size
    while left > 0:
        piece = chunk[: min(MB, left)]
        crc = zlib.crc32(piece, crc)
        parts.append(compressor.compress(piece))
        left -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts), crc


def lying_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A ZIP written field by field: (name, deflated data, crc, declared size, real size)."""
    body, directory = io.BytesIO(), io.BytesIO()
    for name, data, crc, declared, _real in members:
        encoded = name.encode()
        offset = body.tell()
        body.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
            )
        )
        body.write(encoded + data)
        directory.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = body.tell()
    cd = directory.getvalue()
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(cd), start, 0
    )
    return body.getvalue() + cd + end


def odt_bomb(inflates_to: int) -> bytes:
    """An OpenDocument text whose "mimetype" member says 50 bytes and inflates to `inflates_to`."""
    data, crc = _deflated_zeros(inflates_to)
    content = zlib.compressobj(9, zlib.DEFLATED, -15)
    xml = b"<office:document-content/>"
    packed = content.compress(xml) + content.flush()
    return lying_zip(
        [
            ("mimetype", data, crc, 50, inflates_to),
            ("content.xml", packed, zlib.crc32(xml), len(xml), len(xml)),
        ]
    )


def test_the_hand_built_zip_is_a_real_zip() -> None:
    # Guards the builder: zipfile reads what it wrote, declared sizes and all.
    xml = b"<w:document/>"
    content = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = content.compress(xml) + content.flush()
    archive = zipfile.ZipFile(
        io.BytesIO(lying_zip([("word/document.xml", packed, zlib.crc32(xml), len(xml), len(xml))]))
    )
    assert archive.read("word/document.xml") == xml
    assert sniff(io.BytesIO(archive.fp.getvalue())) == "docx"  # type: ignore[union-attr]


def test_a_member_that_lies_about_its_size_is_not_inflated() -> None:
    bomb = odt_bomb(200 * MB)
    assert len(bomb) < 300 * 1024  # about 200 KB on the wire
    before = rss()
    sampler = Sampler()
    sampler.start()
    try:
        with pytest.raises(ValidationError) as caught:
            check_upload(SimpleUploadedFile("bien-ban.odt", bomb))
    finally:
        sampler.running = False
        sampler.join()
    assert sampler.peak - before < GROWTH_LIMIT, f"grew {(sampler.peak - before) // MB} MB"
    # Its first 50 bytes do not match its checksum: not a document we can vouch for.
    assert caught.value.code == "content_mismatch"


def test_a_lying_member_on_disk_is_not_inflated_either(tmp_path) -> None:
    bomb = odt_bomb(200 * MB)
    uploaded = TemporaryUploadedFile("bien-ban.odt", "application/octet-stream", len(bomb), None)
    uploaded.write(bomb)
    uploaded.flush()
    before = rss()
    sampler = Sampler()
    sampler.start()
    try:
        with pytest.raises(ValidationError):
            check_upload(uploaded)
    finally:
        sampler.running = False
        sampler.join()
        uploaded.close()
    assert sampler.peak - before < GROWTH_LIMIT


def office_file(members: int, declared_each: int) -> bytes:
    xml = b"<w:document/>"
    content = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = content.compress(xml) + content.flush()
    entries = [("word/document.xml", packed, zlib.crc32(xml), len(xml), len(xml))]
    entries += [
        (f"word/media/image{i}.png", packed, zlib.crc32(xml), declared_each, len(xml))
        for i in range(members - 1)
    ]
    return lying_zip(entries)


def test_an_office_file_declaring_too_much_content_is_refused_with_the_limit() -> None:
    with override_settings(DOCUMENT_MAX_INFLATED_BYTES=10 * MB):
        error = _refusal("Dự thảo.docx", office_file(members=4, declared_each=4 * MB))
    assert error.code == "too_large_inflated"
    assert "Dự thảo.docx" in error.message % error.params
    assert "10" in str(error.params["limit"])


def test_an_office_file_within_the_limits_is_accepted() -> None:
    with override_settings(DOCUMENT_MAX_INFLATED_BYTES=10 * MB, DOCUMENT_MAX_MEMBERS=5):
        assert check_upload(SimpleUploadedFile("a.docx", office_file(5, 2 * MB))).endswith(
            "wordprocessingml.document"
        )


def test_an_archive_with_too_many_members_is_refused_before_it_is_parsed() -> None:
    with override_settings(DOCUMENT_MAX_MEMBERS=100):
        for name in ("nhieu-tep.docx", "nhieu-tep.zip"):
            error = _refusal(name, office_file(members=101, declared_each=10))
            assert error.code == "too_many_members"
            assert error.params["limit"] == "100"


def test_an_end_record_that_claims_a_huge_directory_is_refused() -> None:
    real = office_file(members=2, declared_each=10)
    # The directory-size field of the end record, bumped to 4 GB - 1.
    lied = real[:-10] + struct.pack("<L", 0xFFFFFFFF) + real[-6:]
    assert _refusal("x.docx", lied).code == "too_many_members"


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(SimpleUploadedFile(name, content))
    return caught.value
