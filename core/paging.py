"""Pages of long lists without counting the whole list. Django's Paginator counts every row on
every page view; at a province's size (100 000 meetings) that count is most of the page's time.
A window reads one row more than it shows to know whether a next page exists, and counts at most
COUNT_LIMIT rows, only when the page asks for the count.

A list may come in parts read one after the other (a search: the meetings whose title holds the
words, then the others), each in its own index's order, so that no query sorts the whole list."""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, Protocol, TypeVar, overload

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import F, QuerySet

from . import changes

logger = logging.getLogger(__name__)

COUNT_LIMIT = 1000

# A count (or a count with its ids) that took this long is kept in the cache under the data's
# generation (core.changes) and the statement with its values: the same list asked again while
# nothing was written (the next page, the same search again, another account of the same
# visibility) reads it back instead of counting; one that reads a table whose writes leave the
# generation as it is (core.changes.QUIET: the sign-in log) never. Quicker counts are not kept:
# writing the cache would cost about what they do, and a statement holding the time of the
# request is never asked again anyway.
KEEP_AFTER_SECONDS = 0.002
KEPT_SECONDS = 300


class Parts(Protocol):
    """Rows in parts, read in turn. `parts(need)` builds them for reading `need` rows: a search
    walks an index in order for a page and may gather through another index to count."""

    def parts(self, need: int) -> "Sequence[QuerySet[Any] | Listed]": ...


def count_to(rows: QuerySet[Any], bound: int) -> int:
    """How many of these rows there are, up to `bound`: `rows.values("pk")[:bound].count()`,
    the same statement (a count of the bounded ids), run without the ORM's counting. Django
    counts a sliced queryset by cloning it into an aggregate over it, about 0.4 ms of Python
    a count; a list page counts once or twice (measured at 100 000 meetings)."""
    ids = rows.values("pk")[:bound]
    try:
        sql, params = ids.query.get_compiler(using=ids.db).as_sql()
    except EmptyResultSet:  # rows that can match nothing: Django's count asks nothing either
        return 0
    # The text is the ORM's compiled statement; its values stay parameters.
    statement = f"SELECT COUNT(*) FROM ({sql}) AS counted"  # noqa: S608
    return int(_answer(ids.db, statement, tuple(params))[0])


def _answer(using: str, statement: str, params: tuple[Any, ...]) -> tuple[Any, ...]:
    """The statement's one row, from the cache when the same statement with the same values was
    answered in this generation of the data (KEEP_AFTER_SECONDS)."""
    kept_here = using == DEFAULT_DB_ALIAS and not changes.reads_quiet(statement)
    generation = changes.generation() if kept_here else None
    key = None
    if generation is not None:
        asked = f"{using}|{statement}|{params!r}".encode()
        key = f"paging:{generation}:{hashlib.sha256(asked).hexdigest()}"
        try:
            kept = cache.get(key)
        except Exception:  # the cache is down: counted every time meanwhile
            logger.warning("a kept count not read", exc_info=True)
            kept = key = None
        if kept is not None:
            return tuple(kept)
    started = time.perf_counter()
    with connections[using].cursor() as cursor:
        cursor.execute(statement, params)
        row = tuple(cursor.fetchone())
    if key is not None and time.perf_counter() - started >= KEEP_AFTER_SECONDS:
        try:
            cache.set(key, row, KEPT_SECONDS)
        except Exception:
            logger.warning("a count not kept", exc_info=True)
    return row


def ids_to(rows: QuerySet[Any], bound: int, order: Sequence[str]) -> tuple[int, list[int] | None]:
    """count_to(rows, bound), and, when there are fewer, the ids of all of them in `order` (field
    names, "-" for descending): one statement. On PostgreSQL the ids come aggregated in the
    count's own row (`array_agg` in that order), so that finding many rows costs what counting
    them does, nothing sent back; elsewhere they are read as a list."""
    using = rows.db
    if connections[using].vendor != "postgresql":
        ids = list(rows.order_by(*order).values_list("pk", flat=True)[:bound])
        return len(ids), ids if len(ids) < bound else None
    named = {f"ordered_{n}": F(field.lstrip("-")) for n, field in enumerate(order)}
    bounded = rows.order_by().values(ordered_pk=F("pk"), **named)[:bound]
    try:
        sql, params = bounded.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:
        return 0, []
    quote = connections[using].ops.quote_name
    ordering = ", ".join(
        f"{quote(name)}{' DESC' if field.startswith('-') else ''}"
        for name, field in zip(named, order, strict=True)
    )
    aggregated = f"array_agg({quote('ordered_pk')}{f' ORDER BY {ordering}' if ordering else ''})"
    # The text is the ORM's compiled statement and the names given above; values stay
    # parameters.
    statement = (
        f"SELECT COUNT(*), CASE WHEN COUNT(*) < %s THEN {aggregated} END "  # noqa: S608
        f"FROM ({sql}) AS counted"
    )
    count, ids = _answer(using, statement, (bound, *params))
    return int(count), (list(ids or []) if count < bound else None)


