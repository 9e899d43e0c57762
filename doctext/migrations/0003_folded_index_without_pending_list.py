from django.db import migrations

INDEX = "doctext_versiontext_folded_trgm"


def without_pending_list(apps, schema_editor):
    """As the meetings' search indexes (meetings 0010): the text of a new document version goes
    straight into the trigram index, written by the background reader, so that searches never
    read a pending list of unmerged entries."""
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"DO $$ BEGIN IF to_regclass('{INDEX}') IS NOT NULL THEN "
        f"ALTER INDEX {INDEX} SET (fastupdate = off); "
        f"PERFORM gin_clean_pending_list('{INDEX}'::regclass); END IF; END $$"
    )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER INDEX IF EXISTS {INDEX} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("doctext", "0002_folded_trigram_index")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
