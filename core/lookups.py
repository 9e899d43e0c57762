"""Lookups that keep a query from failing on a value no row can have."""

from typing import Any

from django.db.models.lookups import In


class IntegerFieldIn(In):
    """`in` on an integer column, leaving out the values the column cannot hold: no row has them.
    Django's own `exact`, `gt`, `gte`, `lt` and `lte` on integers do the same
    (`IntegerFieldOverflow`), but not `in`, which SQLite answers with OverflowError and PostgreSQL
    with an out-of-range error. Forms and the admin look chosen ids up with `pk__in`, so an id
    such as 2**63 typed into a request was a 500."""

    def process_rhs(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)
