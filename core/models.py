"""Building blocks shared by the data apps."""

from datetime import timedelta

from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ActiveQuerySet(models.QuerySet):
    def active(self) -> "ActiveQuerySet":
        return self.filter(is_active=True)


class DeactivatableModel(TimeStampedModel):
    """Official records are never hard-deleted once referenced (A1): they are deactivated."""

    is_active = models.BooleanField(
        _("đang hoạt động"),
        default=True,
        help_text=_("Bỏ chọn để ngừng sử dụng; bản ghi vẫn được giữ lại cho lịch sử."),
    )

    objects = ActiveQuerySet.as_manager()

    class Meta:
        abstract = True


def field_label(model: type[models.Model], name: str) -> str:
    """A field's verbose name, as the history and the comparisons show it; a reverse relation has
    none and keeps its own name. An unknown name raises FieldDoesNotExist."""
    field = model._meta.get_field(name)
    if isinstance(field, models.Field):
        return str(field.verbose_name)
    return name


class FileJob(models.Model):
    """A file the worker makes once in the background (a document's PDF for the viewer, a
    meeting's pack): how far it got, how long it took, and what went wrong. The concrete model
    adds its `status` (with at least pending, running, done and failed, see JobStatus), its
    `file` and the wording of `seconds`; `claim_job` and `stuck_jobs` move it through its states."""

    size = models.PositiveBigIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    error = models.CharField(_("lỗi"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    queued_at = models.DateTimeField(_("xếp hàng lúc"), default=timezone.now)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    status: str
    file: FieldFile

    class Meta:
        abstract = True

    @property
    def is_done(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.file)

    @property
    def is_waiting(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.RUNNING)


class JobStatus:
    """The states every FileJob has; a model's Status choices use these values."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def claim_job(jobs: models.QuerySet) -> bool:
    """Takes a pending job for this run with one conditional UPDATE (pending -> running), so that
    two workers, or a request racing a worker, never work on the same row at the same time."""
    return bool(
        jobs.filter(status=JobStatus.PENDING).update(
            status=JobStatus.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
        )
    )


def stuck_jobs(prefix: str = "", *, after: timedelta) -> Q:
    """Jobs still running `after` their start: left by a worker that died, to be queued again.
    `prefix`: the relation to the job from the model filtered ("rendition__")."""
    return Q(
        **{f"{prefix}status": JobStatus.RUNNING, f"{prefix}started_at__lt": timezone.now() - after}
    )
