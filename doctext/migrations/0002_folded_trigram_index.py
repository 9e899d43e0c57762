import logging

from django.db import migrations, transaction

log = logging.getLogger(__name__)


def trigram_index(apps, schema_editor):
    """On PostgreSQL a trigram index makes "contains" on the folded text fast (as the meetings'
    search columns, meetings 0002). Without pg_trgm the search still works, only slower."""
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                "CREATE INDEX IF NOT EXISTS doctext_versiontext_folded_trgm "
                "ON doctext_versiontext USING gin (folded gin_trgm_ops)"
            )
    except Exception as exc:  # noqa: BLE001 - any refusal leaves search working, unindexed
        log.warning("Trigram index for document text search not created: %s", exc)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS doctext_versiontext_folded_trgm")


class Migration(migrations.Migration):
    dependencies = [("doctext", "0001_version_text")]

    operations = [migrations.RunPython(trigram_index, drop_trigram_index)]
