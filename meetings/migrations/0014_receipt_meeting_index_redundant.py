"""The index on the receipts' meeting alone goes: the unique index on (meeting, user) leads with
the meeting and serves the same look-ups, and every receipt written (an account's first view of a
meeting, a million at a province's size) kept both.

Only the index is dropped. Django's own AlterField would also drop and add back the foreign key
on PostgreSQL, checking every receipt again under a lock, and rebuild the whole table on SQLite.
The index's name is the one Django gave it on both engines."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "meetings_receipt_meeting_id_c2bd5f86"


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0013_invitation_meeting_listed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="receipt",
                    name="meeting",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="receipts",
                        to="meetings.meeting",
                        verbose_name="cuộc họp",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    reverse_sql=f'CREATE INDEX "{INDEX}" ON "meetings_receipt" ("meeting_id")',
                ),
            ],
        ),
    ]
