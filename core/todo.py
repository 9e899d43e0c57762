"""One row of an account's to-do list ("Việc cần làm"). Each app that gives an account something
to do returns its rows as these from a selector of its own; the portal gathers them into one list
and counts them for the top menu, knowing nothing else of the apps."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .dates import start_of_day

# The rows an app gives the list at most, the first in its own order. The dashboard shows the
# first ten of them all and ten more behind "Xem thêm"; the rest are counted in the list's
# heading and the menu, and come up as those above are done. A unit invited everywhere had 50
# invitations to answer listed, 40 of them behind "Xem thêm", and making and writing those rows
# was nearly a fifth of its dashboard's time (sampled under load at 100 000 meetings).
TODO_LIMIT = 20


@dataclass(frozen=True)
class TodoItem:
    """What to do (`action`, said as a verb: "Phê duyệt biên bản"), on what (`title`, a meeting's or
    a request's), a line of context (`about`: the meeting, the unit that asks), the page where it
    is done in one tap (`url`), by when (`due`, a moment; `due_day` when the deadline is a whole
    day, which then lasts until its end), and when it came (`since`, the newest first among rows
    without a deadline). `kind` names the row's source for styling and tests; a higher `priority`
    comes first among rows due at the same time."""

    kind: str
    action: str
    title: str
    url: str
    about: str = ""
    due: datetime | None = None
    due_day: date | None = None
    since: datetime | None = None
    priority: int = 0

    @classmethod
    def day_deadline(cls, day: date) -> datetime:
        """A deadline day as the moment it passes: the start of the next day."""
        return start_of_day(day + timedelta(days=1))

    def is_overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due <= now

    def sort_key(self, now: datetime) -> tuple[bool, bool, float, int, float]:
        """Overdue first, then the nearest deadline, then the newest."""
        return (
            not self.is_overdue(now),
            self.due is None,
            self.due.timestamp() if self.due is not None else 0.0,
            -self.priority,
            -(self.since.timestamp() if self.since is not None else 0.0),
        )
