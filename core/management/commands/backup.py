"""`manage.py backup`: one archive of the database and every stored file, while the app runs."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.backup.archive import COMPRESSIONS, ArchiveError
from core.backup.database import BackupError
from core.backup.operations import backup


class Command(BaseCommand):
    help = (
        "Write one archive (tar, zstd-compressed by default) holding the database, every stored "
        "file and a manifest with their SHA-256; safe while the app runs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive's path, or a folder for a dated name (default: BACKUP_DIR)",
        )
        parser.add_argument(
            "--compress",
            choices=sorted(COMPRESSIONS),
            help="zstd, gzip or none (default: told by the name's ending, else zstd)",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="with a folder as output: keep only this many archives there, the newest",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path = options["output"] or Path(settings.BACKUP_DIR)
        if options["output"] is None:
            output.mkdir(parents=True, exist_ok=True)
        if options["keep"] < 0:
            raise CommandError("--keep must be 0 (keep all) or more")
        try:
            result = backup(output, compression=options["compress"], keep=options["keep"])
        except (ArchiveError, BackupError, OSError) as exc:
            raise CommandError(f"Backup failed, no archive written: {exc}") from exc
        self.stdout.write(
            f"Backup written: {result.path} ({result.path.stat().st_size} bytes; database "
            f"{result.database_bytes} bytes, {result.files} files of {result.file_bytes} bytes) "
            f"in {result.seconds:.1f} s"
        )
        for old in result.removed:
            self.stdout.write(f"Removed the older archive {old}")
