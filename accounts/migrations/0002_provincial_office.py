"""The Provincial Office exists from the start and may organise meetings (A2)."""

from django.db import migrations


def seed(apps, schema_editor):
    Unit = apps.get_model("accounts", "Unit")
    Unit.objects.get_or_create(
        code="VPUBND",
        defaults={
            "name": "Văn phòng Ủy ban nhân dân tỉnh",
            "short_name": "VP UBND tỉnh",
            "kind": "provincial_office",
            "may_organise": True,
            "order": 1,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
