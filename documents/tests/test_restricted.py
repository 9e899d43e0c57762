"""Restricted documents (B11): who reads them, the 404s around them, the watermark stamped into
downloads, the organiser's form and the audit log."""

import contextlib
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pikepdf
import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from api.services import token_create
from attendance.models import Attendee, Reply
from documents.models import Document, Download
from documents.selectors import readable_by
from documents.services import Metadata, document_add, document_update
from meetings.tests.factories import make_meeting, pdf_bytes, publish

ROLES_READING = ("clerk", "secretary", "unit_leader", "unit_clerk", "outsider")


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _pages_pdf(*texts: str) -> bytes:
    """A PDF with one page per text (pypdf reads the texts back)."""
    out = pikepdf.new()
    for text in texts:
        with pikepdf.open(io.BytesIO(pdf_bytes(text))) as one:
            out.pages.extend(one.pages)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def cast(role_users, department, other_department):
    """A published meeting of the office inviting the department and the other department (the
    role users' "outsider" is that department's unit account, invited here), with its secretary;
    a restricted document for the other department only, and one for every invitee."""
    clerk = role_users["clerk"]
    meeting = make_meeting(
        by=clerk,
        title="Họp bàn phương án nhân sự",
        units=[department, other_department],
        secretary=role_users["secretary"],
    )
    publish(meeting, clerk)
    theirs = meeting.invitations.get(unit=other_department)
    ours = meeting.invitations.get(unit=department)
    chosen = document_add(
        meeting=meeting,
        by=clerk,
        uploaded=SimpleUploadedFile("Phương án nhân sự.pdf", _pages_pdf("Trang mot", "Trang hai")),
        metadata=Metadata(restricted=True, audience=[theirs], allow_download=True),
    )
    everyone = document_add(
        meeting=meeting,
        by=clerk,
        uploaded=SimpleUploadedFile("Dự toán.pdf", pdf_bytes("Du toan")),
        metadata=Metadata(restricted=True),
    )
    open_document = document_add(
        meeting=meeting,
        by=clerk,
        uploaded=SimpleUploadedFile("Chương trình.pdf", pdf_bytes("Chuong trinh")),
    )
    return {
        "meeting": meeting,
        "chosen": chosen,
        "everyone": everyone,
        "open": open_document,
        "theirs": theirs,
        "ours": ours,
    }


def _urls(document: Document) -> list[str]:
    """Every URL that serves the document or something read from it, of those that exist."""
    urls = [
        reverse("documents:detail", args=[document.pk]),
        reverse("documents:download", args=[document.pk]),
        reverse("documents:download_version", args=[document.current_id]),
    ]
    for name, pk in (
        ("doctext:text", document.pk),
        ("viewer:document", document.pk),
        ("viewer:pdf", document.current_id),
        ("viewer:version", document.current_id),
        ("viewer:status", document.current_id),
    ):
        with contextlib.suppress(NoReverseMatch):  # a capability not in this tree yet
            urls.append(reverse(name, args=[pk]))
    return urls


def test_outside_the_audience_every_url_is_a_404(cast, client_for) -> None:
    client = client_for("unit_clerk")  # the department: invited, but not chosen
    for url in _urls(cast["chosen"]):
        assert client.get(url).status_code == 404, url
    assert not Download.objects.filter(document=cast["chosen"]).exists()
    # A member of an invited unit does not answer for it: no restricted document at all.
    member = client_for("member")
    for url in _urls(cast["everyone"]):
        assert member.get(url).status_code == 404, url


def test_inside_the_audience_and_the_organiser_side_read_it(cast, client_for) -> None:
    url = reverse("documents:detail", args=[cast["chosen"].pk])
    for role in ("outsider", "clerk", "secretary"):
        response = client_for(role).get(url)
        assert response.status_code == 200, role
        assert "Hạn chế" in response.content.decode()
    # Each reading is in the audit log with the account.
    readers = set(
        LogEntry.objects.filter(
            object_pk=str(cast["chosen"].pk), action=LogEntry.Action.ACCESS
        ).values_list("actor__username", flat=True)
    )
    assert readers == {"outsider1", "clerk1", "secretary1"}


