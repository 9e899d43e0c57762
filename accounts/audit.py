"""Which records the audit log follows (D3): every create, change and delete, with who, from
where, and the values before and after."""

from auditlog.registry import auditlog
from django.utils.translation import gettext_lazy as _

from core import audit_labels

from .models import Committee, CommitteeMembership, Person, Unit, User

auditlog.register(Unit)
auditlog.register(Person)
auditlog.register(Committee)
auditlog.register(CommitteeMembership)
auditlog.register(User, exclude_fields=["password", "last_login"])

# What the services log by hand (accounts.services, accounts.two_factor), named for the IT centre.
audit_labels.register(
    events={
        "password_reset": _("Đặt lại mật khẩu tạm thời"),
        "unlock": _("Mở khoá đăng nhập"),
        "two_factor_enrolled": _("Bật xác thực hai bước"),
        "two_factor_reenrolled": _("Đăng ký lại xác thực hai bước"),
        "two_factor_removed": _("Tắt xác thực hai bước"),
        "two_factor_reset": _("Đặt lại xác thực hai bước"),
        "backup_code_used": _("Dùng mã dự phòng"),
    },
    keys={
        "locked": _("khoá đăng nhập"),
        "two_factor": _("xác thực hai bước"),
        "by": _("do tài khoản"),
        "cleared": _("số bản ghi khoá đã xoá"),
        "reason": _("lý do"),
        "left": _("số mã dự phòng còn lại"),
    },
)
