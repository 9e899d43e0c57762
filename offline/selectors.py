"""What an account may keep on its device for reading offline, and for how long.

A kept meeting holds its page and, for each document the account reads, the viewer's page and
the PDF the viewer reads (the converted PDF for Office files). A restricted document is kept only
where the organiser allowed offline reading, and then only as the copy stamped for the reader.
Everything kept goes a configured number of days after the meeting (OFFLINE_KEEP_DAYS).

Or, as the reader prefers, one file: the reader's meeting pack (packs), kept whole with the page
that reads it. A pack holding a restricted document stamped for the reader is kept only when
every such document allows offline reading; otherwise the keep-list says why not."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.signing import Signer
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.models import Document
from documents.selectors import meeting_documents
from meetings.models import Meeting
from meetings.selectors import visible_ids
from packs.selectors import current_pack
from viewer.selectors import finished_pdf, pdf_source, rendition_of, version_is_pdf

# The most meetings one connection asks about at once (the check after reconnecting).
MAX_CHECKED = 200

# What the viewer's pages load besides the page itself and the scripts and styles they name:
# fetched when a meeting is kept, so that the viewer opens without a network.
VIEWER_ASSETS = (
    "vendor/pdfjs/build/pdf.min.mjs",
    "vendor/pdfjs/build/pdf.worker.min.mjs",
    "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
)


def account_key(user: User) -> str:
    """The name under which the device keeps this account's caches and database: opaque (not the
    id or the name, which a shared tablet's next user could read), stable for the account."""
    return (
        Signer(salt="offline.account").sign(str(user.pk)).rsplit(":", 1)[1][:20].replace("-", "_")
    )


def keep_until(meeting: Meeting) -> datetime:
    return meeting.end_at + timedelta(days=settings.OFFLINE_KEEP_DAYS)


def may_keep(user: User, meeting: Meeting, now: datetime | None = None) -> bool:
    """Published or not, deleted or not, the meeting's own rule decides who sees it; kept copies
    also end OFFLINE_KEEP_DAYS after the meeting."""
    now = now or timezone.now()
    return (
        meeting.deleted_at is None
        and user.has_perm("meetings.view_meeting", meeting)
        and now <= keep_until(meeting)
    )


def keepable_ids(user: User, ids: Iterable[int], now: datetime | None = None) -> list[int]:
    """Of the meetings a device keeps, those the account may still keep; the others go."""
    now = now or timezone.now()
    oldest_end = now - timedelta(days=settings.OFFLINE_KEEP_DAYS)
    wanted = sorted(set(ids))[:MAX_CHECKED]
    rows = Meeting.objects.filter(
        pk__in=wanted, deleted_at__isnull=True, end_at__gte=oldest_end
    ).filter(pk__in=visible_ids(user))
    return sorted(m.pk for m in rows if user.has_perm("meetings.view_meeting", m))


@dataclass
class Pack:
    meeting: Meeting
    documents: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[dict[str, Any]] = field(default_factory=list)
    whole: dict[str, Any] | None = None  # the meeting pack, for keeping it as one file

    def as_json(self) -> dict[str, Any]:
        until = timezone.localtime(keep_until(self.meeting))
        return {
            "meeting": self.meeting.pk,
            "title": self.meeting.title,
            "page": reverse("meetings:detail", args=[self.meeting.pk]),
            "keepUrl": reverse("offline:keep_list", args=[self.meeting.pk]),
            "keepUntil": until.isoformat(),
            "keepUntilText": until.strftime("%d/%m/%Y"),
            "documents": self.documents,
            "withheld": self.withheld,
            "meetingPack": self.whole,
            "assets": [static(name) for name in VIEWER_ASSETS],
        }