def test_no_audience_chosen_means_every_invitee(cast, client_for) -> None:
    url = reverse("documents:detail", args=[cast["everyone"].pk])
    for role in ("unit_clerk", "unit_leader", "outsider", "clerk", "secretary"):
        assert client_for(role).get(url).status_code == 200, role
    for role in ("member", "admin"):
        assert client_for(role).get(url).status_code == 404, role


def test_a_person_named_to_attend_reads_it(cast, role_users, department) -> None:
    """The department's reply names a person: that person's account reads what the department's
    invitation may read; a declining reply names nobody."""
    from accounts.tests.factories import PersonFactory

    person = PersonFactory(unit=department)
    named = UserFactory(username="named1", role=User.Role.MEMBER, unit=department, person=person)
    reply = Reply.objects.create(invitation=cast["ours"], by=role_users["unit_leader"])
    Attendee.objects.create(reply=reply, person=person, full_name=person.full_name)
    client = Client()
    client.force_login(named)
    assert client.get(reverse("documents:detail", args=[cast["everyone"].pk])).status_code == 200
    assert client.get(reverse("documents:detail", args=[cast["chosen"].pk])).status_code == 404
    Reply.objects.filter(pk=reply.pk).update(declined=True, decline_reason="Bận")
    assert client.get(reverse("documents:detail", args=[cast["everyone"].pk])).status_code == 404


def test_the_selector_and_the_rule_agree(cast, role_users) -> None:
    documents = [cast["chosen"], cast["everyone"], cast["open"]]
    for role, user in role_users.items():
        listed = set(Document.objects.filter(readable_by(user)).values_list("pk", flat=True))
        for document in documents:
            fresh = Document.objects.select_related("meeting").get(pk=document.pk)
            assert (document.pk in listed) == user.has_perm("documents.view_document", fresh), (
                role,
                document.title,
            )
    # What the cast should read, spelled out.
    expected = {
        "clerk": {"chosen", "everyone", "open"},
        "secretary": {"chosen", "everyone", "open"},
        "outsider": {"chosen", "everyone", "open"},
        "unit_clerk": {"everyone", "open"},
        "unit_leader": {"everyone", "open"},
        "member": {"open"},
        "admin": set(),
    }
    for role, names in expected.items():
        listed = set(
            Document.objects.filter(readable_by(role_users[role])).values_list("pk", flat=True)
        )
        assert listed == {cast[name].pk for name in names}, role


def test_lists_leave_it_out(cast, client_for, role_users) -> None:
    meeting = cast["meeting"]
    client = client_for("unit_clerk")
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Phương án nhân sự" not in page and "Dự toán" in page and "Chương trình" in page
    printed = client.get(reverse("meetings:print_documents", args=[meeting.pk])).content.decode()
    assert "Phương án nhân sự" not in printed
    # The ZIP: no restricted document for readers (they download theirs stamped, one by one).
    archive = zipfile.ZipFile(
        io.BytesIO(_body(client.get(reverse("meetings:download_all", args=[meeting.pk]))))
    )
    assert archive.namelist() == ["Chương trình.pdf"]
    organiser_zip = zipfile.ZipFile(
        io.BytesIO(
            _body(client_for("clerk").get(reverse("meetings:download_all", args=[meeting.pk])))
        )
    )
    assert len(organiser_zip.namelist()) == 3
    # The API, with the account's token.
    _, token = token_create(owner=role_users["unit_clerk"], name="Thử", scope="read", days=5)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    listed = api.get(reverse("api_v1:meeting_documents", args=[meeting.pk])).json()
    assert {d["title"] for d in listed} == {"Dự toán", "Chương trình"}
    assert {d["restricted"] for d in listed} == {True, False}
    hidden = api.get(reverse("api_v1:document_download", args=[cast["chosen"].pk]))
    assert hidden.status_code == 404
    read_only = api.get(reverse("api_v1:document_download", args=[cast["everyone"].pk]))
    assert read_only.status_code == 403


