"""Personal access tokens for the REST API (B4): another system or a mobile app acts as the
account that created the token, within the token's scope."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", _("Chỉ đọc")
        # Writing includes reading: an organiser's system reads back what it wrote.
        WRITE = "write", _("Đọc và ghi")

    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    # The token's first characters, shown on the page and in the audit log, and the lookup key:
    # the secret itself is never stored.
    prefix = models.CharField(_("mã nhận diện"), max_length=16, unique=True)
    secret_hash = models.CharField(_("băm SHA-256 của mã"), max_length=64)
    scope = models.CharField(_("phạm vi"), max_length=10, choices=Scope.choices)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = pgettext_lazy("plural", "mã truy cập API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "created_at"], name="accesstoken_owner_created")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable_at(self, now: datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now

    @property
    def is_usable(self) -> bool:
        return self.is_usable_at(timezone.now())

    @property
    def allows_write(self) -> bool:
        return self.scope == self.Scope.WRITE
