"""Generate a province's worth of data to try the product at scale (and for `make bench`):

    python manage.py generate_data --meetings 100000 --units 1000

Works on SQLite and PostgreSQL. The accounts it makes have no password; sign in as them with
`manage.py changepassword b<unit id>` or through the benchmarks' forced sign-in."""

import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from portal.generate import Size, generate


class Command(BaseCommand):
    help = "Generate meetings, units, invitations, receipts and sign-ins in bulk (for load tests)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--meetings", type=int, default=100_000)
        parser.add_argument("--units", type=int, default=1_000)
        parser.add_argument("--per-meeting", type=int, default=10, help="invited units each")
        parser.add_argument("--sign-ins", type=int, default=200_000)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--no-showcase", action="store_true", help="skip the two big meetings")

    def handle(self, *args: Any, **options: Any) -> None:
        size = Size(
            meetings=options["meetings"],
            units=options["units"],
            per_meeting=options["per_meeting"],
            sign_ins=options["sign_ins"],
            showcase=not options["no_showcase"],
        )
        began = time.perf_counter()
        made = generate(size, seed=options["seed"])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(
                "Generated {meetings} meetings, {units} units, {invitations} invitations and "
                "receipts, {sign_ins} sign-ins".format(**made)
                + f" in {time.perf_counter() - began:.0f} s."
            )
        )
