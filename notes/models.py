"""Personal notes on a document's pages (B11, issue 14): a highlight of text or a pinned note.

A note is its author's own. It is private unless shared with the author's unit, and then only
read by the unit's accounts that see the document. It is not an official record: nobody else,
the IT centre's admins included, reads it, so it is neither in Django's admin nor in the audit
log (whose entries the admins read), nor in the REST API or the approved archives.

A note keeps the version and the page it was made on: a newer version of the document lists it
still, marked with its version, on the same page number where that page exists."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit
from core.models import TimeStampedModel
from documents.models import Document, DocumentVersion

MAX_TEXT = 4000
MAX_QUOTE = 1000
MAX_RECTS = 60


class NoteQuerySet(models.QuerySet):
    def alive(self) -> "NoteQuerySet":
        return self.filter(deleted_at__isnull=True)


class Note(TimeStampedModel):
    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", _("Tô sáng")
        PIN = "pin", _("Ghim ghi chú")

    # Made by the browser, so that a double tap or a retried request saves the note once.
    client_id = models.UUIDField(_("mã do trình duyệt tạo"), default=uuid.uuid4, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    document = models.ForeignKey(
        Document, verbose_name=_("tài liệu"), on_delete=models.CASCADE, related_name="notes"
    )
    version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("ghi trên phiên bản"),
        on_delete=models.CASCADE,
        related_name="notes",
    )
    page = models.PositiveIntegerField(_("trang"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    quote = models.CharField(_("đoạn trích"), max_length=MAX_QUOTE, blank=True)
    # Highlights: [[x, y, w, h], ...] relative to the page (0..1). Pins: [[x, y, 0, 0]].
    rects = models.JSONField(_("vị trí"), default=list, blank=True)
    text = models.TextField(_("nội dung ghi chú"), max_length=MAX_TEXT, blank=True)
    # The unit it is shared with (the author's, when shared); none: private.
    shared_unit = models.ForeignKey(
        Unit,
        verbose_name=_("chia sẻ với đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    deleted_at = models.DateTimeField(_("xoá lúc"), null=True, blank=True)

    objects = NoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("ghi chú")
        verbose_name_plural = pgettext_lazy("plural", "ghi chú")
        ordering = ["page", "created_at", "id"]
        indexes = [
            models.Index(fields=["author", "document"], name="note_author_document"),
            models.Index(fields=["document", "shared_unit"], name="note_document_shared"),
            # "Ghi chú của tôi": an account's notes, newest first.
            models.Index(fields=["author", "-updated_at"], name="note_author_updated"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_id"], name="unique_note_client_id"),
            models.CheckConstraint(condition=models.Q(page__gte=1), name="note_page_positive"),
        ]

    def __str__(self) -> str:
        # Never the text: whatever prints a note (a log, an error page) shows no content.
        return f"#{self.pk}"

    @property
    def is_shared(self) -> bool:
        return self.shared_unit_id is not None