def test_search_inside_texts_leaves_it_out(cast, role_users, client_for) -> None:
    from doctext.folding import fold_aligned
    from doctext.models import VersionText
    from doctext.selectors import readable_documents

    readable = set(readable_documents(role_users["unit_clerk"]).values_list("pk", flat=True))
    assert cast["chosen"].pk not in readable
    assert {cast["everyone"].pk, cast["open"].pk} <= readable
    # Through the meeting search: a word only the restricted document's text holds.
    text = "Phương án sắp xếp nhân sự Thủ Thiêm"
    VersionText.objects.update_or_create(
        version=cast["chosen"].current,
        defaults={
            "status": VersionText.Status.DONE,
            "text": text,
            "folded": fold_aligned(text),
            "pages": 1,
        },
    )
    for role, found in (("unit_clerk", False), ("outsider", True), ("clerk", True)):
        response = client_for(role).get(reverse("meetings:list"), {"q": "Thủ Thiêm"})
        listed = [m.pk for m in response.context["page"].object_list]
        assert (cast["meeting"].pk in listed) is found, role


def test_the_download_is_stamped_on_every_page(cast, client_for, role_users) -> None:
    reader = role_users["outsider"]
    User.objects.filter(pk=reader.pk).update(full_name="Trần Thị Hồng Nhung")
    response = client_for("outsider").get(reverse("documents:download", args=[cast["chosen"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    data = _body(response)
    import pypdf

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 2
    for page, original in zip(pages, ("Trang mot", "Trang hai"), strict=True):
        text = page.extract_text()
        assert original in text
        assert "Trần Thị Hồng Nhung (outsider1)" in text
        assert "Sở Kế hoạch và Đầu tư" in text
        assert settings.SITE_NAME in text
    assert Download.objects.filter(document=cast["chosen"], user=reader).count() == 1
    # The organiser downloads what was uploaded, as it is.
    original = client_for("clerk").get(reverse("documents:download", args=[cast["chosen"].pk]))
    assert _body(original) == cast["chosen"].current.file.open("rb").read()


def test_read_online_only_is_a_403_and_the_page_says_so(cast, client_for) -> None:
    client = client_for("unit_leader")
    document = cast["everyone"]
    for url in (
        reverse("documents:download", args=[document.pk]),
        reverse("documents:download_version", args=[document.current_id]),
    ):
        assert client.get(url).status_code == 403, url
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "chỉ đọc trực tuyến" in page
    assert reverse("documents:download", args=[document.pk]) not in page
    assert not Download.objects.filter(document=document).exists()
    # Wrong method and anonymous, as every view.
    assert client.post(reverse("documents:download", args=[document.pk])).status_code == 405
    anonymous = Client().get(reverse("documents:download", args=[document.pk]))
    assert (
        anonymous.status_code == 302
        and "/dang-nhap" in anonymous["Location"]
        or (anonymous.status_code == 302)
    )


def _restricted_upload(cast, role_users, name: str, content: bytes) -> Document:
    return document_add(
        meeting=cast["meeting"],
        by=role_users["clerk"],
        uploaded=SimpleUploadedFile(name, content),
        metadata=Metadata(restricted=True, allow_download=True),
    )


def test_an_encrypted_or_broken_pdf_is_refused_with_a_message(cast, client_for, role_users):
    buffer = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes("Mat"))) as pdf:
        pdf.save(buffer, encryption=pikepdf.Encryption(owner="chu", user="doc", R=6))
    encrypted = _restricted_upload(cast, role_users, "Có mật khẩu.pdf", buffer.getvalue())
    broken_bytes = pdf_bytes("Hong")
    broken_bytes = broken_bytes[:20] + b"\x00" * 200 + broken_bytes[220:]
    broken_bytes = broken_bytes.replace(b"xref", b"xxxx")
    broken = _restricted_upload(cast, role_users, "Hỏng.pdf", broken_bytes)
    client = client_for("unit_clerk")
    for document, words in ((encrypted, "mật khẩu"), (broken, "bị lỗi")):
        response = client.get(reverse("documents:download", args=[document.pk]))
        assert response.status_code == 409
        assert words in response.content.decode()
    assert not Download.objects.filter(document__in=[encrypted, broken]).exists()


def test_a_restricted_document_that_is_not_a_pdf(cast, client_for, role_users):
    from docx import Document as Docx

    buffer = io.BytesIO()
    Docx().save(buffer)
    document = _restricted_upload(cast, role_users, "Tờ trình.docx", buffer.getvalue())
    response = client_for("unit_clerk").get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 409
    assert "chưa có bản PDF" in response.content.decode()


def test_the_organiser_marks_it_in_the_form(cast, client_for, role_users) -> None:
    document = cast["open"]
    client = client_for("clerk")
    url = reverse("documents:edit", args=[document.pk])
    form = client.get(url).content.decode()
    assert 'name="audience"' in form and "Sở Tài chính" in form
    data = {
        "title": document.title,
        "order": document.order,
        "restricted": "on",
        "audience": [cast["ours"].pk],
        "allow_download": "on",
    }
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert document.restricted and document.allow_download
    assert list(document.audience.all()) == [cast["ours"]]
    entries = LogEntry.objects.get_for_object(document)
    assert any("restricted" in (e.changes_dict or {}) for e in entries)
    assert any("audience" in (e.changes_dict or {}) for e in entries)
    # A stale form naming an invitation of another meeting: a message, nothing changed.
    other = make_meeting(by=role_users["clerk"], units=[cast["theirs"].unit])
    stale = {**data, "audience": [other.invitations.get().pk]}
    response = client.post(url, stale)
    assert response.status_code == 200
    assert "không còn trong danh sách mời" in response.content.decode()
    assert list(document.audience.all()) == [cast["ours"]]
    # <script> in the title is text; unticking "restricted" clears the rest.
    data = {"title": "<script>alert(1)</script>", "order": document.order}
    assert client.post(url, data).status_code == 302
    document.refresh_from_db()
    assert not document.restricted and not document.allow_download
    assert not document.audience.exists()
    page = client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    # Only the organiser: an invitee reading it may not change it, the others do not see it.
    document_update(document=document, by=role_users["clerk"], data={"restricted": True})
    assert client_for("unit_clerk").get(url).status_code == 403
    assert client_for("member").get(url).status_code == 404


def test_the_upload_form_marks_it_restricted(cast, client_for) -> None:
    meeting = cast["meeting"]
    response = client_for("clerk").post(
        reverse("meetings:add_documents", args=[meeting.pk]),
        {
            "files": [SimpleUploadedFile("Mật.pdf", pdf_bytes("Mat"))],
            "restricted": "on",
            "audience": [cast["theirs"].pk],
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(meeting=meeting, title="Mật")
    assert document.restricted and not document.allow_download
    assert list(document.audience.all()) == [cast["theirs"]]


def test_pages_do_not_grow_with_restricted_documents(
    cast, client_for, role_users, django_assert_max_num_queries
) -> None:
    client = client_for("unit_clerk")
    url = reverse("meetings:detail", args=[cast["meeting"].pk])
    client.get(url)
    # Each measured cold: adding a document changes the meeting, and so the tag under which
    # the page's banner of calls is kept (room.calls).
    cache.clear()
    with django_assert_max_num_queries(40) as before:
        client.get(url)
    for n in range(5):
        document_add(
            meeting=cast["meeting"],
            by=role_users["clerk"],
            uploaded=SimpleUploadedFile(f"Hạn chế {n}.pdf", pdf_bytes(f"han che {n}")),
            metadata=Metadata(restricted=True, audience=[cast["ours"]]),
        )
    cache.clear()
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("restricted-badge") >= 6


# ---- memory: a 200 MB restricted PDF is stamped and sent in a few megabytes -------------------

# As a scanned document: 80 pages of 2.5 MB each (2000 x 1250 grey), 200 MB in all. qpdf holds
# one stream at a time while writing it (to know its length), so the memory follows the largest
# page, never the file.
BIG_PAGES = 80
BIG_WIDTH, BIG_HEIGHT = 2000, 1250


def _big_pdf(path: Path) -> int:
    """Written by hand in 1 MB pieces (never whole in memory): pages with a large random image."""
    offsets: list[int] = []
    with path.open("wb") as out:

        def obj(number: int, head: bytes, stream_size: int = 0) -> None:
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + head)
            if stream_size:
                out.write(b"\nstream\n")
                left = stream_size
                while left:
                    piece = min(left, 1 << 20)
                    out.write(os.urandom(piece))
                    left -= piece
                out.write(b"\nendstream")
            out.write(b"\nendobj\n")

        out.write(b"%PDF-1.4\n")
        kids = " ".join(f"{3 + 3 * i} 0 R" for i in range(BIG_PAGES)).encode()
        obj(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(2, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % BIG_PAGES)
        for i in range(BIG_PAGES):
            page, content, image = 3 + 3 * i, 4 + 3 * i, 5 + 3 * i
            body = b"q 595 0 0 842 0 0 cm /Im0 Do Q"
            obj(
                page,
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> >>" % (content, image),
            )
            obj(content, b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
            size = BIG_WIDTH * BIG_HEIGHT
            obj(
                image,
                b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                b"/BitsPerComponent 8 /Length %d >>" % (BIG_WIDTH, BIG_HEIGHT, size),
                size,
            )
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for offset in offsets:
            out.write(b"%010d 00000 n \n" % offset)
        out.write(
            b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(offsets) + 1, xref)
        )
        return out.tell()


MEASURE = """
import resource, sys
import django
django.setup()
from documents.storage import StoredChunks
from documents.watermark import stamp, stamp_pdf_bytes

text = "Nguyễn Văn Ánh (nguyenvananh) · Sở Tài chính · 28/11/2026 09:41 · Họp không giấy"
stamp_pdf_bytes(text)  # fonts and WeasyPrint loaded before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
sent = 0
for chunk in StoredChunks(stamp(sys.argv[1], text)):
    sent += len(chunk)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before * 1024, after * 1024, sent)
"""


def test_a_200_mb_restricted_pdf_is_stamped_in_little_memory() -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "lon.pdf"
        size = _big_pdf(source)
        assert size > 200_000_000
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
        env["PYTHONPATH"] = str(settings.BASE_DIR)
        result = subprocess.run(
            [sys.executable, "-c", MEASURE, str(source)],
            capture_output=True,
            text=True,
            env=env,
            cwd=settings.BASE_DIR,
            timeout=120,
            check=True,
        )
        before, after, sent = (int(v) for v in result.stdout.split()[-3:])
    assert sent > size  # the whole stamped file came through
    grown = after - before
    assert grown < 40 * 1024 * 1024, f"peak memory grew by {grown // 2**20} MB for 200 MB"


def test_the_viewer_reads_a_stamped_copy_under_the_overlay(cast, client_for, role_users):
    document = cast["chosen"]
    reader = client_for("outsider")
    page = reader.get(reverse("viewer:document", args=[document.pk]))
    assert page.status_code == 200
    stamped_url = reverse("documents:watermarked_pdf", args=[document.current_id])
    assert page.context["pdf_url"] == stamped_url and page.context["supports_range"] is False
    assert "(outsider1)" in page.context["watermark_text"]
    assert 'id="viewer-watermark"' in page.content.decode()
    # The original's bytes are not for readers; the stamped copy is, inline.
    assert reader.get(reverse("viewer:pdf", args=[document.current_id])).status_code == 404
    response = reader.get(stamped_url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline")
    import pypdf

    text = pypdf.PdfReader(io.BytesIO(_body(response))).pages[0].extract_text()
    assert "(outsider1)" in text and "Trang mot" in text
    # Outside the audience: nothing; an open document has no stamped copy.
    assert client_for("unit_clerk").get(stamped_url).status_code == 404
    open_url = reverse("documents:watermarked_pdf", args=[cast["open"].current_id])
    assert reader.get(open_url).status_code == 404
    # The organiser reads the original, with the overlay saying it is restricted.
    organiser = client_for("clerk").get(reverse("viewer:document", args=[document.pk]))
    assert organiser.context["pdf_url"] == reverse("viewer:pdf", args=[document.current_id])
    assert organiser.context["watermark_text"]
