"""Reads of packs: the pack a reader would get now, and what the meeting's ZIP adds."""

from django.utils.text import slugify

from accounts.models import User
from documents.offers import ZipEntry
from meetings.models import Meeting

from .models import Pack
from .plan import Plan, plan_for


def current_pack(meeting: Meeting, user: User) -> tuple[Plan, Pack | None]:
    """The plan of the reader's pack for the meeting's documents as they are now, and its row if
    one was asked for (ready, being prepared or failed)."""
    plan = plan_for(meeting, user)
    return plan, Pack.objects.filter(key=plan.key).first()


def pack_filename(meeting: Meeting) -> str:
    stem = slugify(meeting.title, allow_unicode=True)[:80] or "cuoc-hop"
    return f"{stem}-tai-lieu-hop-tron-bo.pdf"


def zip_entries(meeting: Meeting, user: User) -> list[ZipEntry]:
    """The reader's pack when it is ready (registered with documents.offers): the ZIP never waits
    for one to be built."""
    if not user.has_perm("packs.view_pack", meeting):
        return []
    _plan, pack = current_pack(meeting, user)
    if pack is None or not pack.is_done or pack.size is None:
        return []
    return [(pack_filename(meeting), pack.file.name, pack.size)]
