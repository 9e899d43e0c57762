"""The minutes are a record of the meeting (D3): their approval, number and every version."""

from auditlog.registry import auditlog

from .models import Minutes, MinutesVersion

auditlog.register(Minutes)
auditlog.register(MinutesVersion)
