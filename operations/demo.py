"""Demo meetings for `manage.py load_demo`: a few meetings around today, made through the services
as a clerk would, so that every page of the tour has something to show."""

from datetime import datetime, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Committee, LoginEvent, Person, Unit, User
from attendance.models import Attendee, Presence, Reply
from catalogs.models import Location, MeetingField, MeetingForm, MeetingType
from comments.models import Comment
from core.samples import pdf_bytes
from documents.models import Document, DocumentVersion, Download
from documents.services import Metadata, document_add
from meetings import services
from meetings.agenda import AgendaRow
from meetings.models import AgendaItem, Invitation, Meeting, Receipt
from reports import figures


def _at(days: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localtime() + timedelta(days=days)
    return day.replace(hour=hour, minute=minute, second=0, microsecond=0)


@transaction.atomic
def load_demo_meetings() -> int:
    """Creates the demo meetings once; returns how many it created."""
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

    def meeting(title: str, start: datetime, hours: int, **extra: Any) -> Meeting:
        # Created a week ahead so that the services accept it, then moved to its demo time.
        ahead = timezone.now() + timedelta(days=7)
        invitees = extra.pop("invitees")
        agenda = extra.pop("agenda", None)
        made = services.meeting_create(
            by=clerk,
            agenda=agenda,
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
            invitees=invitees,
        )
        return made

    def documents(target: Meeting, names: list[str], items: list[int] | None = None) -> None:
        """Each file, attached to the agenda item at the same place in `items` (1 = the first)."""
        agenda = list(target.agenda_items.order_by("position"))
        for index, name in enumerate(names):
            upload = SimpleUploadedFile(name, pdf_bytes(name.encode("ascii", "ignore").decode()))
            position = items[index] if items and index < len(items) else 0
            item = agenda[position - 1] if 0 < position <= len(agenda) else None
            document_add(
                meeting=target, by=clerk, uploaded=upload, metadata=Metadata(agenda_item=item)
            )

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
        agenda=[
            AgendaRow(
                "Báo cáo tình hình kinh tế - xã hội tháng 11 và nhiệm vụ trọng tâm tháng 12",
                "Giám đốc Sở Kế hoạch và Đầu tư",
                45,
            ),
            AgendaRow("Tờ trình dự toán ngân sách nhà nước năm sau", "Giám đốc Sở Tài chính", 40),
            AgendaRow(
                "Dự thảo Nghị quyết về kế hoạch phát triển kinh tế - xã hội năm sau",
                "Chánh Văn phòng UBND tỉnh",
                30,
            ),
            AgendaRow("Các thành viên UBND tỉnh thảo luận, cho ý kiến", "", 60),
            AgendaRow("Chủ tịch UBND tỉnh kết luận", "Chủ tịch UBND tỉnh", 15),
        ],
        invitees=services.Invitees(units=departments, persons=[p for p in [vice] if p]),
    )
    documents(
        today,
        [
            "Báo cáo tình hình KT-XH tháng 11.pdf",
            "Tờ trình dự toán ngân sách.pdf",
            "Dự thảo Nghị quyết.pdf",
        ],
        items=[1, 2, 3],
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
        agenda=[
            AgendaRow(
                "Báo cáo kết quả chuyển đổi số 9 tháng đầu năm",
                "Giám đốc Sở Thông tin và Truyền thông",
                30,
            ),
            AgendaRow("Tham luận của các sở, ngành và địa phương", "", 45),
            AgendaRow("Nhiệm vụ, giải pháp trọng tâm quý IV", "Phó Chủ tịch UBND tỉnh", 20),
        ],
        invitees=services.Invitees(committees=[digital], units=departments[:5]),
    )
    documents(week, ["Báo cáo chuyển đổi số 9 tháng.pdf"], items=[1])
    settle(week, _at(2, 14), 2)
    created.append(week)

    draft = meeting(
        "Họp triển khai phương án phòng, chống lụt bão",
        _at(8, 8),
        3,
        type=urgent,
        chair=vice,
        agenda=[
            AgendaRow(
                "Báo cáo tình hình mưa lũ và công tác chuẩn bị ứng phó",
                "Chánh Văn phòng Ban chỉ huy PCTT và TKCN tỉnh",
                20,
            ),
            AgendaRow("Triển khai phương án sơ tán dân vùng trũng, ven sông", "", 30),
            AgendaRow("Phân công nhiệm vụ các sở, ngành, địa phương", "Phó Chủ tịch UBND tỉnh", 15),
        ],
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
    created += history(clerk, secretary, hall, room, chair, vice, departments, districts)
    figures.rebuild()  # the history is written around the models' save: count it once
    return len(created)


HISTORY = [
    ("Phiên họp thường kỳ UBND tỉnh tháng {month}", "kinh-te", "Kinh tế – Tổng hợp"),
    ("Họp giao ban công tác cải cách hành chính", "cai-cach-hanh-chinh", "Cải cách hành chính"),
    ("Họp bàn giải pháp giải ngân vốn đầu tư công", "dau-tu", "Đầu tư – Xây dựng cơ bản"),
    ("Hội nghị triển khai kế hoạch phòng, chống dịch bệnh", "y-te", "Y tế"),
    (
        "Họp thẩm định đề án chuyển đổi số cấp huyện",
        "khoa-hoc-cong-nghe",
        "Khoa học, công nghệ và chuyển đổi số",
    ),
    ("Họp giải quyết vướng mắc giải phóng mặt bằng đường tỉnh 782", "dau-tu", ""),
    ("Họp đánh giá tình hình thu ngân sách", "tai-chinh", "Tài chính – Ngân sách"),
    ("Hội nghị tổng kết năm học, triển khai năm học mới", "giao-duc", "Giáo dục và Đào tạo"),
]


def history(
    clerk: User,
    secretary: User | None,
    hall: Location | None,
    room: Location | None,
    chair: Person | None,
    vice: Person | None,
    departments: list[Unit],
    districts: list[Unit],
) -> list[Meeting]:
    """Six months of past meetings with what happened around them, so that the statistics, the
    usage report and the login log have something to show: views, downloads, answers, the roll,
    comments and sign-ins by the demo accounts of Sở Tài chính and Sở Kế hoạch và Đầu tư. Written
    straight to the tables (they are records of the past, not actions to notify); all start more
    than five weeks ago."""
    import random

    from django.core.files.base import ContentFile

    rng = random.Random(2026)
    accounts = {u.username: u for u in User.objects.filter(username__in=DEMO_ACTIVE)}
    stc, skhdt = accounts.get("stc"), accounts.get("skhdt")
    if stc is None or skhdt is None or stc.unit is None or skhdt.unit is None:
        return []
    leader = accounts.get("lanhdao.stc")
    regular = MeetingType.objects.get(code="thuong-ky")
    urgent = MeetingType.objects.get(code="bat-thuong")
    forms = list(MeetingForm.objects.filter(is_active=True).order_by("pk")[:3])
    others = [u for u in departments + districts if u.pk not in {stc.unit_id, skhdt.unit_id}]
    people = {
        unit.pk: list(Person.objects.filter(unit=unit, is_active=True)[:3])
        for unit in (stc.unit, skhdt.unit)
    }
    office = clerk.unit
    assert office is not None
    made: list[Meeting] = []
    for n in range(16):
        days_ago = 38 + n * 11
        start = _at(-days_ago, rng.choice([8, 14]))
        title, field_code, field_name = HISTORY[n % len(HISTORY)]
        # The seed migration made these; get_or_create keeps the demo whole on a flushed database.
        field, _ = MeetingField.objects.get_or_create(
            code=field_code, defaults={"name": field_name or field_code}
        )
        title = title.format(month=start.month)
        if n >= len(HISTORY):
            title = f"{title} (lần {n // len(HISTORY) + 1})"
        kind = urgent if n % 5 == 3 else regular
        late = n % 6 == 4
        notice = (
            timedelta(hours=20) if late and kind == urgent else timedelta(days=2 if late else 6)
        )
        meeting = Meeting.objects.create(
            title=title,
            agenda="1. Đánh giá kết quả thực hiện (Lãnh đạo đơn vị chủ trì)\n"
            "2. Đề xuất giải pháp thời gian tới",
            start_at=start,
            end_at=start + timedelta(hours=2),
            location=hall if n % 2 else room,
            form=forms[n % len(forms)],
            type=kind,
            field=field,
            chair=chair if n % 3 else vice,
            organiser_unit=office,
            secretary=secretary,
            created_by=clerk,
            status=Meeting.Status.CANCELLED if n == 9 else Meeting.Status.PUBLISHED,
            status_reason="Lãnh đạo tỉnh bận công tác đột xuất." if n == 9 else "",
            published_at=start - notice,
            late_reason="Nội dung cần xin ý kiến gấp theo chỉ đạo của Chủ tịch UBND tỉnh."
            if late
            else "",
        )
        made.append(meeting)
        invited = [stc.unit, skhdt.unit, *rng.sample(others, 4)]
        invitations = Invitation.objects.bulk_create(
            [Invitation(meeting=meeting, unit=unit) for unit in invited]
        )
        version = DocumentVersion(
            number=1,
            original_name=f"Báo cáo {n + 1}.pdf",
            content_type="application/pdf",
            uploaded_by=clerk,
            uploaded_at=start - notice,
        )
        content = pdf_bytes(f"Bao cao {n + 1}")
        report, _discussion = AgendaItem.objects.bulk_create(
            [
                AgendaItem(
                    meeting=meeting,
                    position=1,
                    title="Đánh giá kết quả thực hiện",
                    presenter="Lãnh đạo đơn vị chủ trì",
                    planned_minutes=30,
                ),
                AgendaItem(
                    meeting=meeting,
                    position=2,
                    title="Đề xuất giải pháp thời gian tới",
                    planned_minutes=45,
                ),
            ]
        )
        document = Document.objects.create(
            meeting=meeting,
            title=f"Báo cáo phục vụ: {title}",
            created_by=clerk,
            agenda_item=report,
        )
        version.document = document
        version.size = len(content)
        version.sha256 = __import__("hashlib").sha256(content).hexdigest()
        version.file.save(f"bao-cao-{n + 1}.pdf", ContentFile(content), save=False)
        version.save()
        Document.objects.filter(pk=document.pk).update(current=version)
        if meeting.status == Meeting.Status.CANCELLED:
            continue
        for account, chance in ((stc, 0.9), (leader, 0.5), (skhdt, 0.6)):
            if account is None or rng.random() > chance:
                continue
            before = rng.random() < 0.85
            seen = (
                start - timedelta(days=rng.randint(1, 4)) if before else start + timedelta(hours=3)
            )
            session = LoginEvent.objects.create(
                kind=LoginEvent.Kind.SUCCESS,
                user=account,
                unit=account.unit,
                username_tried=account.username,
                ip_address=f"10.20.{(account.unit_id or 0) % 250}.{rng.randint(2, 250)}",
                user_agent=rng.choice(AGENTS),
                at=seen - timedelta(minutes=5),
            )
            Receipt.objects.update_or_create(
                meeting=meeting,
                user=account,
                defaults={
                    "unit": account.unit,
                    "first_viewed_at": seen,
                    "last_viewed_at": seen,
                    "view_count": 1,
                },
            )
            if rng.random() < 0.7:
                Download.objects.create(
                    document=document, version=version, meeting=meeting, user=account,
                    unit=account.unit, login_event=session, at=seen + timedelta(minutes=2),
                )  # fmt: skip
                LoginEvent.objects.filter(pk=session.pk).update(documents_downloaded=1)
            if account is stc and rng.random() < 0.5:
                comment = Comment.objects.create(
                    meeting=meeting, author=stc, unit=stc.unit,
                    body="Đề nghị bổ sung số liệu so sánh cùng kỳ năm trước.",
                )  # fmt: skip
                Comment.objects.filter(pk=comment.pk).update(created_at=seen + timedelta(minutes=9))
        for invitation in invitations:
            if invitation.unit_id in people and rng.random() < 0.8:
                reply = Reply.objects.create(
                    invitation=invitation, by=stc if invitation.unit_id == stc.unit_id else skhdt
                )
                person = rng.choice(people[invitation.unit_id] or [None])
                Attendee.objects.create(
                    reply=reply,
                    person=person,
                    full_name=person.full_name if person else "Nguyễn Văn Bình",
                    position=person.position if person else "Chuyên viên",
                )
            roll = rng.random()
            if roll < 0.75:
                Presence.objects.create(
                    invitation=invitation, status="present", marked_by=secretary or clerk
                )
            elif roll < 0.88:
                Presence.objects.create(
                    invitation=invitation,
                    status="absent",
                    reason="Bận công tác",
                    marked_by=secretary or clerk,
                )
            else:
                Presence.objects.create(
                    invitation=invitation, status="substitute", substitute_name="Trần Văn Hùng",
                    substitute_position="Phó Trưởng phòng", marked_by=secretary or clerk,
                )  # fmt: skip
    # A few wrong passwords, as in any office.
    for days_ago in (45, 90, 120):
        LoginEvent.objects.create(
            kind=LoginEvent.Kind.FAILURE, user=stc, unit=stc.unit, username_tried="stc",
            ip_address="10.20.1.9", user_agent=AGENTS[0], at=_at(-days_ago, 7, 55),
        )  # fmt: skip
    return made


DEMO_ACTIVE = ["stc", "lanhdao.stc", "skhdt"]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 Chrome/130.0 Mobile Safari",
]
