"""A small dataset whose every figure is known (year 2025), for the statistics, the usage report
and their Excel and PDF versions. The expected numbers are worked out by hand in the comments."""

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from accounts.models import LoginEvent, User
from accounts.tests.factories import UnitFactory, UserFactory
from attendance.models import Attendee, Presence, Reply
from catalogs.models import MeetingField, MeetingForm, MeetingType
from comments.models import Comment
from documents.models import Document, DocumentVersion, Download
from meetings.models import Invitation, Meeting, Receipt
from reports import figures

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 9) -> datetime:
    d, m, y = (int(x) for x in day.split("/"))
    return datetime(y, m, d, hour, 0, tzinfo=TZ)


@pytest.fixture
def dataset(db, office, department, other_department) -> dict[str, Any]:
    """Units: the office (organiser), STC (department), SKHDT (other_department), SNV (never
    signs in). Meetings of 2025 that count: M1, M2 (late), M3 (cancelled), M7 (by SKHDT);
    M4 is a draft, M5 deleted, M6 in 2024: none of them counts."""
    snv = UnitFactory(code="SNV", name="Sở Nội vụ", short_name="SNV")
    clerk = UserFactory(username="vt", role=User.Role.CLERK, unit=office)
    stc_clerk = UserFactory(
        username="stc-vt", role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=department
    )
    stc_leader = UserFactory(username="stc-ld", role=User.Role.UNIT_LEADER, unit=department)
    skhdt_clerk = UserFactory(
        username="skhdt-vt", role=User.Role.UNIT_CLERK, kind=User.Kind.UNIT, unit=other_department
    )
    skhdt_leader = UserFactory(
        username="skhdt-ld", role=User.Role.UNIT_LEADER, unit=other_department
    )
    regular, _ = MeetingType.objects.get_or_create(
        code="thuong-ky", defaults={"name": "Họp thường kỳ", "min_notice_days": 3}
    )
    urgent, _ = MeetingType.objects.get_or_create(
        code="bat-thuong", defaults={"name": "Họp bất thường", "min_notice_days": 1}
    )
    in_person, _ = MeetingForm.objects.get_or_create(
        code="truc-tiep", defaults={"name": "Họp trực tiếp"}
    )
    online, _ = MeetingForm.objects.get_or_create(
        code="truc-tuyen", defaults={"name": "Họp trực tuyến"}
    )
    economy = MeetingField.objects.create(code="kinh-te-thu", name="Kinh tế")

    def meeting(title: str, start: datetime, **extra: Any) -> Meeting:
        data = {
            "type": regular,
            "form": in_person,
            "field": economy,
            "organiser_unit": office,
            "created_by": clerk,
            "status": Meeting.Status.PUBLISHED,
            "published_at": start - timedelta(days=9),
            **extra,
        }
        return Meeting.objects.create(
            title=title, start_at=start, end_at=start + timedelta(hours=2), **data
        )

    m1 = meeting("Họp giao ban kinh tế quý I", at("10/03/2025"))
    m2 = meeting(
        "Họp khẩn về phòng chống hạn mặn",
        at("15/03/2025", 14),
        type=urgent,
        form=online,
        field=None,
        published_at=at("15/03/2025", 8),
        late_reason="Chỉ đạo đột xuất của Chủ tịch UBND tỉnh",
    )
    m3 = meeting("Họp đã huỷ tháng 8", at("20/08/2025"), status=Meeting.Status.CANCELLED)
    meeting("Dự thảo chưa phát hành", at("05/09/2025"), status="draft", published_at=None)
    deleted = meeting("Cuộc họp đã xoá", at("10/10/2025"))
    deleted.deleted_at = at("11/10/2025")
    deleted.save()
    meeting("Họp cuối năm 2024", at("30/12/2024"))
    m7 = meeting(
        "Họp Sở Kế hoạch với Sở Tài chính",
        at("12/11/2025"),
        form=online,
        organiser_unit=other_department,
        created_by=skhdt_clerk,
    )

    inv: dict[str, Invitation] = {}
    for key, m, unit in [
        ("m1-stc", m1, department),
        ("m1-skhdt", m1, other_department),
        ("m2-stc", m2, department),
        ("m2-snv", m2, snv),
        ("m3-stc", m3, department),
        ("m7-stc", m7, department),
    ]:
        inv[key] = Invitation.objects.create(meeting=m, unit=unit)

    # Viewed before the start: STC M1 and M7, SKHDT M1; STC opened M2 only after it began.
    for m, user, unit, seen in [
        (m1, stc_clerk, department, at("05/03/2025")),
        (m1, stc_leader, department, at("06/03/2025")),
        (m2, stc_clerk, department, at("15/03/2025", 16)),
        (m7, stc_clerk, department, at("10/11/2025")),
        (m1, skhdt_clerk, other_department, at("09/03/2025")),
    ]:
        Receipt.objects.create(
            meeting=m, user=user, unit=unit, first_viewed_at=seen, last_viewed_at=seen
        )

    # Named attendees: STC for M1 and SKHDT for M1; STC declined M2.
    reply = Reply.objects.create(invitation=inv["m1-stc"], by=stc_clerk)
    Attendee.objects.create(reply=reply, full_name="Nguyễn Văn An", position="Phó Giám đốc")
    reply = Reply.objects.create(invitation=inv["m1-skhdt"], by=skhdt_clerk)
    Attendee.objects.create(reply=reply, full_name="Trần Thị Bình")
    Reply.objects.create(
        invitation=inv["m2-stc"], by=stc_clerk, declined=True, decline_reason="Trùng lịch"
    )
    # Roll call: M1 (STC present, SKHDT absent) and M7 (STC by a substitute); none for M2.
    Presence.objects.create(invitation=inv["m1-stc"], status="present", marked_by=clerk)
    Presence.objects.create(
        invitation=inv["m1-skhdt"], status="absent", reason="Ốm", marked_by=clerk
    )
    Presence.objects.create(
        invitation=inv["m7-stc"],
        status="substitute",
        substitute_name="Lê Văn Cường",
        marked_by=skhdt_clerk,
    )

    # Documents: two on M1, one deleted on M2 (two count).
    def document(m: Meeting, title: str, deleted: bool = False) -> Document:
        doc = Document.objects.create(meeting=m, title=title, created_by=clerk)
        version = DocumentVersion.objects.create(
            document=doc,
            file="tai-lieu/thu.pdf",
            original_name=f"{title}.pdf",
            content_type="application/pdf",
            size=1000,
            uploaded_by=clerk,
        )
        doc.current = version
        if deleted:
            doc.deleted_at = at("16/03/2025")
        doc.save()
        return doc

    report = document(m1, "Báo cáo kinh tế quý I")
    document(m1, "Dự thảo kế hoạch quý II")
    document(m2, "Tài liệu đã xoá", deleted=True)

    # Sign-ins of 2025: STC 3 (two accounts), SKHDT 1, the office 1, plus a failure and a
    # sign-out that do not count; SNV signed in only in 2024.
    session = LoginEvent.objects.create(
        kind="success", user=stc_clerk, unit=department, at=at("05/03/2025", 8),
        ip_address="10.0.0.5", user_agent="Mozilla/5.0 (iPad)", documents_downloaded=1,
    )  # fmt: skip
    for kind, user, unit, when in [
        ("success", stc_clerk, department, at("14/03/2025")),
        ("success", stc_leader, department, at("06/03/2025")),
        ("failure", stc_leader, department, at("06/03/2025", 8)),
        ("logout", stc_clerk, department, at("05/03/2025", 10)),
        ("success", skhdt_clerk, other_department, at("09/03/2025")),
        ("success", clerk, office, at("01/03/2025")),
        ("success", None, snv, at("01/12/2024")),
    ]:
        LoginEvent.objects.create(kind=kind, user=user, unit=unit, at=when)
    Download.objects.create(
        document=report,
        version=report.current,
        meeting=m1,
        user=stc_clerk,
        unit=department,
        login_event=session,
        at=at("05/03/2025", 8),
    )
    comment = Comment.objects.create(
        meeting=m1, author=stc_clerk, unit=department, body="Đề nghị bổ sung số liệu thu ngân sách."
    )
    Comment.objects.filter(pk=comment.pk).update(created_at=at("08/03/2025"))
    # The comment's time was moved around the models' save: its two months are counted again,
    # as the save would have done. Every other kept figure is as the events' saves left it.
    for month in (figures.month_of(comment.created_at), figures.month_of(at("08/03/2025"))):
        figures.refresh_units(month, [department.pk], figures.COMMENTS)
    return {
        "clerk": clerk,
        "stc_clerk": stc_clerk,
        "stc_leader": stc_leader,
        "skhdt_clerk": skhdt_clerk,
        "skhdt_leader": skhdt_leader,
        "meetings": {"m1": m1, "m2": m2, "m3": m3, "m7": m7},
        "session": session,
        "report": report,
    }
