"""The meeting search (S2, B3), written so that a page reads about a page of rows whatever the
words, at a province's size (100 000 meetings).

Words match without regard to case or diacritics (đ as d), each word anywhere; the meetings
whose title holds every word come first, then the others, each group in the list's order. The
two groups are two parts read one after the other (core.paging), each in start order, so that
PostgreSQL stops at the page: no query ranks, sorts or counts every match.

Which way a part finds its rows depends on how many meetings hold the words, as PostgreSQL's
statistics say (one EXPLAIN: no row is read), and on how many rows are wanted (a page, or up to
1 000 for the count):
- When one word is rare (in its meetings' own fields and its documents' text together), the
  meetings holding it come from its trigram indexes, and the other words are tested on those few.
- When every word is common, each part walks the start index and tests the meetings one by
  one, stopping when it has the rows. The test is `strpos`, which no index serves, so that the
  planner cannot choose to gather every match through a trigram index and sort them (its
  estimate multiplies the words' shares and so undercounts words that go together, "hop khong
  giay"), and the documents are asked meeting by meeting (EXISTS), not gathered.
The title group the same way, from the titles' own figures. Without statistics (SQLite) the
longest word's meetings are gathered.
"""

import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from functools import lru_cache, partial
from time import monotonic
from typing import Any, Protocol

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from core.dates import within_days
from core.paging import COUNT_LIMIT, Lazy, Listed, ids_to
from core.text import fold

from .models import Invitation, Meeting

logger = logging.getLogger(__name__)

MAX_WORDS = 10
# The word the statistics' branches are built for; each word's pattern then takes the place of
# the parameters that are this word's pattern (the branches' other parameters are the account's
# ids and the documents' states, never such a text).
STAND_IN = "\x01word\x01"
# A search's results are counted up to this many, then shown as "more than 200: add a word or a
# filter". Counting a search means testing meetings one by one until that many are found (every
# word in each meeting's fields or in one of its documents, as the reader may see them): for
# words common together, up to 1 000 was most of the page's time at 100 000 meetings ("ĐƯỜNG
# TỈNH ngân sách": 55 ms of 125, 18 000 meetings tested). Four pages' worth tells the reader
# whether to narrow the search; the pager goes on past it, page by page.
SEARCH_COUNT_LIMIT = 200
# Past this share of the meetings, PostgreSQL reads the whole table to find a word's meetings
# gathered by id (rightly: it is cheaper than as many index lookups), so they are walked to.
GATHERED_SHARE = 0.05
# Counting, the titles' part is read unordered: gathered through the titles' trigram index, the
# count stops after `need` rows as walking does, and what it reads beyond is the index's entries
# for the words (a tenth of a walked row's cost or less: a walked row is tested against the
# reader's visibility and every word). So it is gathered while the titles holding the words are
# fewer than sqrt(COUNT_GATHER x need x meetings), and the planner expects at most
# GATHERED_SHARE of the meetings to hold them (past that it reads the table instead). Measured
# at 100 000 meetings: "ĐƯỜNG TỈNH ngân sách" counted to 201 title matches in 3 ms gathered,
# 39 ms walked (its words are in 6 000 titles each, together in 500).
COUNT_GATHER = 10
# For a page, the titles holding every word of several are read in start order: walked, about
# need x meetings / matches rows tested; gathered through their index, every match read and
# sorted. The statistics cannot tell which is cheaper for words that go together: each word's
# titles bound theirs from above only, and the planner's product of the words' shares undercounts
# them (measured at 100 000 meetings, each word in 6 000 titles: "ĐƯỜNG TỈNH ngân sách" together
# in 513, "hop khong giay" in 10 081). So the matches are first counted through the index, up to
# this many: within it they are gathered and sorted (513: 5 ms, walked 15 ms), past it walked
# (as before). The count also serves the page's count of results, and the same statement gives
# the ids of the matches when within it, in the list's order (core.paging.ids_to): a page then
# reads its rows by id, not through the index again (at 100 000 meetings, "ĐƯỜNG TỈNH ngân
# sách" read its page in 3 ms through the index; by id, well under one).
TITLES_PROBED = 1000
# A search whose titles were counted past TITLES_PROBED is remembered this long, by who searched
# it, its words, order and filters (a process's last DENSE_KEPT such searches): asked again (its
# next page, the same search again), it walks its title matches for the page and for the count
# without counting them through the index first. What is remembered chooses the way only: the
# rows and the count are read afresh each time, and should the matches have become few, walking
# to them is slower, never wrong. At 100 000 meetings the count through the index was 4.6 ms of
# PostgreSQL's time for "hop khong giay"; walked to the count of results (201), 2.7.
DENSE_SECONDS = 60.0
DENSE_KEPT = 1024
_dense: OrderedDict[Hashable, float] = OrderedDict()
# A word in more than this share of the titles is not looked up in the titles' index when their
# matches are counted, but tested in each title the other words' lookup gives (_probed_words).
COMMON_IN_TITLES = 0.5


