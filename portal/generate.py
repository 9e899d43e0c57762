"""A province's ten years, generated: meetings, units with one account each, invitations and
receipts, roll calls, answers, documents with downloads, comments and sign-ins. Used by
`manage.py generate_data` and by the benchmarks; the same seed gives the same data on SQLite and
PostgreSQL. Rows are written in bulk (no history, no notifications): this is load, not a story."""

import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import LoginEvent, Unit, User
from attendance.models import Presence, Reply
from catalogs.models import MeetingForm, MeetingType
from comments.models import Comment
from doctext.folding import fold_aligned
from doctext.models import VersionText
from documents.models import Document, DocumentVersion, Download
from meetings.models import Invitation, Meeting, Receipt
from reports import figures

WORDS = [
    "giao ban", "chuyển đổi số", "họp không giấy", "kinh tế - xã hội", "đường tỉnh",
    "ngân sách", "phòng chống thiên tai", "đầu tư công", "cải cách hành chính", "y tế",
    "giáo dục", "nông thôn mới", "quy hoạch", "an toàn giao thông", "thuế", "đất đai",
    "môi trường", "du lịch", "văn hoá", "lao động",
]  # fmt: skip
BATCH = 5000
CLERK = "vanthu"  # the organising office's clerk, as in the demo data


@dataclass
class Size:
    meetings: int = 100_000
    units: int = 1_000
    per_meeting: int = 10  # invitations (and receipts) per meeting
    sign_ins: int = 200_000
    # A few meetings the benchmarks open: 30 invitees with 10 documents; 500 invitees.
    showcase: bool = True


Progress = Callable[[str, int, int], None]


def bar(label: str, done: int, total: int) -> None:
    """A one-line progress bar on stderr. Written here rather than pulling in a package for
    twenty characters of output."""
    width = 30
    filled = width * done // max(total, 1)
    end = "\n" if done >= total else ""
    sys.stderr.write(f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}{end}")
    sys.stderr.flush()


def office_and_clerk() -> tuple[Unit, User]:
    """The Provincial Office (there from the first migration) organises; its clerk is made if
    missing, as the demo data names it."""
    office = Unit.objects.get(code="VPUBND")
    clerk = User.objects.filter(username=CLERK).first()
    if clerk is None:
        clerk = User.objects.create(username=CLERK, role=User.Role.CLERK, unit=office)
    return office, clerk


def _viewed(meeting: Meeting, user: User, at: Any) -> Receipt:
    return Receipt(
        meeting=meeting,
        user=user,
        unit=user.unit,
        first_viewed_at=at,
        last_viewed_at=at,
        view_count=1,
    )


