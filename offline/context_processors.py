from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User

from .selectors import account_key


def offline(request: HttpRequest) -> dict[str, Any]:
    """For the signed-in pages: the account's key on this device (its caches and database are
    named with it) and when the page was made (what an offline reader is shown)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {
        "offline_account": account_key(user),
        "offline_saved_at": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
    }


def strings() -> dict[str, str]:
    """What offline.js says, translated here (the script holds no words of its own)."""
    return {
        "keep": _("Tải về để đọc ngoại tuyến"),
        "keeping": _("Đang tải về… %(done)s / %(total)s"),
        "kept": _("Đã lưu trên máy: %(size)s, đến ngày %(until)s."),
        "keptPack": _("Đã lưu trên máy tài liệu họp trọn bộ: %(size)s, đến ngày %(until)s."),
        "keptBadge": _("Đã lưu trên máy"),
        "packWaiting": _("Đang chuẩn bị tài liệu họp trọn bộ… Tệp sẽ được tải về khi sẵn sàng."),
        "packSlow": _(
            "Tài liệu họp trọn bộ chưa chuẩn bị xong; hãy thử lại sau ít phút hoặc lưu từng tài "
            "liệu."
        ),
        "packNone": _("Tài khoản không đọc được tài liệu họp trọn bộ của cuộc họp này."),
        "packUpdated": _("%(title)s: tài liệu họp trọn bộ (bản mới)"),
        "packRemoved": _("%(title)s: đã xoá tài liệu họp trọn bộ khỏi máy (%(reason)s)"),
        "remove": _("Xoá khỏi máy"),
        "removeAll": _("Xoá tất cả"),
        "removed": _("Đã xoá khỏi máy."),
        "failed": _("Không tải về được: %(error)s"),
        "offline": _("Không có mạng: hãy tải về khi có mạng."),
        "withheld": _("Không lưu: %(title)s (%(reason)s)"),
        "updated": _("Đã cập nhật khi có mạng trở lại: %(list)s"),
        "newDocument": _("%(title)s (tài liệu mới)"),
        "newVersion": _("%(title)s (phiên bản %(n)s)"),
        "goneDocument": _("%(title)s (đã gỡ)"),
        "dropped": _(
            "Đã xoá khỏi máy %(n)s cuộc họp tài khoản không còn được đọc hoặc đã quá hạn lưu."
        ),
        "nothing": _("Chưa có cuộc họp nào được lưu trên máy này."),
        "storedLine": _("lưu lúc %(at)s · %(size)s · %(docs)s tài liệu · đến ngày %(until)s"),
        "storedPackLine": _(
            "lưu lúc %(at)s · %(size)s · tài liệu họp trọn bộ (một tệp) · đến ngày %(until)s"
        ),
        "pending": _("%(n)s ghi chú chờ gửi khi có mạng."),
        "pendingBadge": _("Chờ gửi"),
        "sent": _("Đã gửi %(n)s ghi chú làm khi ngoại tuyến."),
        "signOutPending": _(
            "Còn %(n)s ghi chú chưa gửi được; đăng xuất sẽ xoá chúng khỏi máy. Vẫn đăng xuất?"
        ),
        "unsupported": _("Trình duyệt này không lưu được tài liệu để đọc ngoại tuyến."),
    }