class Documents(Protocol):
    """The documents the account may read among those of the meetings it sees (doctext); the
    public search has none."""

    def holding(self, word: str) -> QuerySet[Any]:
        """Those whose text holds the word, with `meeting_id`: gathered through the text's
        index."""
        ...

    def held(self, word: str) -> Any:
        """Whether the outer query's meeting has one whose text holds the word, asked of each
        meeting: a boolean expression (Exists, or its SQL kept)."""
        ...

    def holding_sql(self, word: str) -> tuple[str, list[Any]]:
        """The meeting ids of `holding(word)` as SQL and its parameters, in the documents' own
        order (the UNION's branch of _held_by_index, whose order PostgreSQL needs)."""
        ...

    def estimated_sql(self, word: str) -> tuple[str, Sequence[Any]]:
        """SQL whose rows PostgreSQL estimates as it would those of `holding(word)`, for the
        search's figures only: cheaper to plan, never run."""
        ...


def search_words(text: str) -> list[str]:
    return fold(text).split()[:MAX_WORDS]


def search(
    meetings: QuerySet[Meeting],
    filters: dict[str, Any],
    *,
    order: tuple[str, ...],
    public: bool = False,
    documents: Documents | None = None,
    walk: bool | None = None,
    reader: Hashable | None = None,
    by_id: Callable[[list[int]], Iterable[Meeting]] | None = None,
) -> "Found":
    """The meetings matching the search box and the filters (S2), in `order`, the meetings whose
    title holds every word first. The public schedule searches only what it shows (title,
    organiser, room, chair), never the documents. `walk` forces one way (tests); by default the
    statistics choose. `reader`, who searches (the same for every account that sees the same
    meetings): a search of words common together is remembered under it (DENSE_SECONDS).
    `by_id`, how the caller reads the rows of `meetings` of some ids already found among them
    (a page of title matches counted first, core.paging.Listed); else `meetings` by id."""
    meetings = _filtered(meetings, filters, public=public)
    words = search_words(filters.get("q", ""))
    column = "search_public" if public else "search_all"
    documents = None if public or not words else documents
    figures = kept_figures(words, column, documents) if words and walk is None else None
    dense_key = None
    if reader is not None and words:
        given = tuple(sorted((name, _plain(value)) for name, value in filters.items()))
        dense_key = (reader, column, tuple(words), order, given)
    return Found(
        meetings, words, order, column, documents, figures, walk, dense_key=dense_key, by_id=by_id
    )


def _plain(value: Any) -> Hashable:
    """A filter's value as a key: a row chosen by its model and id."""
    pk = getattr(value, "pk", None)
    return (type(value).__name__, pk) if pk is not None else value


