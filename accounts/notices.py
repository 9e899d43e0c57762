"""What happens to an account that its owner should hear of. Accounts sits below notifications,
so it only announces; notifications (notifications.accounts) writes the e-mail to the outbox."""

from django.dispatch import Signal

PASSWORD_RESET = "password_reset"
PASSWORD_CHANGED = "password_changed"

# Sent inside the transaction of the change, with user=<User>, kind=<one of the above> and
# by=<User or None>: a receiver's rows commit or roll back with the change.
account_notice = Signal()
