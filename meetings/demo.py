"""Demo meetings for `manage.py load_demo`: a few meetings around today, made through the services
as a clerk would, so that every page of the tour has something to show."""

from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Committee, Person, Unit, User
from catalogs.models import Location, MeetingForm, MeetingType

from . import services
from .models import Meeting


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


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


@transaction.atomic
def load_demo_meetings() -> int:
    """Creates the demo meetings once; returns how many it created."""
    from documents.services import document_add

    if Meeting.objects.exists():
        return 0
    clerk = User.objects.get(username="vanthu")
    secretary = User.objects.filter(username="thuky").first()
    office = clerk.unit
    hall = Location.objects.filter(unit=office).order_by("-capacity").first()
    room = Location.objects.filter(unit=office).order_by("capacity").first()
    # The seed migration made these; get_or_create keeps the demo working on a flushed database.
    regular, _ = MeetingType.objects.get_or_create(
        code="thuong-ky", defaults={"name": "Họp thường kỳ", "min_notice_days": 3}
    )
    urgent, _ = MeetingType.objects.get_or_create(
        code="bat-thuong", defaults={"name": "Họp bất thường", "min_notice_days": 1}
    )
    in_person, _ = MeetingForm.objects.get_or_create(
        code="truc-tiep", defaults={"name": "Họp trực tiếp", "is_in_person": True}
    )
    mixed, _ = MeetingForm.objects.get_or_create(
        code="ket-hop",
        defaults={
            "name": "Họp trực tiếp kết hợp trực tuyến",
            "is_in_person": True,
            "is_online": True,
        },
    )
    chair = Person.objects.filter(unit=office, position__startswith="Chủ tịch").first()
    vice = Person.objects.filter(unit=office, position__startswith="Phó Chủ tịch").first()
    departments = list(Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, is_active=True))
    districts = list(Unit.objects.filter(kind=Unit.Kind.DISTRICT, is_active=True))
    digital = Committee.objects.get(code="BCD-CDS")
    disaster = Committee.objects.get(code="BCD-PCTT")

    def meeting(title: str, start: datetime, hours: int, **extra: object) -> Meeting:
        # Created a week ahead so that the services accept it, then moved to its demo time.
        ahead = timezone.now() + timedelta(days=7)
        invitees = extra.pop("invitees")
        made = services.meeting_create(
            by=clerk,
            data={
                "title": title,
                "start_at": ahead,
                "end_at": ahead + timedelta(hours=hours),
                "organiser_unit": office,
                "secretary": secretary,
                "form": in_person,
                "type": regular,
                "location": hall,
                "chair": chair,
                **extra,
            },
            invitees=invitees,  # type: ignore[arg-type]
        )
        return made

    def documents(target: Meeting, names: list[str]) -> None:
        for name in names:
            upload = SimpleUploadedFile(name, pdf_bytes(name.encode("ascii", "ignore").decode()))
            document_add(meeting=target, by=clerk, uploaded=upload)

    def settle(target: Meeting, start: datetime, hours: int, publish: bool = True) -> None:
        if publish:
            services.meeting_publish(meeting=target, by=clerk)
        Meeting.objects.filter(pk=target.pk).update(
            start_at=start, end_at=start + timedelta(hours=hours)
        )

    created = []
    today = meeting(
        "Phiên họp thường kỳ UBND tỉnh tháng 11",
        _at(0, 8),
        4,
        agenda="1. Tình hình kinh tế - xã hội tháng 11 và nhiệm vụ tháng 12.\n"
        "2. Dự toán ngân sách năm sau.\n3. Các nội dung khác.",
        invitees=services.Invitees(units=departments, persons=[p for p in [vice] if p]),
    )
    documents(
        today,
        [
            "Báo cáo tình hình KT-XH tháng 11.pdf",
            "Tờ trình dự toán ngân sách.pdf",
            "Dự thảo Nghị quyết.pdf",
        ],
    )
    settle(today, _at(0, 8), 4)
    created.append(today)

    week = meeting(
        "Hội nghị sơ kết chuyển đổi số 9 tháng",
        _at(2, 14),
        2,
        form=mixed,
        online_link="https://hop.example.gov.vn/chuyen-doi-so",
        location=room,
        agenda="Đánh giá kết quả chuyển đổi số 9 tháng, nhiệm vụ quý IV.",
        invitees=services.Invitees(committees=[digital], units=departments[:5]),
    )
    documents(week, ["Báo cáo chuyển đổi số 9 tháng.pdf"])
    settle(week, _at(2, 14), 2)
    created.append(week)

    draft = meeting(
        "Họp triển khai phương án phòng, chống lụt bão",
        _at(8, 8),
        3,
        type=urgent,
        chair=vice,
        agenda="Triển khai phương án ứng phó mưa lũ cuối năm.",
        invitees=services.Invitees(committees=[disaster], units=districts),
    )
    settle(draft, _at(8, 8), 3, publish=False)
    created.append(draft)

    past = meeting(
        "Họp giao ban Văn phòng UBND tỉnh",
        _at(-3, 8),
        2,
        location=room,
        invitees=services.Invitees(units=departments[:3]),
    )
    documents(past, ["Thông báo kết luận giao ban.pdf"])
    settle(past, _at(-3, 8), 2)
    created.append(past)
    return len(created)