class Found:
    """A search's result as parts (core.paging.Parts): the meetings whose title holds every
    word, then the others; without words, one part."""

    def __init__(
        self,
        meetings: QuerySet[Meeting],
        words: list[str],
        order: tuple[str, ...],
        column: str,
        documents: Documents | None,
        figures: "Figures | None",
        walk: bool | None,
        *,
        dense_key: Hashable | None = None,
        by_id: Callable[[list[int]], Iterable[Meeting]] | None = None,
    ) -> None:
        self.meetings, self.words, self.order = meetings, words, order
        self.column, self.documents, self.figures, self.walk = column, documents, figures, walk
        self._rare_ids: dict[str, list[int] | None] = {}
        # The parts built for each way of reading them: the page and the count usually read the
        # same way, and building a search's parts is most of its Python time (its filters for
        # every word, the documents' each).
        self._built: dict[tuple[Any, ...], Lazy[QuerySet[Meeting] | Listed]] = {}
        # The meetings holding the words in their fields or documents but not every word in
        # their title, walked: the same whichever way the titles are read (the page, the count).
        self._walked_others: QuerySet[Meeting] | None = None
        # How many titles hold every word, when counted (up to TITLES_PROBED + 1), and their ids
        # in the list's order when there are no more than TITLES_PROBED.
        self._titles: int | None = None
        self._title_ids: list[int] | None = None
        # Under which this search is remembered when its titles are many (DENSE_SECONDS), and
        # how the rows of ids already found are read (search's `reader` and `by_id`).
        self.dense_key, self.by_id = dense_key, by_id

    @property
    def count_limit(self) -> int:
        """How far the results are counted: a search's to SEARCH_COUNT_LIMIT, a list's to the
        lists' own limit."""
        return SEARCH_COUNT_LIMIT if self.words else COUNT_LIMIT

    def parts(self, need: int) -> Sequence[QuerySet[Meeting] | Listed]:
        """Built for reading the first `need` rows: walking the start index reads about
        need / share rows, gathering a word's meetings reads all of them, so a word walks when
        it is held by more than sqrt(need x meetings) (for a page: 1 000 of 20 000 meetings;
        for counting to 1 000: 4 500) or by more than GATHERED_SHARE of them. The titles'
        trigram index serves the title part up to the first bound only: the planner undercounts
        the titles holding several words and does not turn to reading the table."""
        if not self.words:
            return [self.meetings.order_by(*self.order)]
        return self._built[self._way(need)]

    def _way(
        self, need: int, *, counting: bool = False, build: bool = True
    ) -> tuple[bool, bool, str]:
        """How the parts read `need` rows (in order, or `counting` them, unordered), built on
        first asking unless not to `build`: (walk, title_walk, rarest)."""
        words, figures = self.words, self.figures
        rarest = min(words, key=figures.held) if figures else max(words, key=len)
        if figures is None:
            walk = bool(self.walk)
        else:
            held = figures.held(rarest)
            walk = figures.walks(held, need) or held > figures.total * GATHERED_SHARE
        titles = figures.in_titles(words) if figures else 0
        if counting and figures is not None:
            title_walk = walk and not (
                titles * titles < COUNT_GATHER * need * figures.total
                # and the planner, which multiplies the words' shares, expects few enough not
                # to read the table instead (it would stop early, but reads no index)
                and figures.planned_in_titles(words) <= figures.total * GATHERED_SHARE
                # and their titles were not found many a moment ago, nor counted now
                and not (self._titles is None and self._known_dense())
            )
        else:
            title_walk = walk and (figures is None or figures.walks(titles, need))
            if title_walk and figures is not None and self._probe_titles(figures):
                title_walk = self._known_dense() or self._titles_held() > TITLES_PROBED
        way = (walk, title_walk, rarest)
        if build and way not in self._built:
            self._built[way] = self._build(walk, title_walk, rarest)
        return way

    def _probe_titles(self, figures: "Figures") -> bool:
        """Whether the title matches are worth counting before a page walks them: several words
        (one word's titles are its statistics' own figure), which the planner expects in few
        enough titles to read them through their index."""
        words = self.words
        planned = figures.planned_in_titles(words)
        return len(words) > 1 and planned <= figures.total * GATHERED_SHARE

    def _titles_held(self) -> int:
        """How many meetings' titles hold every word, counted through the titles' index up to
        TITLES_PROBED + 1 (more), once; their ids kept when no more."""
        if self._titles is None:
            indexed, tested = self._probed_words()
            held = _every(indexed, "search_title", walk=False)
            titled = self.meetings.filter(held & _every(tested, "search_title", walk=True))
            self._titles, self._title_ids = ids_to(titled, TITLES_PROBED + 1, self.order)
            if self._titles > TITLES_PROBED and self.dense_key is not None:
                _dense[self.dense_key] = monotonic()
                _dense.move_to_end(self.dense_key)
                while len(_dense) > DENSE_KEPT:
                    _dense.popitem(last=False)
        return self._titles

    def _known_dense(self) -> bool:
        """Whether this search's titles were counted past TITLES_PROBED within DENSE_SECONDS."""
        seen = None if self.dense_key is None else _dense.get(self.dense_key)
        return seen is not None and monotonic() - seen < DENSE_SECONDS

    def _probed_words(self) -> tuple[list[str], list[str]]:
        """The words the titles' probe finds through the trigram index, and those it tests in
        each title the index gave: a word in more than COMMON_IN_TITLES of the titles narrows
        them by little and has the index's longest lists to read (at 100 000 meetings, "hop"
        of "hop khong giay" is in every title: the probe took 4.0 ms without it, 4.9 with it).
        The rarest word is always looked up."""
        words, figures = self.words, self.figures
        if figures is None:
            return words, []
        rarest = min(words, key=figures.titles.__getitem__)
        tested = [
            word
            for word in words
            if word != rarest and figures.titles[word] > figures.total * COMMON_IN_TITLES
        ]
        return [word for word in words if word not in tested], tested

    def counted_parts(self, need: int, order: tuple[str, ...]) -> Sequence[QuerySet[Meeting] | int]:
        """The parts as counted up to `need` rows: those walked in `order` (the start index, so
        that PostgreSQL stops at `need`), those gathered through another index unordered (read
        in that index's order, the count stops there too; in start order, the planner may turn
        to walking the start index to spare the sort, and test a whole table's rows for a few
        hundred matches). The title matches, when the page counted them (TITLES_PROBED), are
        given as that count."""
        if not self.words:
            return [self.meetings.order_by(*order)]
        way = self._way(need, counting=True, build=False)
        titles = self._titles
        if way[0] and titles is not None and need <= titles:
            # The titles counted for the page reach the count: no part is read, nor built.
            return [need]
        self._way(need, counting=True)
        gathered = self._gathered_parts(*way)
        built = self._built[way]

        def counted(n: int) -> QuerySet[Meeting] | int:
            if n == 0 and way[0] and titles is not None and titles <= TITLES_PROBED:
                return titles
            part = built[n]
            if isinstance(part, Listed):
                return len(part)
            return part.order_by() if n in gathered else part.order_by(*order)

        return Lazy([partial(counted, n) for n in range(len(built))])

    def _gathered_parts(self, walk: bool, title_walk: bool, rarest: str) -> set[int]:
        """Which of the parts `_build` makes for this way read through the words' indexes: the
        titles' (LIKE on their trigram index) when only the others walk; both when the rare
        word's meetings were read by id (their primary key)."""
        if walk:
            return set() if title_walk else {0}
        if connection.vendor == "postgresql" and self._rare_ids.get(rarest) is not None:
            return {0, 1}
        return set()

    def _build(self, walk: bool, title_walk: bool, rarest: str) -> Lazy[QuerySet[Meeting] | Listed]:
        """The two parts, each built when first read (the second is not, when the titles fill
        the page and the count). The title matches, when counted and few, are read by their ids
        (_titles_held)."""
        words, column, documents = self.words, self.column, self.documents
        if walk and not title_walk and self._title_ids is not None:
            ids = self._title_ids
            return Lazy(
                [
                    lambda: Listed(ids, self.meetings, self.by_id),
                    lambda: self._walked().order_by(*self.order),
                ]
            )
        if walk:

            def titled() -> QuerySet[Meeting]:
                return self.meetings.filter(_every(words, "search_title", walk=title_walk))

            others = self._walked

        else:
            # The rare word's meetings, from its indexes; the other words asked of those only.
            in_title = _every(words, "search_title", walk=True)
            found = self.meetings.filter(self._rare_meetings(rarest))
            rest = [word for word in words if word != rarest]

            def titled() -> QuerySet[Meeting]:
                return found.filter(in_title)

            def others() -> QuerySet[Meeting]:
                return found.exclude(in_title).filter(_all_held(rest, column, documents))

        return Lazy(
            [lambda: titled().order_by(*self.order), lambda: others().order_by(*self.order)]
        )

    def _walked(self) -> QuerySet[Meeting]:
        """The meetings holding the words in their fields or documents but not every word in
        their title, walked; built once."""
        if self._walked_others is None:
            in_title = _every(self.words, "search_title", walk=True)
            held = _all_held(self.words, self.column, self.documents)
            self._walked_others = self.meetings.exclude(in_title).filter(held)
        return self._walked_others

    def _rare_meetings(self, word: str) -> Q:
        """The meetings holding the rare word. On PostgreSQL their ids are read first (through
        the trigram indexes; a rare word's few, at most GATHERED_SHARE of the meetings) and the
        page then asks for those ids: given
        the UNION as a subquery instead, the planner hashes its ids and reads the whole table to
        join them (measured at 100 000 meetings: 40-50 ms a query instead of about one).
        Read once for the page and the count. Should the statistics have undercounted the word
        so that more than GATHERED_SHARE of the meetings hold it, the subquery is kept."""
        if connection.vendor != "postgresql" or self.figures is None:
            return _held_by_index(word, self.column, self.documents)
        if word not in self._rare_ids:
            bound = int(self.figures.total * GATHERED_SHARE) + 1
            read = _held_ids(word, self.column, self.documents, bound)
            self._rare_ids[word] = read if len(read) < bound else None
        ids = self._rare_ids[word]
        return _held_by_index(word, self.column, self.documents) if ids is None else Q(pk__in=ids)


