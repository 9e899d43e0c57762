"""What happens to a meeting that the apps above react to. Meetings sits below notifications and
reports, so it only announces; notifications writes the outbox rows (M5) and reports keeps its
counts. Each signal is sent inside the transaction of the change: a receiver's rows commit or roll
back with it."""

from django.dispatch import Signal

# The history rows (MeetingChange) this transaction recorded are to be told to the invitees: sent
# with meeting=<Meeting> and by=<User or None>, by the meetings and documents services.
changes_recorded = Signal()

# An account opened a published meeting for the first time (M7): sent with meeting_id=<int> and
# unit_id=<int or None> (the account's unit).
receipt_first_viewed = Signal()


def announce_changes(meeting: object, by: object | None) -> None:
    changes_recorded.send(sender=type(meeting), meeting=meeting, by=by)
