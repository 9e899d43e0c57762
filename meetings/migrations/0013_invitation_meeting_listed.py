"""Each invitation also keeps whether its meeting is listed to its invitees
(Invitation.meeting_listed: neither a draft nor deleted), written by the database as its start is
(migration 0011): filled once here, then kept by the same triggers, now given both columns and
started also by a change of the meeting's status or deletion. PostgreSQL and SQLite each get
their own triggers; going back restores 0011's. (A later migration that adds a column to
meetings_invitation on SQLite drops these triggers around it, as this one does: SQLite rebuilds
the table and refuses while a trigger names it.)"""

from importlib import import_module

from django.db import migrations, models

START = import_module("meetings.migrations.0011_invitation_meeting_start")

POSTGRESQL = [
    """
    CREATE OR REPLACE FUNCTION meetings_invitation_take_start() RETURNS trigger AS $$
    BEGIN
        SELECT start_at, (status <> 'draft' AND deleted_at IS NULL)
        INTO NEW.meeting_start_at, NEW.meeting_listed
        FROM meetings_meeting WHERE id = NEW.meeting_id;
        NEW.meeting_listed := coalesce(NEW.meeting_listed, false);
        RETURN NEW;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE OR REPLACE FUNCTION meetings_meeting_give_start() RETURNS trigger AS $$
    BEGIN
        UPDATE meetings_invitation
        SET meeting_start_at = NEW.start_at, meeting_listed = (NEW.status <> 'draft' AND NEW.deleted_at IS NULL)
        WHERE meeting_id = NEW.id AND (
            meeting_start_at IS DISTINCT FROM NEW.start_at
            OR meeting_listed IS DISTINCT FROM (NEW.status <> 'draft' AND NEW.deleted_at IS NULL)
        );
        RETURN NULL;
    END $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER meetings_invitation_take_start
    BEFORE INSERT OR UPDATE ON meetings_invitation
    FOR EACH ROW EXECUTE FUNCTION meetings_invitation_take_start()
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start
    AFTER INSERT OR UPDATE OF start_at, status, deleted_at ON meetings_meeting
    FOR EACH ROW EXECUTE FUNCTION meetings_meeting_give_start()
    """,
]

SQLITE = [
    """
    CREATE TRIGGER meetings_invitation_take_start_insert AFTER INSERT ON meetings_invitation
    BEGIN
        UPDATE meetings_invitation
        SET meeting_start_at = (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id),
            meeting_listed = coalesce(
                (SELECT (status <> 'draft' AND deleted_at IS NULL) FROM meetings_meeting WHERE id = NEW.meeting_id), 0)
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_invitation_take_start_update AFTER UPDATE ON meetings_invitation
    WHEN NEW.meeting_start_at IS NOT
            (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id)
        OR NEW.meeting_listed IS NOT coalesce(
            (SELECT (status <> 'draft' AND deleted_at IS NULL) FROM meetings_meeting WHERE id = NEW.meeting_id), 0)
    BEGIN
        UPDATE meetings_invitation
        SET meeting_start_at = (SELECT start_at FROM meetings_meeting WHERE id = NEW.meeting_id),
            meeting_listed = coalesce(
                (SELECT (status <> 'draft' AND deleted_at IS NULL) FROM meetings_meeting WHERE id = NEW.meeting_id), 0)
        WHERE id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start_update
    AFTER UPDATE OF start_at, status, deleted_at ON meetings_meeting
    WHEN OLD.start_at IS NOT NEW.start_at OR OLD.status IS NOT NEW.status
        OR OLD.deleted_at IS NOT NEW.deleted_at
    BEGIN
        UPDATE meetings_invitation SET meeting_start_at = NEW.start_at,
            meeting_listed = (NEW.status <> 'draft' AND NEW.deleted_at IS NULL)
        WHERE meeting_id = NEW.id;
    END
    """,
    """
    CREATE TRIGGER meetings_meeting_give_start_insert AFTER INSERT ON meetings_meeting
    BEGIN
        UPDATE meetings_invitation SET meeting_start_at = NEW.start_at,
            meeting_listed = (NEW.status <> 'draft' AND NEW.deleted_at IS NULL)
        WHERE meeting_id = NEW.id;
    END
    """,
]


def drop_triggers(apps, schema_editor):
    """SQLite rebuilds a table to add a column to it, and refuses while triggers elsewhere name
    it: the triggers go first, and come back once the column is there."""
    START.drop_triggers(apps, schema_editor)


def start_only(apps, schema_editor):
    """0011's triggers, keeping the start alone (going back)."""
    START.keep_start(apps, schema_editor)


def keep_listed(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        "UPDATE meetings_invitation SET meeting_listed = EXISTS (SELECT 1 FROM meetings_meeting "
        "WHERE meetings_meeting.id = meeting_id AND status <> 'draft' AND deleted_at IS NULL)"
    )
    if vendor == "postgresql":
        START._run(schema_editor, POSTGRESQL)
    elif vendor == "sqlite":
        START._run(schema_editor, SQLITE)
    else:
        raise NotImplementedError(f"no triggers written for {vendor}")


class Migration(migrations.Migration):
    dependencies = [("meetings", "0012_receipt_user_meeting")]

    operations = [
        migrations.RunPython(drop_triggers, start_only),
        migrations.AddField(
            model_name="invitation",
            name="meeting_listed",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="hiện với thành phần mời"
            ),
        ),
        migrations.RunPython(keep_listed, drop_triggers),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                condition=models.Q(("meeting_listed", True)),
                fields=["unit", "meeting_start_at", "meeting"],
                name="invitation_unit_listed",
            ),
        ),
    ]