def like_pattern(word: str) -> str:
    """A word's parameter in the SQL of `contains` (LIKE '%word%')."""
    return f"%{connection.ops.prep_for_like_query(word)}%"


def word_put_in(params: Iterable[Any], word: str, stand_in: str = STAND_IN) -> list[Any]:
    """The parameters of SQL compiled for the stand-in word, with this word's LIKE pattern in
    place of the stand-in's (the other parameters are ids and states, never such a text)."""
    stand_in_pattern, pattern = like_pattern(stand_in), like_pattern(word)
    return [pattern if value == stand_in_pattern else value for value in params]


def _has(column: str, word: str, *, walk: bool) -> Q:
    """`column` holds `word`: LIKE '%word%' (a trigram index serves it), or, to be tested row by
    row, strpos (no index does)."""
    if walk:
        return Q(GreaterThan(StrIndex(column, Value(word)), 0))
    return Q(**{f"{column}__contains": word})


def _every(words: list[str], column: str, *, walk: bool) -> Q:
    q = Q()
    for word in words:
        q &= _has(column, word, walk=walk)
    return q


def _all_held(words: list[str], column: str, documents: Documents | None) -> Q:
    """Every word in the meeting's own fields or in one of its documents, asked row by row."""
    q = Q()
    for word in words:
        held = _has(column, word, walk=True)
        if documents is not None:
            held |= Q(documents.held(word))
        q &= held
    return q


