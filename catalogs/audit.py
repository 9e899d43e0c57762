from auditlog.registry import auditlog

from .models import (
    DocumentField,
    DocumentRegister,
    DocumentType,
    Location,
    MeetingField,
    MeetingForm,
    MeetingType,
)

for model in (
    MeetingForm,
    MeetingType,
    MeetingField,
    DocumentType,
    DocumentField,
    Location,
    DocumentRegister,
):
    auditlog.register(model)
