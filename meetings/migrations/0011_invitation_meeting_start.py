"""Each invitation keeps its meeting's start (Invitation.meeting_start_at), written by the database:
filled once here, then kept by triggers whatever writes the rows (the ORM, bulk updates, a fix by
hand). An invitation inserted or updated takes its meeting's start; a meeting whose start
changes, or that is inserted after its invitations (a restore with deferred constraints), gives
it to its invitations. PostgreSQL and SQLite each get their own triggers."""

from django.db import migrations, models

POSTGRESQL = [
    """
    CREATE FUNCTION meetings_invitation_take_start() RETURNS trigger AS $$
    BEGIN
        NEW.meeting_start_at := (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id);
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER meetings_invitation_take_start
    BEFORE INSERT OR UPDATE ON meetings_invitation
    FOR EACH ROW EXECUTE FUNCTION meetings_invitation_take_start()
    """,
    """
    CREATE FUNCTION meetings_meeting_give_start() RETURNS trigger AS $$
    BEGIN
        UPDATE meetings_invitation SET meeting_start_at = NEW.start_at
        WHERE meeting_id = NEW.id AND meeting_start_at IS DISTINCT FROM NEW.start_at;
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start
    AFTER INSERT OR UPDATE OF start_at ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION meetings_meeting_give_start()
    """,
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS meetings_meeting_give_start ON meetings_meeting",
    "DROP FUNCTION IF EXISTS meetings_meeting_give_start()",
    "DROP TRIGGER IF EXISTS meetings_invitation_take_start ON meetings_invitation",
    "DROP FUNCTION IF EXISTS meetings_invitation_take_start()",
]

# SQLite's triggers cannot change the row being written: they write it again just after (its
# recursive triggers are off, so that write does not start them again).
SQLITE = [
    """
    CREATE TRIGGER meetings_invitation_take_start_insert AFTER INSERT ON meetings_invitation
    BEGIN
        UPDATE meetings_invitation
        SET meeting_start_at = (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id)
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_invitation_take_start_update AFTER UPDATE ON meetings_invitation
    WHEN NEW.meeting_start_at IS NOT
        (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id)
    BEGIN
        UPDATE meetings_invitation
        SET meeting_start_at = (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id)
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start_update AFTER UPDATE OF start_at ON meetings_meeting
    WHEN OLD.start_at IS NOT NEW.start_at
    BEGIN
        UPDATE meetings_invitation SET meeting_start_at = NEW.start_at WHERE meeting_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start_insert AFTER INSERT ON meetings_meeting
    BEGIN
        UPDATE meetings_invitation SET meeting_start_at = NEW.start_at WHERE meeting_id = NEW.id;
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS meetings_invitation_take_start_insert",
    "DROP TRIGGER IF EXISTS meetings_invitation_take_start_update",
    "DROP TRIGGER IF EXISTS meetings_meeting_give_start_update",
    "DROP TRIGGER IF EXISTS meetings_meeting_give_start_insert",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def keep_start(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        "UPDATE meetings_invitation SET meeting_start_at = "
        "(SELECT start_at FROM meetings_meeting WHERE meetings_meeting.id = meeting_id)"
    )
    if vendor == "postgresql":
        _run(schema_editor, POSTGRESQL)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE)
    else:
        raise NotImplementedError(f"no triggers written for {vendor}")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, POSTGRESQL_DROP if vendor == "postgresql" else SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0010_search_indexes_without_pending_list")]

    operations = [
        migrations.AddField(
            model_name="invitation",
            name="meeting_start_at",
            field=models.DateTimeField(editable=False, null=True, verbose_name="bắt đầu"),
        ),
        migrations.RunPython(keep_start, drop_triggers),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["unit", "meeting_start_at"], name="invitation_unit_start"),
        ),
    ]
