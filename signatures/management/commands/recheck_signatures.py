from typing import Any

from django.core.management.base import BaseCommand

from signatures.checking import recheck_signed


class Command(BaseCommand):
    help = (
        "Check again the signatures of every uploaded PDF that carries one "
        "(after the trusted roots change)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = recheck_signed()
        self.stdout.write(f"{count} document version(s) checked again.")
