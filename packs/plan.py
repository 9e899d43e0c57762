"""What a reader's meeting pack holds, and its key.

One pack per set of versions: the key is a SHA-256 of the meeting's details shown on the cover,
the agenda, every document's current version and the PDF it is read from (a finished conversion
changes it), and the reader's restricted set.

Shared or per reader: restricted documents (B11) are read only by their meeting's organiser side
and their audience, and downloaded only as a copy stamped with the reader's name. A reader who
may read none of the meeting's restricted documents gets the shared pack (no reader, the
unrestricted documents only), which every such reader of the meeting downloads: one build for
the whole meeting. A reader who may read one or more gets a pack of their own holding the same
documents plus those, stamped for them; a restricted document they may read but not download is
listed with a line saying it is read online only. The per-reader packs are few (the organisers and
the chosen audience), and a change of the audience changes the key, so nobody keeps a pack with
documents they may no longer read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import User
from documents.models import Document
from documents.selectors import meeting_documents
from documents.watermark import PdfSource, pdf_of
from meetings.models import AgendaItem, Meeting

# Bumped when the layout of the pack changes, so every pack is made again.
LAYOUT = "1"


@dataclass
class Entry:
    document: Document
    source: PdfSource | None  # None: no PDF form, listed as a download only
    stamped: bool = False  # restricted, stamped with the reader's name
    online_only: bool = False  # restricted, the reader may read it online only


@dataclass
class Section:
    title: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Plan:
    meeting: Meeting
    reader: User | None
    sections: list[Section]
    key: str

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]


def _documents(meeting: Meeting, user: User | None) -> QuerySet[Document]:
    documents: QuerySet[Document]
    if user is None:
        documents = Document.objects.alive().filter(meeting=meeting, restricted=False)
    else:
        documents = meeting_documents(user, meeting)
    return documents.filter(current__isnull=False).select_related("current").order_by("order", "id")


def plan_for(meeting: Meeting, user: User | None) -> Plan:
    """The pack `user` reads (None: the shared pack)."""
    documents = list(_documents(meeting, user))
    reader = user if user is not None and any(d.restricted for d in documents) else None
    entries: dict[int, Entry] = {}
    for document in documents:
        if reader is None and document.restricted:
            continue
        document.meeting = meeting
        version = document.current
        assert version is not None
        entry = Entry(document=document, source=None)
        if document.restricted:
            assert reader is not None
            entry.online_only = not reader.has_perm("documents.download_document", document)
            entry.stamped = not entry.online_only
        if not entry.online_only:
            entry.source = pdf_of(version)
        entries[document.pk] = entry
    items = list(AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"))
    sections = [
        Section(
            f"{number}. {item.title}",
            [entries[d.pk] for d in documents if d.agenda_item_id == item.pk and d.pk in entries],
        )
        for number, item in enumerate(items, start=1)
    ]
    known = {item.pk for item in items}
    loose = [entries[d.pk] for d in documents if d.agenda_item_id not in known and d.pk in entries]
    if loose:
        # The site's language, not the asking request's: the worker and the page must agree on
        # the key.
        with translation.override(settings.LANGUAGE_CODE):
            title = gettext("Tài liệu chung") if items else gettext("Tài liệu họp")
        sections.append(Section(title, loose))
    return Plan(meeting, reader, sections, _key(meeting, reader, items, sections))


def _key(
    meeting: Meeting, reader: User | None, items: list[AgendaItem], sections: list[Section]
) -> str:
    content = {
        "layout": LAYOUT,
        "meeting": [
            meeting.pk,
            meeting.title,
            timezone.localtime(meeting.start_at).isoformat(),
            str(meeting.location) if meeting.location_id else "",
            str(meeting.chair) if meeting.chair_id else "",
            str(meeting.organiser_unit),
        ],
        "reader": reader.pk if reader is not None else None,
        "agenda": [[item.pk, item.title, item.presenter] for item in items],
        "sections": [
            [
                section.title,
                [
                    [
                        entry.document.pk,
                        entry.document.title,
                        entry.document.number,
                        entry.document.current_id,
                        entry.source[1] if entry.source else "",
                        entry.stamped,
                        entry.online_only,
                    ]
                    for entry in section.entries
                ],
            ]
            for section in sections
        ],
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()