def generate(
    size: Size, *, seed: int = 7, progress: Progress = bar, count_figures: bool = True
) -> dict[str, int]:
    """Write the dataset; return how many of each row were written. `count_figures=False`
    leaves the statistics' kept counts uncounted (a test that reads no report)."""
    rng = random.Random(seed)
    office, clerk = office_and_clerk()
    first = Unit.objects.filter(code__regex=r"^B[0-9]+$").count()  # a second run adds more
    with transaction.atomic():
        units = Unit.objects.bulk_create(
            [
                Unit(code=f"B{i}", name=f"Sở thử nghiệm {i}", kind=Unit.Kind.DEPARTMENT)
                for i in range(first, first + size.units)
            ]
        )
        users = User.objects.bulk_create(
            [
                User(username=f"b{u.pk}", kind=User.Kind.UNIT, role=User.Role.UNIT_CLERK, unit=u)
                for u in units
            ]
        )
    kind = MeetingType.objects.get(code="thuong-ky")
    form = MeetingForm.objects.get(code="truc-tiep")
    now = timezone.now()
    per = min(size.per_meeting, len(units))
    progress("meetings", 0, size.meetings)
    for start in range(0, size.meetings, BATCH):
        rows = []
        for i in range(start, min(start + BATCH, size.meetings)):
            a, b = rng.sample(WORDS, 2)
            title = f"Họp {a} và {b} số {i}"
            agenda = f"Báo cáo {rng.choice(WORDS)}; kế hoạch {rng.choice(WORDS)}."
            begin = now + timedelta(hours=rng.randint(-24 * 700, 24 * 60))
            meeting = Meeting(
                title=title,
                agenda=agenda,
                start_at=begin,
                end_at=begin + timedelta(hours=2),
                form=form,
                type=kind,
                organiser_unit=office,
                created_by=clerk,
                status=Meeting.Status.PUBLISHED,
                published_at=begin - timedelta(days=5),
            )
            meeting.refresh_search()  # bulk_create does not call save()
            rows.append(meeting)
        with transaction.atomic():
            made = Meeting.objects.bulk_create(rows)
            invitations, receipts = [], []
            for meeting in made:
                for index in rng.sample(range(len(units)), per):
                    invitations.append(Invitation(meeting=meeting, unit=units[index]))
                    receipts.append(
                        _viewed(meeting, users[index], meeting.start_at - timedelta(days=1))
                    )
            Invitation.objects.bulk_create(invitations, batch_size=2000)
            Receipt.objects.bulk_create(receipts, batch_size=2000)
            _activity(rng, made, invitations, users, clerk, now)
        progress("meetings", start + len(rows), size.meetings)
    _sign_ins(rng, units, users, now, size.sign_ins, progress)
    if size.showcase:
        _showcase(office, clerk, users, kind, form, now)
    # Written around the models' save: the report's kept counts are counted once at the end.
    if count_figures:
        figures.rebuild(lambda done, total: progress("figures", done, total))
    return {
        "meetings": size.meetings,
        "units": len(units),
        "invitations": size.meetings * per,
        "sign_ins": size.sign_ins,
    }


def _activity(
    rng: random.Random,
    meetings: list[Meeting],
    invitations: list[Invitation],
    users: list[User],
    clerk: User,
    now: Any,
) -> None:
    """What the reports count besides receipts: a roll call for every third past meeting,
    answers for every fifth, one document on every tenth meeting with downloads, comments."""
    by_meeting: dict[int, list[Invitation]] = {}
    for invitation in invitations:
        by_meeting.setdefault(invitation.meeting_id, []).append(invitation)
    presences, replies, comments, documents = [], [], [], []
    for index, meeting in enumerate(meetings):
        past = meeting.start_at < now
        for invitation in by_meeting[meeting.pk]:
            if index % 5 == 0:
                declined = rng.random() < 0.1
                replies.append(
                    Reply(
                        invitation=invitation,
                        by=clerk,
                        declined=declined,
                        decline_reason="Trùng lịch" if declined else "",
                    )
                )
            if past and index % 3 == 0:
                present = rng.random() < 0.8
                presences.append(
                    Presence(
                        invitation=invitation,
                        status=Presence.Status.PRESENT if present else Presence.Status.ABSENT,
                        reason="" if present else "Ốm",
                        marked_by=clerk,
                    )
                )
        if index % 10 == 0:
            documents.append(
                Document(meeting=meeting, title=f"Tài liệu {meeting.pk}", created_by=clerk)
            )
        if index % 2 == 0:
            author = users[rng.randrange(len(users))]
            comments.append(
                Comment(meeting=meeting, author=author, unit=author.unit, body="Góp ý thử nghiệm")
            )
    Reply.objects.bulk_create(replies, batch_size=2000)
    Presence.objects.bulk_create(presences, batch_size=2000)
    Comment.objects.bulk_create(comments, batch_size=2000)
    _documents(rng, documents, users, clerk, downloads_each=10)


