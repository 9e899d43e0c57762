"""Count the statistics' kept figures again from the raw rows:

    python manage.py rebuild_figures

The counts per unit and month are kept as events happen (`reports.figures`); run this after
loading or restoring data around the application (a database restore, rows written by hand), or
to check the kept counts: it prints how many rows it changed. Safe while the site is in use:
each month is counted under the same row locks the events take."""

import time
from typing import Any

from django.core.management.base import BaseCommand

from portal.generate import bar
from reports import figures
from reports.models import AccountMonth, UnitMonth


class Command(BaseCommand):
    help = "Count the statistics' kept figures per unit and month again from the raw rows."

    def handle(self, *args: Any, **options: Any) -> None:
        before = _snapshot()
        began = time.perf_counter()
        months = figures.rebuild(lambda done, total: bar("months", done, total))
        after = _snapshot()
        changed = sum(
            1 for key in before.keys() | after.keys() if before.get(key) != after.get(key)
        )
        self.stdout.write(
            f"{months} months counted in {time.perf_counter() - began:.0f} s; "
            f"{changed} kept rows differed from the raw rows."
        )


def _snapshot() -> dict[Any, tuple[int, ...]]:
    rows: dict[Any, tuple[int, ...]] = {}
    for row in UnitMonth.objects.values_list("month", "unit_key", *figures.COLUMNS):
        if any(row[2:]):
            rows[("unit", *row[:2])] = row[2:]
    for month, user, unit, logins in AccountMonth.objects.values_list(
        "month", "user_key", "unit_key", "logins"
    ):
        if logins:
            rows[("login", month, user, unit)] = (logins,)
    return rows
