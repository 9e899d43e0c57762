"""The outbox for the IT centre (M5): every e-mail with its state, filters with counts, and
"send again" for failed ones. Rows are evidence of what was sent: nobody edits or deletes them."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_q.models import Failure, OrmQ, Schedule, Success

from core.admin import ReadOnlyAdminMixin

from . import delivery, services
from .models import OutboxMessage

# django-q2's own admin pages (tasks, schedules) speak English only and are not needed to run the
# product: the outbox below is where delivery is watched; the schedules are set by migrate.
for model in (Failure, OrmQ, Schedule, Success):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "channel",
        "address",
        "to_name",
        "event",
        "notice",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "next_attempt_at",
        "short_error",
    ]
    list_filter = ["status", "channel", "event__kind", "created_at"]
    search_fields = ["to_email", "to_phone", "to_name", "event__meeting__title"]
    list_select_related = ["event", "notice"]
    date_hierarchy = "created_at"
    show_facets = admin.ShowFacets.ALWAYS
    actions = ["send_again"]
    fields = [
        "event",
        "notice",
        "channel",
        "to_email",
        "to_phone",
        "to_name",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "message_id",
        "last_error",
    ]

    @admin.display(description=_("gửi tới"))
    def address(self, obj: OutboxMessage) -> str:
        return obj.address

    @admin.display(description=_("lỗi gần nhất"))
    def short_error(self, obj: OutboxMessage) -> str:
        return obj.last_error[:120]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Actions need the change permission; the form itself stays read-only (readonly_fields).
        return request.user.has_perm("notifications.change_outboxmessage")

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [str(name) for name in self.fields or []]

    @admin.action(description=_("Gửi lại các thư đã chọn"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = delivery.retry(queryset)
        services.wake_worker()
        messages.success(
            request,
            ngettext(
                "Đã đưa %(count)d thư vào hàng đợi gửi lại.",
                "Đã đưa %(count)d thư vào hàng đợi gửi lại.",
                count,
            )
            % {"count": count},
        )
