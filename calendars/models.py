"""The secret address of an account's calendar feed (B1). Calendar programs cannot sign in, so the
token is the credential: it can be replaced at any time, and the old address then answers 404."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("đường dẫn lịch cá nhân")
        verbose_name_plural = pgettext_lazy("plural", "đường dẫn lịch cá nhân")

    def __str__(self) -> str:
        return str(self.user)
