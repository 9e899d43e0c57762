"""Meetings and documents for tests, made through the services so that they are what users make."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from catalogs.models import Location, MeetingForm, MeetingType
from documents.models import Document
from documents.services import document_add
from meetings import services
from meetings.models import Meeting


def pdf_bytes(text: str = "Tai lieu hop", pad: int = 0) -> bytes:
    """A small, valid one-page PDF."""
    body = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    if pad:
        out += b"%" + b"0" * pad + b"\n"
    return bytes(out)


def catalog() -> dict[str, Any]:
    """The seeded catalog entries the tests use (created again after a flush)."""
    regular, _ = MeetingType.objects.get_or_create(
        code="thuong-ky", defaults={"name": "Họp thường kỳ", "min_notice_days": 3}
    )
    in_person, _ = MeetingForm.objects.get_or_create(
        code="truc-tiep", defaults={"name": "Họp trực tiếp", "is_in_person": True}
    )
    return {"type": regular, "form": in_person}


def make_meeting(
    *, by: User, title: str = "Họp giao ban tháng 11", days_ahead: int = 10, **extra: Any
) -> Meeting:
    start = (timezone.now() + timedelta(days=days_ahead)).replace(second=0, microsecond=0)
    units = extra.pop("units", [])
    committees = extra.pop("committees", [])
    persons = extra.pop("persons", [])
    data = {
        "title": title,
        "agenda": "Đánh giá tình hình kinh tế - xã hội.",
        "start_at": start,
        "end_at": start + timedelta(hours=2),
        "organiser_unit": by.unit,
        **catalog(),
        **extra,
    }
    if "location" not in data:
        data["location"], _ = Location.objects.get_or_create(
            unit=by.unit, name="Phòng họp số 1", defaults={"capacity": 40}
        )
    return services.meeting_create(
        by=by,
        data=data,
        invitees=services.Invitees(units=units, committees=committees, persons=persons),
    )


def publish(meeting: Meeting, by: User) -> Meeting:
    return services.meeting_publish(meeting=meeting, by=by, late_reason="Lý do thử")


def make_document(
    meeting: Meeting, by: User, name: str = "Báo cáo.pdf", content: bytes | None = None
) -> Document:
    upload = SimpleUploadedFile(
        name, content or pdf_bytes(name.encode("ascii", "replace").decode())
    )
    return document_add(meeting=meeting, by=by, uploaded=upload)
