"""Which records the audit log follows (D3): every create, change and delete, with who, from
where, and the values before and after."""

from auditlog.registry import auditlog

from .models import Committee, CommitteeMembership, Person, Unit, User

auditlog.register(Unit)
auditlog.register(Person)
auditlog.register(Committee)
auditlog.register(CommitteeMembership)
auditlog.register(User, exclude_fields=["password", "last_login"])
