"""Written opinions without a meeting (B13, phiếu lấy ý kiến): the office asks units, committees
and persons a few questions with documents and a deadline; each recipient answers every question
(agree, disagree, or another opinion in words) and may change its answers until the deadline;
every change is kept (AnswerChange)."""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Committee, Person, Unit

MAX_TITLE_LENGTH = 300
MAX_DESCRIPTION_LENGTH = 20_000
MAX_QUESTION_LENGTH = 2_000
MAX_QUESTIONS = 30
MAX_COMMENT_LENGTH = 5_000
MAX_FILES = 20
MAX_SIGNER_LENGTH = 150


def attachment_name(instance: "Attachment", filename: str) -> str:
    """Generated names only: what users call a file never reaches the file system."""
    today = timezone.localdate()
    return f"opinions/{today:%Y/%m}/{uuid.uuid4().hex}"


class OpinionRequest(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SENT = "sent", _("Đang lấy ý kiến")
        CLOSED = "closed", _("Đã kết thúc")

    title = models.CharField(_("tiêu đề"), max_length=MAX_TITLE_LENGTH)
    description = models.TextField(_("nội dung"), max_length=MAX_DESCRIPTION_LENGTH, blank=True)
    deadline = models.DateTimeField(_("hạn trả lời"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    organiser_unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị lấy ý kiến"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    # Grows with every saved edit of the draft: a form opened before another edit is refused.
    revision = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kết thúc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Claimed with a conditional UPDATE by the reminder pass: set once, so the reminder goes once.
    reminded_at = models.DateTimeField(_("đã nhắc lúc"), null=True, blank=True)
    # Who signs the summary (bảng tổng hợp ý kiến), as the asking unit names them; empty: the
    # unit's leader, if it has a leader's account.
    summary_signer_title = models.CharField(
        _("chức vụ người ký bảng tổng hợp"), max_length=MAX_SIGNER_LENGTH, blank=True
    )
    summary_signer_name = models.CharField(
        _("người ký bảng tổng hợp"), max_length=MAX_SIGNER_LENGTH, blank=True
    )

    class Meta:
        verbose_name = _("phiếu lấy ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "phiếu lấy ý kiến")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organiser_unit", "status"], name="opinion_unit_status"),
            models.Index(fields=["status", "deadline"], name="opinion_status_deadline"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT

    def is_past_deadline(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.deadline


class Question(models.Model):
    request = models.ForeignKey(
        OpinionRequest,
        verbose_name=_("phiếu lấy ý kiến"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung xin ý kiến"), max_length=MAX_QUESTION_LENGTH)

    class Meta:
        verbose_name = _("nội dung xin ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "nội dung xin ý kiến")
        ordering = ["request", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "position"], name="opinion_question_position"
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Recipient(models.Model):
    """One addressee of a request: a unit (answered by its leader or clerk), a committee (its
    account) or a person (their account), as a meeting's invitation."""

    request = models.ForeignKey(
        OpinionRequest,
        verbose_name=_("phiếu lấy ý kiến"),
        on_delete=models.CASCADE,
        related_name="recipients",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, blank=True
    )
    committee = models.ForeignKey(
        Committee, verbose_name=_("ban chỉ đạo"), on_delete=models.PROTECT, null=True, blank=True
    )
    person = models.ForeignKey(
        Person, verbose_name=_("cá nhân"), on_delete=models.PROTECT, null=True, blank=True
    )
    # First complete answer and last change; the account that answered last.
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    changed_at = models.DateTimeField(_("sửa lần cuối lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("nơi được lấy ý kiến")
        verbose_name_plural = pgettext_lazy("plural", "nơi được lấy ý kiến")
        ordering = ["request", "id"]
        indexes = [
            models.Index(fields=["unit", "request"], name="opinion_recipient_unit"),
            models.Index(fields=["person", "request"], name="opinion_recipient_person"),
            models.Index(fields=["committee", "request"], name="opinion_recipient_committee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(unit__isnull=False, committee__isnull=True, person__isnull=True)
                    | models.Q(unit__isnull=True, committee__isnull=False, person__isnull=True)
                    | models.Q(unit__isnull=True, committee__isnull=True, person__isnull=False)
                ),
                name="opinion_recipient_is_one",
            ),
            models.UniqueConstraint(fields=["request", "unit"], name="opinion_unit_once"),
            models.UniqueConstraint(fields=["request", "committee"], name="opinion_committee_once"),
            models.UniqueConstraint(fields=["request", "person"], name="opinion_person_once"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.committee or self.person)

    @property
    def kind(self) -> str:
        return "unit" if self.unit_id else "committee" if self.committee_id else "person"


class Choice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")
    OTHER = "other", _("Ý kiến khác")


class Answer(models.Model):
    """A recipient's current answer to one question."""

    recipient = models.ForeignKey(
        Recipient, verbose_name=_("nơi trả lời"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("nội dung"), on_delete=models.CASCADE, related_name="answers"
    )
    choice = models.CharField(_("ý kiến"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("ý kiến cụ thể"), max_length=MAX_COMMENT_LENGTH, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("ý kiến trả lời")
        verbose_name_plural = pgettext_lazy("plural", "ý kiến trả lời")
        ordering = ["recipient", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "question"], name="opinion_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} – {self.question_id}: {self.choice}"


class AnswerChange(models.Model):
    """Every answer given or changed: who, when, what it was before and what it became."""

    recipient = models.ForeignKey(
        Recipient, verbose_name=_("nơi trả lời"), on_delete=models.CASCADE, related_name="changes"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("nội dung"), on_delete=models.CASCADE, related_name="+"
    )
    previous_choice = models.CharField(
        _("ý kiến trước"), max_length=10, choices=Choice.choices, blank=True
    )
    previous_comment = models.TextField(_("ý kiến cụ thể trước"), blank=True)
    choice = models.CharField(_("ý kiến"), max_length=10, choices=Choice.choices)
    comment = models.TextField(_("ý kiến cụ thể"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("lịch sử trả lời")
        verbose_name_plural = pgettext_lazy("plural", "lịch sử trả lời")
        ordering = ["recipient", "at", "id"]

    def __str__(self) -> str:
        return f"{self.recipient_id} – {self.question_id}: {self.previous_choice} → {self.choice}"


class Attachment(models.Model):
    request = models.ForeignKey(
        OpinionRequest,
        verbose_name=_("phiếu lấy ý kiến"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("tệp"), upload_to=attachment_name, max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(max_length=150)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tài liệu kèm theo")
        verbose_name_plural = pgettext_lazy("plural", "tài liệu kèm theo")
        ordering = ["request", "id"]

    def __str__(self) -> str:
        return self.file_name
