"""What the multi-node test does to the cluster's database outside HTTP, run as a separate
process with the cluster's environment: `python -m deploy.tests.cluster setup | outbox`."""

import json
import os
import sys
from datetime import timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "deploy.tests.cluster_settings")

import django  # noqa: E402

django.setup()

PASSWORD = "Mật-khẩu-cụm-2026"  # noqa: S105 (a throwaway database)


def setup() -> None:
    """The database migrated; the office's clerk, two invited departments with their unit
    accounts and a member of staff, a published meeting (documents, comments) and a draft one (to
    publish over HTTP)."""
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import Unit, User
    from meetings import services
    from meetings.models import Meeting
    from meetings.tests.factories import catalog

    call_command("migrate", interactive=False, verbosity=0)
    office, _ = Unit.objects.update_or_create(  # the migrations made it
        code="VPUBND",
        defaults={"name": "Văn phòng UBND tỉnh", "kind": "provincial_office", "may_organise": True},
    )
    stc = Unit.objects.create(code="STC", name="Sở Tài chính", kind="department")
    snv = Unit.objects.create(code="SNV", name="Sở Nội vụ", kind="department")

    def account(username: str, role: str, unit: Unit, kind: str = "personal") -> User:
        user = User(username=username, role=role, kind=kind, unit=unit)
        user.email = f"{username}@example.gov.vn"
        user.full_name = username
        user.set_password(PASSWORD)
        user.password_changed_at = timezone.now()
        user.save()
        return user

    clerk = account("vanthu", "clerk", office)
    account("stc", "unit_clerk", stc, "unit")
    account("snv", "unit_clerk", snv, "unit")
    account("chuyenvien", "member", stc)
    start = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)

    def meeting(title: str) -> int:
        made = services.meeting_create(
            by=clerk,
            data={
                "title": title,
                "agenda": "Kế hoạch năm.",
                "start_at": start,
                "end_at": start + timedelta(hours=2),
                "organiser_unit": office,
                **catalog(),
            },
            invitees=services.Invitees(units=[stc, snv]),
        )
        return int(made.pk)

    opened = meeting("Họp bàn kế hoạch năm")
    services.meeting_publish(meeting=Meeting.objects.get(pk=opened), by=clerk, late_reason="Thử")
    print(json.dumps({"open": opened, "draft": meeting("Họp giao ban tháng 12")}))


def outbox() -> None:
    from notifications.models import OutboxMessage

    rows = OutboxMessage.objects.order_by("pk").values("pk", "to_email", "status", "message_id")
    print(json.dumps(list(rows)))


if __name__ == "__main__":
    {"setup": setup, "outbox": outbox}[sys.argv[1]]()
