"""Password rules of the regulation (A4), as Django password validators so that every form that
sets a password (change, admin, command line) applies them."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import User


class NotTemporaryPasswordValidator:
    def validate(self, password: str, user: object = None) -> None:
        if password == settings.TEMPORARY_PASSWORD:
            raise ValidationError(
                _("Không được dùng mật khẩu tạm thời do quản trị cấp làm mật khẩu mới."),
                code="temporary_password",
            )

    def get_help_text(self) -> str:
        return _("Mật khẩu mới không được là mật khẩu tạm thời.")


class NotRecentPasswordValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or getattr(user, "pk", None) is None:
            return
        current = getattr(user, "password", "")
        earlier = list(
            user.password_history.values_list("password", flat=True)[
                : settings.PASSWORD_HISTORY_SIZE
            ]
        )
        for encoded in [current, *earlier]:
            if encoded and check_password(password, encoded):
                raise ValidationError(
                    _("Mật khẩu mới phải khác mật khẩu hiện tại và %(count)d mật khẩu gần nhất.")
                    % {"count": settings.PASSWORD_HISTORY_SIZE},
                    code="password_reused",
                )

    def get_help_text(self) -> str:
        return _("Mật khẩu mới phải khác các mật khẩu đã dùng gần đây.")
