from collections.abc import Iterable

from django.db import transaction

from core.models import DeactivatableModel


@transaction.atomic
def deactivate(*, objects: Iterable[DeactivatableModel]) -> int:
    """Deactivate records (units, personnel, committees, catalog entries) instead of deleting
    them: meetings and logs keep pointing at them (A1). Each save is audited by django-auditlog.
    Returns how many were active before."""
    count = 0
    for obj in objects:
        if obj.is_active:
            obj.is_active = False
            obj.save(update_fields=["is_active", "updated_at"])
            count += 1
    return count


@transaction.atomic
def reactivate(*, objects: Iterable[DeactivatableModel]) -> int:
    count = 0
    for obj in objects:
        if not obj.is_active:
            obj.is_active = True
            obj.save(update_fields=["is_active", "updated_at"])
            count += 1
    return count
