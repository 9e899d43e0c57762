"""Conclusion notices (thông báo kết luận) and the tasks they assign (B12).

A notice belongs to a meeting and is written by its office (the organiser's clerks and leaders,
the secretary). While it is a draft only the office sees it; issuing it sends the tasks to the
units in charge and the cooperating units. Each step of a task (reported progress, reported done,
accepted, returned) is a `TaskStep`, the task's history; the files reported with a step are
`TaskFile`s kept in the documents' storage under generated names.

Done on time or late: a task accepted by the office counts as done on the day its unit reported
it done (`done_on`, the report that was accepted, not the day of the acceptance, which the unit
does not control); on time when that day is not after the deadline."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Unit
from core.models import TimeStampedModel
from documents.models import storage_name
from meetings.models import Meeting


class Notice(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("cuộc họp"),
        on_delete=models.PROTECT,
        related_name="conclusion_notices",
    )
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    concluded_by = models.CharField(
        _("kết luận của"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Phó Chủ tịch UBND tỉnh Nguyễn Văn A"),
    )
    body = models.TextField(_("nội dung kết luận"))
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo kết luận")
        verbose_name_plural = pgettext_lazy("plural", "thông báo kết luận")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number or str(_("Thông báo kết luận: %(title)s") % {"title": self.meeting})

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("tasks:notice_detail", args=[self.pk])


class Task(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang thực hiện")
        REPORTED = "reported", _("Chờ xác nhận hoàn thành")
        DONE = "done", _("Hoàn thành")

    notice = models.ForeignKey(
        Notice, verbose_name=_("thông báo kết luận"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    detail = models.TextField(_("nội dung chi tiết"), blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        related_name="tasks_in_charge",
    )
    cooperating = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị phối hợp"), blank=True, related_name="tasks_cooperating"
    )
    deadline = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    # Copied from the notice when it is issued, so that boards filter on one table.
    is_issued = models.BooleanField(default=False)
    reported_on = models.DateField(_("ngày báo cáo hoàn thành"), null=True, blank=True)
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    # Reminders: claimed with a conditional UPDATE (tasks.reminders), so that two workers
    # never send the same one.
    due_reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = pgettext_lazy("plural", "nhiệm vụ")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["unit", "is_issued", "deadline"], name="task_unit_deadline"),
            models.Index(fields=["is_issued", "status", "deadline"], name="task_status_deadline"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def done_late(self) -> bool:
        return self.done_on is not None and self.done_on > self.deadline

    def is_overdue(self, today: date | None = None) -> bool:
        day = today or timezone.localdate()
        return not self.is_done and self.deadline < day


class TaskStep(models.Model):
    """One step of a task's history: who, when, what, with a note."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Giao nhiệm vụ")
        PROGRESS = "progress", _("Báo cáo tiến độ")
        REPORTED = "reported", _("Báo cáo hoàn thành")
        ACCEPTED = "accepted", _("Xác nhận hoàn thành")
        RETURNED = "returned", _("Trả lại")

    task = models.ForeignKey(
        Task, verbose_name=_("nhiệm vụ"), on_delete=models.CASCADE, related_name="steps"
    )
    kind = models.CharField(_("bước"), max_length=10, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý nhiệm vụ")
        verbose_name_plural = pgettext_lazy("plural", "bước xử lý nhiệm vụ")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.task_id}"


class TaskFile(models.Model):
    step = models.ForeignKey(
        TaskStep, verbose_name=_("bước"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("tệp"), upload_to=storage_name, max_length=255)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    file_type = models.CharField(max_length=150)
    file_size = models.PositiveBigIntegerField(default=0)
    file_sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = pgettext_lazy("plural", "tệp báo cáo")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name
