"""A meeting's agenda (B9): its items as rows, the free text of older meetings split into rows, and
the text kept on the meeting (Meeting.agenda) derived from the items, one line per item, so that
search, the API, the printed pages, the e-mails and the exports read the same agenda."""

import re
from dataclasses import dataclass

# "1. ", "2) ", "- ", "• " at the start of a line: the item's position says the same.
# (The same pattern as migration 0006, which split the agendas that were there.)
MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[-\u2013\u2022*+])\s+")


@dataclass(frozen=True)
class AgendaRow:
    """One item as the form or the API gives it; `pk` names the saved item it edits."""

    title: str
    presenter: str = ""
    planned_minutes: int | None = None
    pk: int | None = None


def split_agenda(text: str) -> list[AgendaRow]:
    """Each non-empty line of a free-text agenda is one item, its numbering left out."""
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line:
            rows.append(AgendaRow(title=MARKER.sub("", line, count=1) or line))
    return rows


def one_line(text: str) -> str:
    return " ".join(text.split())


def agenda_text(rows: list[AgendaRow]) -> str:
    """ "1. title (presenter)", one line per item, in order."""
    lines = []
    for number, row in enumerate(rows, start=1):
        line = f"{number}. {one_line(row.title)}"
        if row.presenter.strip():
            line += f" ({one_line(row.presenter)})"
        lines.append(line)
    return "\n".join(lines)
