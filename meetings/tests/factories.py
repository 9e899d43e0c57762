"""Meetings and documents for tests, made through the services so that they are what users make."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from catalogs.models import Location, MeetingForm, MeetingType
from core.samples import pdf_bytes
from documents.models import Document
from documents.services import document_add
from meetings import services
from meetings.models import Meeting

__all__ = ["pdf_bytes"]


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
        **({} if {"type", "form"} <= set(extra) else catalog()),
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
