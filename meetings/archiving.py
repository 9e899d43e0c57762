"""What an approved archive export (D1) files for a meeting besides its documents and comments:
the meeting's records, listed by the apps that keep them.

The archive is built by `exports`, which stands on the floor of `tasks` and may not import it; the
apps that keep a meeting's records (the invitation, the roll, the votes, the comments' summary, the
minutes, the conclusion notices and their tasks) each register, from their AppConfig.ready(), a
function that lists their records for a set of meetings and an account:

    from meetings.archiving import Record, register

    def records(meetings: Sequence[Meeting], user: User) -> Iterable[Record]:
        for vote in closed votes of those meetings that `user` may read:
            yield Record(meeting_id=..., name="Kết quả biểu quyết 1 - ....pdf",
                         kind=_("Kết quả biểu quyết"), dated=vote.closed_at,
                         render=lambda vote=vote: results_pdf(vote, archival=True))

    register("voting", records, order=30)

A record is either an original kept in storage (`stored`: a signed PDF, a unit's report), copied
byte for byte, or a PDF made by `render` (PDF/A: `core.exporting.ARCHIVAL_PDF`) only when the ZIP
reaches it, so that the archive of a year holds one record in memory at a time. Each lister asks
its own rules: the archive holds only what the requester may read on the records' pages.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.storage import Storage

from .models import Meeting


@dataclass(frozen=True)
class Stored:
    """An original in storage: what the archive copies, untouched."""

    storage: Storage
    name: str
    size: int


@dataclass(frozen=True)
class Record:
    meeting_id: int
    # The file's name as the office says it ("Biên bản 12/BB-VPUBND.pdf"); the archive makes it
    # safe (a "/" becomes "-", characters Windows refuses go).
    name: str
    kind: str
    # What the index shows as the record's date: approval, signing, closing, issue.
    dated: datetime | date | None
    render: Callable[[], bytes] | None = None
    stored: Stored | None = None
    # A folder under the meeting's records ("bao-cao-nhiem-vu"), or "".
    folder: str = ""


Lister = Callable[[Sequence[Meeting], Any], Iterable[Record]]

_listers: dict[str, tuple[int, Lister]] = {}


def register(key: str, lister: Lister, *, order: int) -> None:
    """`order` places the kind in each meeting's folder and index (the invitation first)."""
    _listers[key] = (order, lister)


def unregister(key: str) -> None:
    _listers.pop(key, None)


def records_of(meetings: Sequence[Meeting], user: Any) -> dict[int, list[Record]]:
    """Every registered kind's records of the meetings that `user` may read, by meeting, each
    meeting's in the kinds' order."""
    found: dict[int, list[Record]] = {meeting.pk: [] for meeting in meetings}
    for _order, lister in sorted(_listers.values(), key=lambda entry: entry[0]):
        for record in lister(meetings, user):
            found.setdefault(record.meeting_id, []).append(record)
    return found
