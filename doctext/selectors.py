"""Reads of extracted texts (B3): which documents a user may search in, and the snippets shown
beside the meetings a search found.

How words match (documented for users on the help page): a meeting is found when every word of
the search is in its own fields (title, agenda, organiser, room, chair) or in the text of one of
its documents that the user may read: the current version of an alive document. Different words
may come from different places; that is what a person typing "kế hoạch đầu tư" expects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Greatest, StrIndex, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from accounts import kept
from accounts.models import User
from documents.models import Document
from documents.selectors import readable_by, readable_where_seen
from meetings.models import Meeting
from meetings.search import Found, search, word_put_in
from meetings.selectors import reader_of

from .folding import fold_aligned
from .models import VersionText

SNIPPET_BEFORE = 70
SNIPPET_LENGTH = 220


def readable_documents(user: User) -> QuerySet[Document]:
    """The documents this user may read, for searching inside them: the alive ones among
    documents.selectors.readable_by (the meetings the user sees; a restricted document only for
    its meeting's organiser side and its audience, B11), the filter the document pages use."""
    return Document.objects.alive().filter(readable_by(user))


def read_where_seen(user: User) -> QuerySet[Document]:
    """The alive documents this user may read among those of meetings it already sees (the
    search's and its snippets' meetings): the restriction alone, without asking again which
    meetings it sees."""
    return Document.objects.alive().filter(readable_where_seen(user))


def _holding(word: str) -> Q:
    return Q(current__text__status=VersionText.Status.DONE, current__text__folded__contains=word)


@lru_cache(maxsize=4)
def _texts_holding(word: str) -> tuple[str, tuple[Any, ...]]:
    texts = VersionText.objects.filter(status=VersionText.Status.DONE, folded__contains=word)
    return texts.order_by().values("version_id").query.sql_with_params()


# The word ReadableTexts.held's test is compiled for, once per shape of account.
HELD_STAND_IN = "\x01held\x01"


def _in_meetings(test: Exists) -> tuple[str, list[Any]]:
    """The SQL of a test asked of each meeting of a query of the meetings, and its parameters."""
    query = Meeting.objects.all().query
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    sql, params = compiler.compile(test.resolve_expression(query))
    return sql, list(params)


def _ids_sql(documents: QuerySet[Document]) -> tuple[str, list[Any]]:
    """The documents' meeting ids as SQL, in the documents' own order (a UNION's branch on
    PostgreSQL: meetings.search._held_by_index)."""
    sql, params = documents.values("meeting_id").query.sql_with_params()
    return sql, list(params)


class ReadableTexts:
    """The texts of the documents a user may read among those of the meetings it sees, as the
    meeting search asks them (meetings.search.Documents)."""

    def __init__(self, user: User) -> None:
        self.user = user

    # Built once for the search's every word and part (the account's invitations, its organiser
    # side): rebuilt for each, they took 6-7 ms of a three-word search. And only when a word is
    # looked for: a list opened without words spent 1 ms building them for nothing.
    @cached_property
    def _readable(self) -> Q:
        return readable_where_seen(self.user)

    @cached_property
    def _readable_outer(self) -> Q:
        return readable_where_seen(self.user, outer=True)

    def holding(self, word: str) -> QuerySet[Document]:
        """The documents whose current version's text holds this folded word."""
        return Document.objects.alive().filter(self._readable, _holding(word))

    def holding_sql(self, word: str) -> tuple[str, list[Any]]:
        """The meeting ids of `holding(word)` as SQL and its parameters, in the documents' order
        (a rare word's meetings, asked for a stand-in word), from the form kept for the
        account's shape (accounts.kept.kept_sql): building the account's readable filter for it
        was 6 % of a signed-in search in Python (sampled under load at 100 000 meetings)."""
        found = kept.kept_sql(
            ("doctext.holding", word),
            lambda account, _at: _ids_sql(ReadableTexts(account).holding(word)),
            self.user,
        )
        assert found is not None  # a query always compiles to a statement here
        return found

    def estimated_sql(self, word: str) -> tuple[str, Sequence[Any]]:
        """The texts holding the word, whatever their document and its reader: what the
        search's figures estimate, an upper bound of the documents this account may read that
        hold it (old versions' texts too, documents deleted or restricted). The readable
        documents' own query (holding_sql) joins four tables and the account's organiser side,
        and PostgreSQL planned it for each word in 0.5 ms, against 0.05 ms for the texts alone
        (most of a three-word search's figures, at 100 000 meetings); its estimate was the
        same for an office's clerk. Compiled once per process."""
        return _texts_holding(word)

    def held(self, word: str) -> Exists | RawSQL:
        """Whether the meeting of the outer query has such a document, asked meeting by meeting.
        The organiser side is read from that meeting's row: no join back to the meetings, and
        PostgreSQL cannot turn the test into gathering every document holding the word.

        The test is compiled once per shape of account for a stand-in word (accounts.kept), and
        each word's pattern and the account's ids are put into it: a walked search asks it for
        every word, and the ORM resolving each, the account's readable filter and its
        subqueries cloned and renamed into the meetings' query, was 17 % of a three-word search
        in Python (sampled under load at 100 000 meetings). It refers to the outer meeting by
        the meetings' table's own name, as the search's queries read it (never as a subquery of
        another query, which would rename it)."""
        found = kept.kept_sql(
            "doctext.held",
            lambda account, _at: _in_meetings(ReadableTexts(account)._held_exists(HELD_STAND_IN)),
            self.user,
        )
        assert found is not None  # a query always compiles to a statement here
        sql, params = found
        values = word_put_in(params, word, HELD_STAND_IN)
        # The SQL is the ORM's own compiled test; the word and the ids stay parameters.
        return RawSQL(sql, values, output_field=BooleanField())  # noqa: S611

    def _held_exists(self, word: str) -> Exists:
        documents = Document.objects.alive().filter(
            self._readable_outer, _holding(word), meeting_id=OuterRef("pk")
        )
        return Exists(documents)


@dataclass
class Match:
    document_id: int
    title: str
    snippet: SafeString


def highlight(text: str, words: Sequence[str]) -> SafeString:
    """The text escaped, the words (folded) marked wherever they occur, diacritics or not."""
    folded = fold_aligned(text)
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start >= 0:
            for i in range(start, start + len(word)):
                marked[i] = True
            start = folded.find(word, start + len(word))
    parts: list[str] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and marked[j] == marked[i]:
            j += 1
        piece = escape(text[i:j])
        parts.append(f"<mark>{piece}</mark>" if marked[i] else piece)
        i = j
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def _cut(text: str, at_start: bool, at_end: bool) -> str:
    """Whole words only, on one line, with an ellipsis where the text goes on."""
    if not at_start and " " in text:
        text = text.split(" ", 1)[1]
    if not at_end and " " in text:
        text = text.rsplit(" ", 1)[0]
    text = " ".join(text.split())
    return ("" if at_start else "… ") + text + ("" if at_end else " …")


def search_meetings(
    meetings: QuerySet[Meeting],
    filters: dict[str, Any],
    user: User,
    *,
    order: tuple[str, ...] = ("-start_at", "-id"),
    walk: bool | None = None,
    by_id: Callable[[list[int]], Iterable[Meeting]] | None = None,
) -> Found:
    """The signed-in search (S2, B3) over `meetings` (those the user sees): the meetings' own
    words (meetings.search), and a word may also be in the text of a document this account may
    read; "with documents" keeps the meetings that have one."""
    if filters.get("co_tai_lieu"):
        meetings = meetings.filter(
            Exists(Document.objects.alive().filter(meeting_id=OuterRef("pk")))
        )
    return search(
        meetings,
        filters,
        order=order,
        documents=ReadableTexts(user),
        walk=walk,
        reader=reader_of(user),
        by_id=by_id,
    )


def matches_for(user: User, meetings: Iterable[Meeting], words: Sequence[str]) -> dict[int, Match]:
    """For the meetings of one result page (meetings the user sees), the document that brought
    each in, with a snippet around the first of the words it holds: one query, whatever the
    number of meetings. Only meetings that need a document get one (a word missing from the
    meeting's own fields)."""
    needed: dict[int, list[str]] = {}
    for meeting in meetings:
        missing = [w for w in words if w not in (meeting.search_all or "")]
        if missing:
            needed[meeting.pk] = missing
    if not needed:
        return {}
    wanted = sorted({w for ws in needed.values() for w in ws})
    annotations = {}
    any_word = Q()
    for i, word in enumerate(wanted):
        position = StrIndex("current__text__folded", Value(word))
        annotations[f"p{i}"] = position
        any_word |= Q(**{f"p{i}__gt": 0})
    rows = read_where_seen(user).filter(
        meeting_id__in=list(needed), current__text__status=VersionText.Status.DONE
    )
    rows = rows.annotate(**annotations).filter(any_word)
    snippets = {
        f"s{i}": Case(
            When(
                **{f"p{i}__gt": 0},
                then=Substr(
                    "current__text__text",
                    Greatest(F(f"p{i}") - SNIPPET_BEFORE, Value(1)),
                    SNIPPET_LENGTH,
                ),
            ),
            default=Value(""),
        )
        for i in range(len(wanted))
    }
    rows = rows.annotate(**snippets).order_by("meeting_id", "order", "id")
    fields = ["id", "meeting_id", "title", *annotations, *snippets]
    best: dict[int, tuple[int, int, Match]] = {}
    for row in rows.values(*fields):
        missing = needed[row["meeting_id"]]
        positions = {w: row[f"p{wanted.index(w)}"] for w in missing}
        held = [w for w in missing if positions[w] > 0]
        if not held:
            continue
        first = min(held, key=lambda w: positions[w])
        index = wanted.index(first)
        start = max(positions[first] - SNIPPET_BEFORE, 1)
        raw = row[f"s{index}"]
        text = _cut(raw, at_start=start == 1, at_end=len(raw) < SNIPPET_LENGTH)
        match = Match(row["id"], row["title"], highlight(text, words))
        previous = best.get(row["meeting_id"])
        # The document holding the most of the missing words; the first in order among equals.
        if previous is None or len(held) > previous[0]:
            best[row["meeting_id"]] = (len(held), row["id"], match)
    return {meeting_id: match for meeting_id, (_n, _id, match) in best.items()}


def text_of(document: Document) -> VersionText | None:
    if document.current_id is None:
        return None
    return VersionText.objects.filter(version_id=document.current_id).first()