class Listed(Sequence[Any]):
    """Rows already found, as their ids in order (ids_to): a slice reads those rows of `rows` by
    their primary key, in that order, rather than finding them again; or, given `by_id`, the
    rows it reads of the ids it is given (in any order)."""

    def __init__(
        self,
        ids: Sequence[int],
        rows: QuerySet[Any],
        by_id: Callable[[list[int]], Iterable[Any]] | None = None,
    ) -> None:
        self.ids, self.rows, self.by_id = list(ids), rows, by_id

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Any: ...

    @overload
    def __getitem__(self, index: slice) -> list[Any]: ...

    def __getitem__(self, index: int | slice) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1 or None][0]
        wanted = self.ids[index]
        if not wanted:
            return []
        read = self.by_id(wanted) if self.by_id else self.rows.filter(pk__in=wanted).order_by()
        found = {row.pk: row for row in read}
        # A row gone since its id was read is left out.
        return [found[pk] for pk in wanted if pk in found]


def part_count(part: QuerySet[Any] | Listed, bound: int) -> int:
    """How many rows a part has, up to `bound`."""
    return min(len(part), bound) if isinstance(part, Listed) else count_to(part, bound)


def parts_of(rows: QuerySet[Any] | Parts, need: int) -> Sequence[QuerySet[Any] | Listed]:
    """The parts, as they come: a part after the one that fills the page may never be built
    (Lazy)."""
    return [rows] if isinstance(rows, QuerySet) else rows.parts(need)


T = TypeVar("T")


class Lazy(Sequence[T]):
    """Parts each made by its function when first asked for, then kept: a search's second part
    (its words in the documents, each asked meeting by meeting) is most of its building, and is
    not read when the first part fills the page or the count."""

    def __init__(self, makers: Sequence[Callable[[], T]]) -> None:
        self._makers = makers
        self._made: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._makers)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        index = range(len(self))[index]  # an IndexError past the end, as a list's
        if index not in self._made:
            self._made[index] = self._makers[index]()
        return self._made[index]


def read(rows: QuerySet[Any] | Parts, offset: int, limit: int) -> list[Any]:
    """`limit` rows from `offset` on, across the parts. A part that ends before the offset is
    counted only up to the offset."""
    found: list[Any] = []
    parts = parts_of(rows, offset + limit)
    for n in range(len(parts)):
        if len(found) == limit:
            break  # before asking for the next part: it may not be built yet
        part = parts[n]
        got = list(part[offset : offset + limit - len(found)])
        if got or not offset:
            found += got
            offset = 0  # the next part from its first row
        else:
            offset -= part_count(part, offset)
    return found


class Window:
    """One page of a queryset or of parts, with the names Django's Page has (so templates read
    the same)."""

    def __init__(
        self,
        rows: QuerySet[Any] | Parts,
        number: Any,
        per_page: int,
        count_limit: int = COUNT_LIMIT,
        count_order: tuple[str, ...] = (),
        counted: str | None = None,
    ) -> None:
        """`count_order`: an indexed order for the bounded count, so that counting the first
        rows walks that index and stops, as the page itself does, rather than scanning the
        table (the page's own order may rank by an expression no index holds). `counted`: the
        name of an annotation holding the whole list's count on each row (a window count, for
        a page whose query reads every row of the list anyway): the count is then read from the
        page, no query of its own."""
        self.rows = rows
        self.count_order = count_order
        self.counted = counted
        self.per_page = per_page
        self.count_limit = count_limit
        self.number = _number(number)
        found = self._read()
        if not found and self.number > 1:  # past the end (an old link): the first page instead
            self.number = 1
            found = self._read()
        self.object_list = found[:per_page]
        self._next = len(found) > per_page

    def _read(self) -> list[Any]:
        return read(self.rows, (self.number - 1) * self.per_page, self.per_page + 1)

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self._next or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    @cached_property
    def count(self) -> int:
        """How many rows in all, exactly up to count_limit; count_limit + 1 means "more"."""
        if not self._next:
            return (self.number - 1) * self.per_page + len(self.object_list)
        if self.counted is not None:
            return min(int(getattr(self.object_list[0], self.counted)), self.count_limit + 1)
        total = 0
        need = self.count_limit + 1
        counted = getattr(self.rows, "counted_parts", None)
        if counted is not None:
            parts = counted(need, self.count_order)
        else:
            parts = [
                part if isinstance(part, Listed) else part.order_by(*self.count_order)
                for part in parts_of(self.rows, need)
            ]
        for n in range(len(parts)):
            part = parts[n]  # asked for only while the count goes on: it may not be built yet
            if isinstance(part, int):  # a part whose rows the reading already counted
                total += min(part, need - total)
            else:
                total += part_count(part, need - total)
            if total > self.count_limit:
                break
        return total

    @property
    def count_more(self) -> bool:
        return self.count > self.count_limit

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count is exact, else None."""
        if self.count_more:
            return None
        return max(1, -(-self.count // self.per_page))


def _number(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(1, min(number, 1_000_000))
