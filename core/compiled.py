"""A condition of a queryset kept and reused (meetings.selectors keeps each account's visible
meetings per process) compiled to SQL once, not on every query made of it.

Django compiles a queryset's whole WHERE clause each time it runs it, and every query made of a
kept queryset (a page, its count, a search's parts) compiles its conditions again. An office
clerk's visibility (its unit's meetings, or those it takes part in: a UNION of three index
lookups) was half the compiling of each of its list's and searches' queries, about half a
millisecond each (measured at 100 000 meetings). Django has no cache of compiled SQL to turn
on, so this expression keeps the SQL and parameters its condition compiled to, per database
vendor, and answers with them afterwards.

What keeps it right: the condition holds no value that changes between requests (the account's
ids, fixed texts; no time), and its SQL names its table by the alias it had when the condition
was added. When Django gives the table another alias (the queryset used inside another query, or
combined with one), it makes a relabelled copy of every condition, and the copy compiles anew."""

from collections.abc import Mapping
from typing import Any

from django.db.models import BooleanField, Q
from django.db.models.expressions import Expression


class CompiledOnce(Expression):
    """`queryset.filter(CompiledOnce(q))` filters as `queryset.filter(q)` does; the condition's
    SQL is compiled on first use and kept with the queryset."""

    conditional = True

    def __init__(self, condition: Q) -> None:
        super().__init__(output_field=BooleanField())
        self.condition = condition
        self.where: Any = None
        self.compiled: dict[str, tuple[str, tuple[Any, ...]]] = {}

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.condition!r})"

    def resolve_expression(
        self,
        query: Any = None,
        allow_joins: bool = True,
        reuse: Any = None,
        summarize: bool = False,
        for_save: bool = False,
    ) -> "CompiledOnce":
        if self.where is not None:
            # Resolved already: asked again by the lookup that holds it, each time it compiles.
            return self
        resolved = self.copy()
        resolved.where = self.condition.resolve_expression(
            query, allow_joins, reuse, summarize, for_save
        )
        resolved.compiled = {}
        return resolved

    def relabeled_clone(self, change_map: Mapping[str, str]) -> "CompiledOnce":
        clone = self.copy()
        clone.where = self.where.relabeled_clone(change_map)
        clone.compiled = {}
        return clone

    def get_source_expressions(self) -> list[Any]:
        # The condition is compiled as a whole, by as_sql; Django looks no further into it.
        return []

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        # Read once: another thread may compile it meanwhile, to the same SQL.
        found = self.compiled.get(connection.vendor)
        if found is None:
            sql, params = compiler.compile(self.where)  # an empty or full condition raises
            found = (f"({sql})", tuple(params))
            self.compiled[connection.vendor] = found
        return found[0], list(found[1])
