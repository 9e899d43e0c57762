"""Organisation (A1), accounts and roles (A2), login log (A3), password history (A4), signed-in
sessions (B8)."""

from functools import lru_cache
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import DeactivatableModel, TimeStampedModel

code_validator = RegexValidator(
    r"^[A-Za-z0-9_.-]+$",
    _("Mã chỉ gồm chữ không dấu, chữ số và các ký tự . _ -"),
)


class Unit(DeactivatableModel):
    class Kind(models.TextChoices):
        PROVINCIAL_OFFICE = "provincial_office", _("Văn phòng UBND tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành")
        DISTRICT = "district", _("UBND cấp huyện")
        COMMUNE = "commune", _("UBND cấp xã")
        ORGANISATION = "organisation", _("Tổ chức chính trị - xã hội")
        ENTERPRISE = "enterprise", _("Doanh nghiệp nhà nước")
        OTHER = "other", _("Đơn vị khác")

    code = models.CharField(_("mã đơn vị"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    # Most units the IT centre adds are departments; the choice is shown, never left blank.
    kind = models.CharField(
        _("loại đơn vị"), max_length=30, choices=Kind.choices, default=Kind.DEPARTMENT
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    may_organise = models.BooleanField(
        _("được tổ chức cuộc họp"),
        default=False,
        help_text=_("Quản trị hệ thống cấp quyền tạo và phát hành cuộc họp cho đơn vị (A2)."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Person(DeactivatableModel):
    """Nhân sự: a named official, with or without an account of their own."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="personnel"
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("nhân sự")
        verbose_name_plural = pgettext_lazy("plural", "nhân sự")
        ordering = ["unit__order", "full_name"]

    def __str__(self) -> str:
        return self.label(self.full_name, self.position)

    @staticmethod
    def label(full_name: str, position: str) -> str:
        """How a person is named (str): with the position, when there is one."""
        return f"{full_name} – {position}" if position else full_name


class Committee(DeactivatableModel):
    """Ban chỉ đạo: a steering committee whose members are personnel of several units."""

    code = models.CharField(_("mã ban"), max_length=30, unique=True, validators=[code_validator])
    name = models.CharField(_("tên ban chỉ đạo"), max_length=255)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan thường trực"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_committees",
    )
    members: "models.ManyToManyField[Person, CommitteeMembership]" = models.ManyToManyField(
        Person,
        verbose_name=_("thành viên"),
        through="CommitteeMembership",
        related_name="committees",
        blank=True,
    )

    class Meta:
        verbose_name = _("ban chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "ban chỉ đạo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMembership(TimeStampedModel):
    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng ban")
        DEPUTY = "deputy", _("Phó trưởng ban")
        MEMBER = "member", _("Thành viên")
        SECRETARY = "secretary", _("Thư ký")

    committee = models.ForeignKey(
        Committee,
        verbose_name=_("ban chỉ đạo"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("nhân sự"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("vai trò trong ban"), max_length=20, choices=Role.choices, default=Role.MEMBER
    )

    class Meta:
        verbose_name = _("thành viên ban chỉ đạo")
        verbose_name_plural = pgettext_lazy("plural", "thành viên ban chỉ đạo")
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="unique_committee_member")
        ]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.get_role_display()})"


class AccountManager(UserManager["User"]):
    def create_superuser(
        self,
        username: str,
        email: str | None = None,
        password: str | None = None,
        **extra_fields: Any,
    ) -> "User":
        """`manage.py createsuperuser` makes the IT centre's first admin account."""
        extra_fields["role"] = User.Role.ADMIN
        return super().create_superuser(username, email, password, **extra_fields)


@lru_cache(maxsize=4)
def _permission_backends(paths: tuple[str, ...]) -> tuple[Any, ...]:
    """The backends of these paths that answer permissions, each made once per process."""
    backends = (load_backend(path) for path in paths)
    return tuple(backend for backend in backends if hasattr(backend, "has_perm"))


class User(AbstractUser):
    class Kind(models.TextChoices):
        UNIT = "unit", _("Tài khoản đơn vị")
        COMMITTEE = "committee", _("Tài khoản ban chỉ đạo")
        PERSONAL = "personal", _("Tài khoản cá nhân")

    class Role(models.TextChoices):
        ADMIN = "admin", _("Quản trị hệ thống")
        CLERK = "clerk", _("Văn thư")
        SECRETARY = "secretary", _("Thư ký cuộc họp")
        UNIT_LEADER = "unit_leader", _("Lãnh đạo đơn vị")
        UNIT_CLERK = "unit_clerk", _("Văn thư đơn vị")
        MEMBER = "member", _("Thành viên")

    full_name = models.CharField(_("tên hiển thị"), max_length=150)
    kind = models.CharField(
        _("loại tài khoản"), max_length=20, choices=Kind.choices, default=Kind.PERSONAL
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    committee = models.ForeignKey(
        Committee,
        verbose_name=_("ban chỉ đạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    person = models.OneToOneField(
        Person,
        verbose_name=_("nhân sự"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    # The national identity's number (or the province's staff number) that single sign-on can
    # match accounts by (OIDC_MATCH_FIELD); empty for most accounts, so NULL keeps it unique.
    personal_id = models.CharField(
        _("số định danh cá nhân"),
        max_length=32,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Dùng để khớp tài khoản khi đăng nhập một lần (SSO), nếu được cấu hình."),
    )
    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_("Sau khi đăng nhập, tài khoản chỉ vào được trang đổi mật khẩu."),
    )
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lúc"), default=timezone.now)

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    REQUIRED_FIELDS = ["email"]

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = pgettext_lazy("plural", "tài khoản")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="unit") | models.Q(unit__isnull=False),
                name="unit_account_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="committee") | models.Q(committee__isnull=False),
                name="committee_account_has_committee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})" if self.full_name else self.username

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == self.Kind.UNIT and not self.unit_id:
            errors["unit"] = _("Tài khoản đơn vị phải thuộc một đơn vị.")
        if self.kind == self.Kind.COMMITTEE and not self.committee_id:
            errors["committee"] = _("Tài khoản ban chỉ đạo phải thuộc một ban chỉ đạo.")
        if self.person is not None and self.unit_id and self.person.unit_id != self.unit_id:
            errors["unit"] = _("Đơn vị của tài khoản phải là đơn vị của nhân sự được gắn.")
        if errors:
            raise ValidationError(errors)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django's answer (an active superuser may; else the first backend that says yes, one
        that raises PermissionDenied refusing), asked of backends made once per process: Django
        loads (import_string) and makes every backend of AUTHENTICATION_BACKENDS again for each
        question, and a meeting's page asks some forty: 3 % of an invitee's meeting page in
        Python, of the 10 % its questions took (sampled under load at 100 000 meetings)."""
        if self.is_active and self.is_superuser:
            return True
        for backend in _permission_backends(tuple(settings.AUTHENTICATION_BACKENDS)):
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def save(self, *args, **kwargs) -> None:
        # The IT centre's admins run Django's admin; nobody else gets into it. Nobody is a
        # superuser: what an admin may do is named in the rules like everybody else's, so that
        # the IT centre runs the system without reading its meetings' documents (least privilege).
        self.is_staff = self.role == self.Role.ADMIN
        self.is_superuser = False
        if self.person is not None and not self.unit_id:
            self.unit_id = self.person.unit_id
        super().save(*args, **kwargs)


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so that they are refused as new ones (A4)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class LoginEvent(models.Model):
    """Nhật ký đăng nhập (A3)."""

    class Kind(models.TextChoices):
        SUCCESS = "success", _("Đăng nhập thành công")
        FAILURE = "failure", _("Đăng nhập thất bại")
        LOCKED = "locked", _("Bị khoá do sai nhiều lần")
        LOGOUT = "logout", _("Đăng xuất")
        CODE_FAILURE = "code_failure", _("Sai mã xác thực hai bước")
        BACKUP_CODE = "backup_code", _("Đăng nhập bằng mã dự phòng")
        TEMPORARY_EXPIRED = "temporary_expired", _("Mật khẩu tạm thời đã hết hạn")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Mật khẩu")
        SSO = "sso", _("Đăng nhập một lần (SSO)")

    kind = models.CharField(_("sự kiện"), max_length=20, choices=Kind.choices)
    method = models.CharField(
        _("cách đăng nhập"), max_length=20, choices=Method.choices, default=Method.PASSWORD
    )
    user = models.ForeignKey(
        User,
        verbose_name=_("tài khoản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="login_events",
    )
    username_tried = models.CharField(_("tên đăng nhập đã nhập"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=500, blank=True)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    # Filled by the meetings capability as documents are downloaded during this session.
    documents_downloaded = models.PositiveIntegerField(_("tài liệu đã tải"), default=0)
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("nhật ký đăng nhập")
        verbose_name_plural = pgettext_lazy("plural", "nhật ký đăng nhập")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["unit", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.username_tried}"


class UserSession(models.Model):
    """One signed-in session of an account (B8), so that its owner can see where they are signed
    in and end a session. The session itself lives in the configured SESSION_ENGINE (database or
    cache); this row only names it, with where it came from and when it was last used."""

    session_key = models.CharField(max_length=40, unique=True)
    user = models.ForeignKey(
        User, verbose_name=_("tài khoản"), on_delete=models.CASCADE, related_name="sessions"
    )
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("đăng nhập lúc"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("hoạt động gần nhất"), default=timezone.now)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = pgettext_lazy("plural", "phiên đăng nhập")
        ordering = ["-last_seen_at", "-id"]
        indexes = [models.Index(fields=["user", "-last_seen_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.ip_address or '?'}"
