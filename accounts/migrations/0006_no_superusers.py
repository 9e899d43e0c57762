"""Admins stop being superusers: their rights are named in core.access (least privilege)."""

from django.db import migrations


def forward(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(is_superuser=True).update(
        is_superuser=False
    )


def backward(apps, schema_editor):
    apps.get_model("accounts", "User").objects.filter(role="admin").update(is_superuser=True)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_account_manager")]

    operations = [migrations.RunPython(forward, backward)]
