"""An account's receipts read from one index on (user, meeting): the `seen` of each row of its
meeting lists, dashboard and calendar then never reads the receipts' table. It replaces the index
on user alone that the foreign key had (the new one leads with user and serves its look-ups)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_single_sign_on"),
        ("meetings", "0011_invitation_meeting_start"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="receipt",
            index=models.Index(fields=["user", "meeting"], name="receipt_user_meeting"),
        ),
        migrations.AlterField(
            model_name="receipt",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="meeting_receipts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="tài khoản",
            ),
        ),
    ]
