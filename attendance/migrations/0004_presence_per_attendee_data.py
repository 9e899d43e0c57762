"""The roll per named person: a mark taken for a whole unit is copied to each attendee the unit
named (its status, reason, substitute, who marked it and when). The unit's own mark stays as it
was taken (the roll is a record; it also answers for anyone named later without a mark of their
own). An invitee that named nobody keeps its one mark. Running it again changes nothing."""

from django.db import migrations


def unit_marks_to_attendees(apps, schema_editor):
    Presence = apps.get_model("attendance", "Presence")
    Attendee = apps.get_model("attendance", "Attendee")
    unit_marks = Presence.objects.filter(
        attendee__isnull=True,
        invitation__reply__declined=False,
        invitation__reply__attendees__isnull=False,
    ).distinct()
    for mark in unit_marks.iterator():
        attendees = Attendee.objects.filter(reply__invitation_id=mark.invitation_id).order_by("id")
        marked = set(
            Presence.objects.filter(attendee__in=attendees).values_list("attendee_id", flat=True)
        )
        copies = [
            Presence(
                invitation_id=mark.invitation_id,
                attendee_id=attendee.pk,
                status=mark.status,
                reason=mark.reason,
                substitute_name=mark.substitute_name,
                substitute_position=mark.substitute_position,
                marked_by_id=mark.marked_by_id,
            )
            for attendee in attendees
            if attendee.pk not in marked
        ]
        Presence.objects.bulk_create(copies)
        # marked_at is set on save (auto_now): the copies keep the time of the unit's mark.
        Presence.objects.filter(pk__in=[c.pk for c in copies]).update(marked_at=mark.marked_at)


def attendee_marks_to_units(apps, schema_editor):
    """Back to one mark per invitee: the best of its attendees' marks (present in person, then
    online, by a substitute, absent)."""
    Presence = apps.get_model("attendance", "Presence")
    order = {"present": 0, "online": 1, "substitute": 2, "absent": 3}
    best: dict = {}
    for mark in Presence.objects.filter(attendee__isnull=False).order_by("id"):
        kept = best.get(mark.invitation_id)
        if kept is None or order.get(mark.status, 9) < order.get(kept.status, 9):
            best[mark.invitation_id] = mark
    for invitation_id, mark in best.items():
        if Presence.objects.filter(invitation_id=invitation_id, attendee__isnull=True).exists():
            continue
        Presence.objects.filter(pk=mark.pk).update(attendee=None)
    Presence.objects.filter(attendee__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attendance", "0003_presence_per_attendee"),
    ]

    operations = [migrations.RunPython(unit_marks_to_attendees, attendee_marks_to_units)]
