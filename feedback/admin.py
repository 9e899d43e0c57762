from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.http import user_of
from core.admin_inputs import BadInputAdminMixin

from .models import Feedback
from .services import feedback_answer, feedback_close


@admin.register(Feedback)
class FeedbackAdmin(BadInputAdminMixin, admin.ModelAdmin):
    """The IT centre lists, answers and closes feedback (A6)."""

    list_display = ["subject", "category", "author", "status", "created_at", "answered_at"]
    list_filter = ["status", "category", "created_at"]
    search_fields = ["subject", "body", "author__username", "author__full_name", "answer"]
    date_hierarchy = "created_at"
    list_select_related = ["author"]
    readonly_fields = [
        "author",
        "category",
        "subject",
        "body",
        "page_url",
        "created_at",
        "answered_by",
        "answered_at",
    ]
    fields = [
        "author",
        "category",
        "subject",
        "body",
        "page_url",
        "created_at",
        "status",
        "answer",
        "answered_by",
        "answered_at",
    ]
    actions = ["close_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Feedback, form: Any, change: bool) -> None:
        if "answer" in form.changed_data and obj.answer:
            feedback_answer(
                feedback=obj,
                by=user_of(request),
                answer=obj.answer,
                close=obj.status == Feedback.Status.CLOSED,
            )
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Đánh dấu đã xử lý xong"))
    def close_selected(self, request: HttpRequest, queryset: QuerySet[Feedback]) -> None:
        items = list(queryset.exclude(status=Feedback.Status.CLOSED))
        for item in items:
            feedback_close(feedback=item)
        self.message_user(
            request,
            ngettext("Đã đóng %(count)d góp ý.", "Đã đóng %(count)d góp ý.", len(items))
            % {"count": len(items)},
            messages.SUCCESS,
        )
