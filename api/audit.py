"""What the API writes to the audit log by hand (services.api_audit and the token services),
named for the IT centre's audit log (core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from core import audit_labels

audit_labels.register(
    events={
        "api_token_created": _("Tạo khoá truy cập API"),
        "api_token_revoked": _("Thu hồi khoá truy cập API"),
        "api_document_downloaded": _("Tải tài liệu qua API"),
        "api_document_added": _("Thêm tài liệu qua API"),
        "api_meeting_created": _("Tạo cuộc họp qua API"),
        "api_invitees_added": _("Thêm thành phần mời qua API"),
        "api_meeting_published": _("Phát hành cuộc họp qua API"),
    },
    keys={
        "token": _("khoá truy cập"),
        "scope": _("phạm vi"),
        "expires_at": _("hết hạn"),
        "version": _("phiên bản"),
        "stamped": _("có đóng dấu"),
        "meeting": _("cuộc họp"),
        "added": _("số thành phần thêm"),
    },
)
