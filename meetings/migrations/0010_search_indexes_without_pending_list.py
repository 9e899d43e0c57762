from django.db import migrations

INDEXES = [
    f"meetings_meeting_{column}_trgm" for column in ("search_title", "search_public", "search_all")
]


def without_pending_list(apps, schema_editor):
    """On PostgreSQL, a GIN index's "fast update" keeps new entries in a pending list that every
    search reads in full until VACUUM merges it: after a day of edits or an import, a search for
    a rare word took 13 ms instead of 0.3 ms at 20 000 meetings, and the planner, counting those
    pages, read the table instead. Meetings are saved seldom; their entries go straight into the
    index."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(
            f"DO $$ BEGIN IF to_regclass('{index}') IS NOT NULL THEN "
            f"ALTER INDEX {index} SET (fastupdate = off); "
            f"PERFORM gin_clean_pending_list('{index}'::regclass); END IF; END $$"
        )


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for index in INDEXES:
        schema_editor.execute(f"ALTER INDEX IF EXISTS {index} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0009_meeting_end_and_start_index")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
