"""`manage.py restore ARCHIVE`: into an empty database and an empty storage, after verifying the
whole archive; nothing is written when anything is wrong with it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup.archive import ArchiveError
from core.backup.database import BackupError
from core.backup.operations import restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup` into an empty database and an empty "
        "storage; the whole archive is verified first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore even into a database or storage that is not empty (replaces them)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["archive"]
        try:
            result = restore(path, force=options["force"], say=self.stdout.write)
        except ArchiveError as exc:
            raise CommandError(f"Archive refused, nothing was written: {exc}") from exc
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {path}: the database ({len(result.manifest['database']['row_counts'])} "
            f"tables, row counts match the manifest) and {result.files} files "
            f"({result.file_bytes} bytes) in {result.seconds:.1f} s. "
            "Next: `manage.py migrate` (when this version is newer), then start the app."
        )