def _held_by_index(word: str, column: str, documents: Documents | None) -> Q:
    """The meetings holding `word` in their fields or documents, gathered through the trigram
    indexes: a UNION of ids, so that each side uses its own index (an OR would scan every
    meeting)."""
    in_meeting = Meeting.objects.filter(_has(column, word, walk=False)).values("pk")
    if documents is None:
        return Q(pk__in=in_meeting)
    in_documents = documents.holding(word).values("meeting_id")
    if connection.vendor != "postgresql":
        # SQLite refuses ORDER BY inside a UNION's branch. On PostgreSQL the branch's ORDER BY
        # (the model's) is kept: without it the planner flattens the branch and scans every
        # meeting (measured by portal/tests/test_plans.py).
        in_meeting, in_documents = in_meeting.order_by(), in_documents.order_by()
    return Q(pk__in=in_meeting.union(in_documents))


@lru_cache(maxsize=16)
def _meetings_holding(column: str, *, ordered: bool) -> tuple[str, tuple[Any, ...]]:
    """The meetings holding the stand-in word in `column`, through its trigram index (LIKE),
    compiled once per process: unordered (the figures' branches), or in the model's order
    (_held_by_index's branch, whose order PostgreSQL needs to keep it apart)."""
    in_meeting = Meeting.objects.filter(_has(column, STAND_IN, walk=False)).values("pk")
    return (in_meeting if ordered else in_meeting.order_by()).query.sql_with_params()


