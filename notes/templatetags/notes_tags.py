"""`{% notes_panel document %}`: the viewer's notes panel (inside <aside id="viewer-notes">)."""

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def strings() -> dict[str, str]:
    """What notes.js says, translated here (the script holds no words of its own)."""
    return {
        "highlight": _("Tô sáng"),
        "pin": _("Ghim ghi chú"),
        "page": _("Trang %s"),
        "otherVersion": _("ghi trên phiên bản %s"),
        "shared": _("Chia sẻ với đơn vị"),
        "private": _("Riêng tư"),
        "edit": _("Sửa"),
        "delete": _("Xoá"),
        "confirmDelete": _("Xoá ghi chú này?"),
        "goTo": _("Đến trang %s"),
        "none": _("Chưa có ghi chú."),
        "noneShared": _("Chưa có ghi chú nào được chia sẻ."),
        "pinHint": _("Chạm vào trang để ghim ghi chú. Bấm lại “Ghim ghi chú” để thôi."),
        "selectHint": _("Bấm “Tô sáng” để lưu đoạn đã chọn."),
        "newPin": _("Ghi chú mới ở trang %s"),
        "editNote": _("Sửa ghi chú ở trang %s"),
        "saved": _("Đã lưu ghi chú."),
        "deleted": _("Đã xoá ghi chú."),
        "failed": _("Không lưu được ghi chú. Hãy thử lại."),
        "gone": _("Ghi chú này không còn nữa."),
        "by": _("của %s"),
        "textRequired": _("Hãy nhập nội dung ghi chú."),
        "tools": _("Công cụ ghi chú"),
        "cancel": _("Huỷ"),
        "queued": _("Chưa có mạng: ghi chú được giữ trên máy và sẽ tự gửi khi có mạng."),
        "pending": _("Chờ gửi"),
    }


@register.inclusion_tag("notes/_panel.html", takes_context=True)
def notes_panel(context: template.Context, document: Any, version: Any = None) -> dict[str, Any]:
    """`version`: the one the viewer shows (the current one by default); notes made on another
    are marked so."""
    return {
        "document": document,
        "version_id": getattr(version, "pk", None) or document.current_id,
        "csrf_token": context.get("csrf_token"),
        "notes_strings": strings(),
    }