def _entry(document: Document, user: User) -> tuple[dict[str, Any] | None, str]:
    version = document.current
    if version is None:
        return None, _("Tài liệu chưa có tệp.")
    version.document = document
    if document.restricted and not document.allow_offline:
        return None, _("Ban tổ chức không cho phép lưu tài liệu hạn chế này trên máy.")
    url, _ranged = pdf_source(document, version, user)
    if url is None:
        return None, _(
            "Chưa có bản PDF để đọc (tài liệu đang được chuyển đổi hoặc không đọc được)."
        )
    size = version.size
    if not version_is_pdf(version):
        rendition = rendition_of(version)
        size = rendition.size if rendition is not None and rendition.size else size
    if document.restricted:
        # Only the copy stamped with this reader's name leaves the server for the device, also
        # for the organiser side, whose viewer reads the original online: the device keeps the
        # stamped bytes under the viewer's address.
        if not version_is_pdf(version) and finished_pdf(version) is None:
            return None, _("Chưa có bản PDF để đọc.")
        source = reverse("documents:watermarked_pdf", args=[version.pk])
    else:
        source = url
    return {
        "id": document.pk,
        "title": document.title,
        "version": version.pk,
        "versionNumber": version.number,
        "viewer": reverse("viewer:document", args=[document.pk]),
        "pdf": url,
        "source": source,
        "notes": reverse("notes:document", args=[document.pk]),
        "stamped": document.restricted,
        "size": size,
    }, ""


def whole_pack(user: User, meeting: Meeting) -> dict[str, Any] | None:
    """The reader's meeting pack as one file to keep: its state (ready, waiting, failed, absent:
    not asked for yet; empty: no documents; withheld: not to be kept, with the reason), its key
    (another key after new versions: the kept one is replaced) and the addresses that read, ask
    for and download it. None for who may not read the pack."""
    if not user.has_perm("packs.view_pack", meeting):
        return None
    plan, pack = current_pack(meeting, user)
    whole: dict[str, Any] = {
        "key": plan.key,
        "state": "absent",
        "reason": "",
        "url": reverse("packs:download", args=[meeting.pk]),
        "viewer": reverse("offline:pack_reader", args=[meeting.pk]),
        "stateUrl": reverse("packs:state", args=[meeting.pk]),
        "prepareUrl": reverse("packs:prepare", args=[meeting.pk]),
        "size": None,
        "pages": None,
    }
    barred = [
        entry.document.title
        for entry in plan.entries
        if entry.stamped and not entry.document.allow_offline
    ]
    if not plan.entries:
        whole["state"] = "empty"
        whole["reason"] = _("Cuộc họp chưa có tài liệu để ghép thành tài liệu họp trọn bộ.")
    elif barred:
        # The pack holds these stamped for the reader: the file goes with them, so it stays.
        whole["state"] = "withheld"
        whole["reason"] = _(
            "Tài liệu họp trọn bộ không được lưu trên máy vì có tài liệu hạn chế Ban tổ chức "
            "không cho phép lưu: %(titles)s. Hãy chọn lưu từng tài liệu."
        ) % {"titles": "; ".join(barred)}
    elif pack is not None and pack.is_done and pack.size is not None:
        whole.update(state="ready", size=pack.size, pages=pack.pages)
    elif pack is not None and pack.is_waiting:
        whole["state"] = "waiting"
    elif pack is not None:
        whole["state"] = "failed"
        whole["reason"] = _(
            "Không chuẩn bị được tài liệu họp trọn bộ; hãy thử lại sau hoặc lưu từng tài liệu."
        )
    return whole


def meeting_pack(user: User, meeting: Meeting) -> Pack:
    """The addresses the device keeps for a meeting and the version of each document, so that a
    new document or version is fetched when the device is back online."""
    pack = Pack(meeting=meeting)
    documents = meeting_documents(user, meeting).select_related("current")
    for document in documents:
        entry, reason = _entry(document, user)
        if entry is None:
            pack.withheld.append({"id": document.pk, "title": document.title, "reason": reason})
        else:
            pack.documents.append(entry)
    pack.whole = whole_pack(user, meeting)
    return pack