def _held_ids(word: str, column: str, documents: Documents | None, bound: int) -> list[int]:
    """Up to `bound` of the meetings holding `word` in their fields or readable documents
    (PostgreSQL): _held_by_index's UNION, its branches compiled once for the stand-in word (the
    documents' per shape of account) and the word's pattern put in their place. Built by the
    ORM for each search, with the account's readable filter, it was a third of a search for a
    rare word in Python (sampled under load at 100 000 meetings)."""
    branches: list[tuple[str, Sequence[Any]]] = [_meetings_holding(column, ordered=True)]
    if documents is not None:
        branches.append(documents.holding_sql(STAND_IN))
    union = " UNION ".join(f"({sql})" for sql, _ in branches)
    params = word_put_in([v for _, given in branches for v in given], word)
    with connection.cursor() as cursor:
        # The text joined is the ORM's compiled SQL; the word and the bound stay parameters.
        cursor.execute(f"SELECT * FROM ({union}) AS held LIMIT %s", [*params, bound])  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


class Figures:
    """How many meetings hold each word in their title and in their fields, and how many
    readable documents hold it, as PostgreSQL estimates them from its statistics."""

    def __init__(self, rows: list[int], words: list[str], total: int, *, documents: bool) -> None:
        step = 3 if documents else 2
        self.titles = {w: rows[i * step] for i, w in enumerate(words)}
        self.fields = {w: rows[i * step + 1] for i, w in enumerate(words)}
        self.documents = {w: rows[i * step + 2] if documents else 0 for i, w in enumerate(words)}
        self.total = total

    def walks(self, held: int, need: int) -> bool:
        """Whether walking to `need` rows of `held` meetings reads fewer than gathering them."""
        return held * held > need * self.total

    def held(self, word: str) -> int:
        return self.fields[word] + self.documents[word]

    def planned_in_titles(self, words: list[str]) -> float:
        """How many titles hold them all as the planner estimates it: the words' shares
        multiplied."""
        share = 1.0
        for word in words:
            share *= self.titles[word] / max(self.total, 1)
        return share * self.total

    def in_titles(self, words: list[str]) -> int:
        """At most as many titles hold them all as hold the rarest (the planner's own product of
        the words' shares undercounts words that go together)."""
        return min(self.titles[word] for word in words)