def _documents(
    rng: random.Random,
    documents: list[Document],
    users: list[User],
    clerk: User,
    *,
    downloads_each: int,
) -> None:
    Document.objects.bulk_create(documents, batch_size=2000)
    versions = DocumentVersion.objects.bulk_create(
        [
            DocumentVersion(
                document=d,
                file="generated.pdf",
                original_name="generated.pdf",
                content_type="application/pdf",
                size=1000,
                uploaded_by=clerk,
            )
            for d in documents
        ],
        batch_size=2000,
    )
    for document, version in zip(documents, versions, strict=True):
        document.current = version
    Document.objects.bulk_update(documents, ["current"], batch_size=2000)
    _texts(rng, documents)
    downloads = []
    for document, version in zip(documents, versions, strict=True):
        for _ in range(downloads_each):
            user = users[rng.randrange(len(users))]
            downloads.append(
                Download(
                    document=document,
                    version=version,
                    meeting=document.meeting,
                    user=user,
                    unit=user.unit,
                    at=document.meeting.start_at - timedelta(days=1),
                )
            )
    Download.objects.bulk_create(downloads, batch_size=2000)


def _texts(rng: random.Random, documents: list[Document]) -> None:
    """The text the reader would take from each file (doctext), for the signed-in search: a
    submission ("Tờ trình", said only by documents) on two of the subjects, and an appendix
    numbered after its meeting (a reference found in one or a few meetings)."""
    rows = []
    for document in documents:
        text = (
            f"Tờ trình về {rng.choice(WORDS)} và {rng.choice(WORDS)}. "
            f"Phụ lục {document.meeting_id}: số liệu tổng hợp."
        )
        rows.append(
            VersionText(
                version=document.current,
                status=VersionText.Status.DONE,
                text=text,
                folded=fold_aligned(text),
                pages=1,
            )
        )
    VersionText.objects.bulk_create(rows, batch_size=2000)


def _sign_ins(
    rng: random.Random,
    units: list[Unit],
    users: list[User],
    now: Any,
    count: int,
    progress: Progress,
) -> None:
    """Sign-ins over two years; half of the units never sign in; a failure for every tenth."""
    rows = []
    progress("sign-ins", 0, count)
    for n in range(count):
        index = rng.randrange(max(len(users) // 2, 1))
        rows.append(
            LoginEvent(
                kind=LoginEvent.Kind.FAILURE if n % 10 == 0 else LoginEvent.Kind.SUCCESS,
                user=users[index],
                unit=units[index],
                username_tried=users[index].username,
                ip_address="10.0.0.1",
                user_agent="Mozilla/5.0",
                at=now - timedelta(minutes=rng.randint(0, 60 * 24 * 700)),
            )
        )
        if len(rows) == BATCH:
            LoginEvent.objects.bulk_create(rows)
            rows = []
            progress("sign-ins", n + 1, count)
    LoginEvent.objects.bulk_create(rows)
    progress("sign-ins", count, count)


SHOWCASE_30 = "Họp mẫu 30 thành phần, 10 tài liệu"
SHOWCASE_500 = "Họp mẫu 500 thành phần"


def _showcase(office: Unit, clerk: User, users: list[User], kind: Any, form: Any, now: Any) -> None:
    """Two meetings next week that the benchmarks open: 30 invited units and 10 documents (the
    meeting page), and 500 invited units (the receipt page); half the invitees have opened them."""
    rng = random.Random(11)
    for title, invited, files in ((SHOWCASE_30, 30, 10), (SHOWCASE_500, 500, 1)):
        begin = now + timedelta(days=7)
        meeting = Meeting.objects.create(
            title=title,
            agenda="Chương trình mẫu",
            start_at=begin,
            end_at=begin + timedelta(hours=3),
            form=form,
            type=kind,
            organiser_unit=office,
            created_by=clerk,
            status=Meeting.Status.PUBLISHED,
            published_at=now,
        )
        chosen = users[:invited]
        Invitation.objects.bulk_create([Invitation(meeting=meeting, unit=u.unit) for u in chosen])
        Receipt.objects.bulk_create([_viewed(meeting, u, now) for u in chosen[::2]])
        documents = [
            Document(meeting=meeting, title=f"Tài liệu {n + 1}", created_by=clerk, order=n)
            for n in range(files)
        ]
        _documents(rng, documents, users, clerk, downloads_each=20)
