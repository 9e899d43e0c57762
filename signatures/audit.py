"""Every signing is a record (B14): the signed PDF's row, the keys' and the trusted roots' changes
go to the audit log (the actor from the request). The secret typed at signing time is in none."""

from auditlog.registry import auditlog

from .models import SignedPdf, SigningKey, TrustedRoot

auditlog.register(SignedPdf)
auditlog.register(SigningKey)
auditlog.register(TrustedRoot, exclude_fields=["certificate"])
