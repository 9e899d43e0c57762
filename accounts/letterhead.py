"""What an official document (Decree 30/2020/NĐ-CP) writes about units and people: the
governing body above the issuing unit, and a person with their unit.

The governing body (cơ quan chủ quản) is the unit's parent when it has one; a unit of the
province's own administration without a parent (the Provincial Office, a department) is governed
by the province's People's Committee, named by the GOVERNING_BODY setting. A People's Committee,
a political or social organisation or an enterprise writes no governing body unless it has a
parent."""

from django.conf import settings

from .models import Person, Unit

GOVERNED_BY_THE_PROVINCE = (Unit.Kind.PROVINCIAL_OFFICE, Unit.Kind.DEPARTMENT)


def governing_body(unit: Unit) -> str:
    """The governing body's name as typed (the caller writes it in capitals), or ""."""
    if unit.parent_id is not None and unit.parent is not None:
        return unit.parent.name
    if unit.kind in GOVERNED_BY_THE_PROVINCE:
        return str(getattr(settings, "GOVERNING_BODY", "") or "")
    return ""


def person_with_unit(person: Person) -> str:
    """ "Ngô Văn A, Chuyên viên, Sở Tài chính": the unit left out when the position names it."""
    parts = [person.full_name]
    if person.position:
        parts.append(person.position)
    unit = person.unit.name if person.unit_id else ""
    if unit and unit.casefold() not in person.position.casefold():
        parts.append(unit)
    return ", ".join(parts)


def invitee_with_unit(invitee: object) -> str:
    """An invitation's invitee as a document lists it: a person with their unit, a unit or a
    committee by name."""
    if isinstance(invitee, Person):
        return person_with_unit(invitee)
    return str(invitee)


def document_symbol(unit: Unit) -> str:
    """The unit's part of a document's symbol (ký hiệu, "GM-VPUBND"): its short name when that
    is one word, else its code (letters and digits)."""
    short = unit.short_name.strip()
    return short if short and " " not in short else unit.code