def _figures(words: list[str], column: str, documents: Documents | None) -> Figures | None:
    """One EXPLAIN of a UNION ALL with a branch per word and place, read branch by branch;
    None where there are no such statistics (SQLite).

    The branches of every word are those of the first, their word aside: they are built by the
    ORM once, for a stand-in word, and each word's pattern is put in place of the stand-in's
    (the words' branches built one by one were 13 of the 17 ms a four-word search spent here,
    the documents' readable-by-the-account filter built again for each word)."""
    if connection.vendor != "postgresql":
        return None
    # The meetings' own fields' branches ask nothing of the account: compiled once per process.
    compiled: list[tuple[str, Sequence[Any]]] = [
        _meetings_holding("search_title", ordered=False),
        _meetings_holding(column, ordered=False),
    ]
    if documents is not None:
        compiled.append(documents.estimated_sql(STAND_IN))
    parts: list[str] = []
    params: list[Any] = []
    for word in words:
        for sql, given in compiled:
            parts.append(f"({sql})")
            params += word_put_in(given, word)
    total, total_params = Meeting.objects.order_by().values("pk").query.sql_with_params()
    parts.append(f"({total})")
    params += list(total_params)
    with connection.cursor() as cursor:
        # Never prepared (config.settings: PG_PREPARED_STATEMENTS): a statement PostgreSQL came
        # to plan once for any words would estimate every word alike, and these estimates are
        # what is read here. So psycopg's own cursor is asked, with `prepare=False`.
        cursor.cursor.execute(
            f"EXPLAIN (FORMAT JSON) {' UNION ALL '.join(parts)}", params, prepare=False
        )
        found = cursor.fetchone()[0]
    plan = json.loads(found) if isinstance(found, str) else found
    children = plan[0]["Plan"].get("Plans", [])
    if len(children) != len(words) * len(compiled) + 1:  # not the plan read here: no figures
        return None
    rows = [int(child["Plan Rows"]) for child in children]
    return Figures(rows[:-1], words, rows[-1], documents=documents is not None)


# The statistics' figures of a set of words are kept this long in Django's cache, shared by the
# app's processes: they change only when PostgreSQL analyses the tables again (autovacuum, after
# many rows changed), and they choose how a search reads its rows, never which rows. Asking them
# was an EXPLAIN that PostgreSQL planned in about a millisecond for three words, and half a
# millisecond of Python (at 100 000 meetings), on every page of every search.
FIGURES_SECONDS = 300


def kept_figures(words: list[str], column: str, documents: Documents | None) -> Figures | None:
    """_figures, from the cache when asked for the same words and place within
    FIGURES_SECONDS."""
    if connection.vendor != "postgresql":
        return None
    asked = json.dumps([words, column, documents is not None])
    key = "search:figures:" + hashlib.sha256(asked.encode()).hexdigest()
    try:
        kept = cache.get(key)
    except Exception:  # the cache is down: the statistics are asked each time meanwhile
        logger.warning("search figures not read from the cache", exc_info=True)
        kept = None
    if isinstance(kept, Figures):
        return kept
    figures = _figures(words, column, documents)
    if figures is not None:
        try:
            cache.set(key, figures, FIGURES_SECONDS)
        except Exception:
            logger.warning("search figures not kept in the cache", exc_info=True)
    return figures


def _filtered(meetings: QuerySet[Meeting], filters: dict[str, Any], *, public: bool) -> Any:
    meetings = meetings.filter(**within_days("start_at", filters.get("tu"), filters.get("den")))
    for name, field_name in (
        ("to_chuc", "organiser_unit"),
        ("loai", "type"),
        ("hinh_thuc", "form"),
        ("linh_vuc", "field"),
    ):
        if filters.get(name) is not None:
            meetings = meetings.filter(**{field_name: filters[name]})
    if public:
        return meetings
    if filters.get("moi") is not None:
        meetings = meetings.filter(
            Exists(Invitation.objects.filter(meeting_id=OuterRef("pk"), unit=filters["moi"]))
        )
    phase = filters.get("trang_thai")
    now = timezone.now()
    published = Q(status=Meeting.Status.PUBLISHED)
    if phase == Meeting.Phase.UPCOMING:
        meetings = meetings.filter(published, start_at__gt=now)
    elif phase == Meeting.Phase.IN_PROGRESS:
        meetings = meetings.filter(published, start_at__lte=now, end_at__gt=now)
    elif phase == Meeting.Phase.ENDED:
        meetings = meetings.filter(published, end_at__lte=now)
    elif phase:
        meetings = meetings.filter(status=phase)
    return meetings
