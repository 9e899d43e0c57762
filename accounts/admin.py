from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import AccessibleAdminMixin, DeactivatableAdmin, ReadOnlyAdminMixin
from core.admin_inputs import BadInputAdminMixin

from .http import user_of
from .lockout import last_lockout, lockout_ends
from .models import Committee, CommitteeMembership, LoginEvent, Person, Unit, User
from .services import (
    account_deactivate,
    account_deactivated,
    account_unlock,
    password_reset_to_temporary,
)
from .two_factor import two_factor_reset

# Authenticator secrets and backup codes are nobody's to read, the admins' included: an account
# enrols from its own page, and the admin's "reset two-factor" action removes them (B8).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(Unit)
class UnitAdmin(DeactivatableAdmin):
    list_display = ["code", "name", "kind", "may_organise", "is_active"]
    list_filter = ["kind", "may_organise", "is_active"]
    search_fields = ["code", "name", "short_name"]
    list_editable = ["may_organise"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["code", "name", "short_name", "kind", "parent", "order"]}),
        (_("Liên hệ"), {"fields": ["email", "phone", "address"]}),
        (_("Quyền và trạng thái"), {"fields": ["may_organise", "is_active"]}),
    ]


@admin.register(Person)
class PersonAdmin(DeactivatableAdmin):
    list_display = ["full_name", "position", "unit", "email", "phone", "is_active"]
    list_filter = ["is_active", "unit__kind", "unit"]
    search_fields = ["full_name", "position", "email", "phone", "unit__name"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]


class MembershipInline(BadInputAdminMixin, admin.TabularInline):
    model = CommitteeMembership
    autocomplete_fields = ["person"]
    extra = 1


@admin.register(Committee)
class CommitteeAdmin(DeactivatableAdmin):
    list_display = ["code", "name", "host_unit", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["host_unit"]
    inlines = [MembershipInline]


class AccountChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"


class AccountCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("username", "full_name", "email", "kind", "role", "unit", "committee", "person")


class LockedOutFilter(admin.SimpleListFilter):
    """Accounts locked out by wrong passwords now, for the admin to unlock."""

    title = _("khoá đăng nhập")
    parameter_name = "khoa"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("co", _("Đang bị khoá")), ("khong", _("Không bị khoá"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        if self.value() == "co":
            return queryset.filter(Q(last_lockout__isnull=False))
        if self.value() == "khong":
            return queryset.filter(Q(last_lockout__isnull=True))
        return queryset


@admin.register(User)
class UserAdmin(AccessibleAdminMixin, DjangoUserAdmin):
    form = AccountChangeForm
    add_form = AccountCreationForm
    # The lock third: at 1280 px beside the menu and the filters, the columns after the unit
    # are reached by scrolling the table sideways.
    list_display = [
        "username",
        "full_name",
        "locked_out",
        "role",
        "unit",
        "kind",
        "is_active",
        "must_change_password",
        "last_login",
    ]
    list_filter = [
        "role",
        "kind",
        "is_active",
        LockedOutFilter,
        "must_change_password",
        "unit__kind",
    ]
    search_fields = [
        "username",
        "full_name",
        "email",
        "personal_id",
        "unit__name",
        "committee__name",
    ]
    ordering = ["username"]
    autocomplete_fields = ["unit", "committee", "person"]
    list_select_related = ["unit"]
    readonly_fields = ["last_login", "date_joined", "password_changed_at"]
    actions = ["reset_password", "unlock", "reset_two_factor", "deactivate_accounts"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Thông tin"), {"fields": ["full_name", "email", "phone", "personal_id"]}),
        (_("Thuộc về"), {"fields": ["kind", "unit", "committee", "person"]}),
        (_("Vai trò và trạng thái"), {"fields": ["role", "is_active", "must_change_password"]}),
        (_("Thời điểm"), {"fields": ["last_login", "date_joined", "password_changed_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "username",
                    "full_name",
                    "email",
                    "kind",
                    "role",
                    "unit",
                    "committee",
                    "person",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Accounts appear in logs and meetings: deactivate them instead.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).annotate(last_lockout=last_lockout())

    @admin.display(description=_("khoá đăng nhập"), ordering="last_lockout")
    def locked_out(self, obj: User) -> str:
        last = getattr(obj, "last_lockout", None)
        if last is None:
            return ""
        until = formats.date_format(timezone.localtime(lockout_ends(last)), "SHORT_DATETIME_FORMAT")
        return _("Bị khoá đến %(time)s") % {"time": until}

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            # The admin chose this password: its owner replaces it at the first sign-in (A4).
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            account_deactivated(user=obj)

    @admin.action(description=_("Đặt lại mật khẩu tạm thời (buộc đổi khi đăng nhập)"))
    def reset_password(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            password_reset_to_temporary(user=user, by=user_of(request))
        self.message_user(
            request,
            ngettext(
                "Đã đặt lại mật khẩu tạm thời cho %(count)d tài khoản.",
                "Đã đặt lại mật khẩu tạm thời cho %(count)d tài khoản.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Mở khoá tài khoản bị khoá do đăng nhập sai"))
    def unlock(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            account_unlock(user=user, by=user_of(request))
        self.message_user(
            request,
            ngettext(
                "Đã mở khoá %(count)d tài khoản.", "Đã mở khoá %(count)d tài khoản.", len(queryset)
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Đặt lại xác thực hai bước (mất điện thoại)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = sum(two_factor_reset(user=user, by=user_of(request)) for user in queryset)
        self.message_user(
            request,
            ngettext(
                "Đã đặt lại xác thực hai bước cho %(count)d tài khoản.",
                "Đã đặt lại xác thực hai bước cho %(count)d tài khoản.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Ngừng hoạt động các tài khoản đã chọn"))
    def deactivate_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        count = 0
        me = user_of(request)
        for user in queryset.filter(is_active=True).exclude(pk=me.pk):
            account_deactivate(user=user, by=me)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Đã ngừng hoạt động %(count)d tài khoản.",
                "Đã ngừng hoạt động %(count)d tài khoản.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Nhật ký đăng nhập (A3): read-only, filtered by account, unit, event and date."""

    list_display = [
        "at",
        "kind",
        "method",
        "username_tried",
        "user",
        "unit",
        "ip_address",
        "documents_downloaded",
        "short_agent",
    ]
    list_filter = ["kind", "method", "at", "unit"]
    search_fields = ["username_tried", "user__full_name", "unit__name", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user", "unit"]
    list_per_page = 100

    @admin.display(description=_("trình duyệt"))
    def short_agent(self, obj: LoginEvent) -> str:
        return obj.user_agent[:60]
