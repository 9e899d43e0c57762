"""The outbox in Django's admin: the IT centre reads it and sends a message again (a change)."""

from accounts.rules import it_centre_reads

it_centre_reads("notifications", ["outboxmessage"], "change_outboxmessage")
