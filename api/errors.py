"""The API's errors: JSON with a message in the reader's language (Vietnamese by default), a
stable code for programs, and the field errors of a refused input."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from core.dates import FIRST_YEAR, LAST_YEAR


class ErrorOut(Schema):
    message: str
    code: str
    errors: dict[str, list[str]] = {}


class ApiError(Exception):
    """An answer other than success, raised from an operation."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str,
        errors: dict[str, list[str]] | None = None,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.errors = errors or {}
        self.headers = headers or {}


def invalid(errors: dict[str, list[str]], message: str = "") -> ApiError:
    return ApiError(400, message or _("Dữ liệu gửi lên không hợp lệ."), "invalid", errors)


def form_errors(form: Any) -> ApiError:
    """A Django form's errors, "__all__" named "non_field_errors" as REST clients expect."""
    errors = {
        ("non_field_errors" if name == "__all__" else name): [str(m) for m in messages]
        for name, messages in form.errors.items()
    }
    return invalid(errors)


def rule_error(error: DjangoValidationError, *, field: str | None = None) -> ApiError:
    """A service refused the action by a rule of the regulation (publishing late without a
    reason, publishing twice...): 422, or 409 when the meeting is no longer in that state."""
    status = 409 if getattr(error, "code", None) in {"not_draft", "cancelled", "deleted"} else 422
    messages = [str(m) for m in error.messages]
    errors = {field: messages} if field else {}
    return ApiError(status, " ".join(messages), getattr(error, "code", None) or "rule", errors)


# Pydantic's own messages are English; each kind of mistake gets a translated sentence.
def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Trường này là bắt buộc.")
    if kind in {"less_than_equal", "less_than"}:
        return _("Giá trị phải không lớn hơn %(limit)s.") % {
            "limit": ctx.get("le", ctx.get("lt", ""))
        }
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Giá trị phải không nhỏ hơn %(limit)s.") % {
            "limit": ctx.get("ge", ctx.get("gt", ""))
        }
    if kind.startswith("int_"):
        return _("Hãy nhập một số nguyên.")
    if kind == "date_out_of_range":
        return _("Năm phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}
    if kind.startswith("date_") or kind.startswith("datetime_"):
        return _(
            "Ngày giờ không hợp lệ; dùng dạng ISO 8601, ví dụ 2025-03-31 hoặc 2025-03-31T08:00."
        )
    if kind == "string_too_long":
        return _("Tối đa %(limit)s ký tự.") % {"limit": ctx.get("max_length", "")}
    if kind == "string_too_short":
        return _("Trường này không được để trống.")
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return _("Nội dung gửi lên không phải JSON hợp lệ.")
    if kind in {"list_type", "set_type"}:
        return _("Hãy gửi một danh sách.")
    if kind == "bool_parsing" or kind == "bool_type":
        return _("Hãy gửi true hoặc false.")
    if kind == "enum" or kind == "literal_error":
        return _("Giá trị không nằm trong các lựa chọn cho phép.")
    if kind == "no_markup":
        return _("Không được chứa thẻ HTML hay mã lệnh.")
    return _("Giá trị không hợp lệ.")


def _field(loc: Any) -> str:
    """("query", "limit") -> "limit"; ("body", "payload", "units", 0) -> "units"."""
    # The first part is where the value was (query, body, form, file, path); a JSON body is
    # named after the operation's parameter ("payload") before its fields.
    names = [part for part in list(loc or ())[1:] if isinstance(part, str)]
    if len(names) > 1 and names[0] == "payload":
        names = names[1:]
    return names[0] if names else "non_field_errors"


def _response(api: NinjaAPI, request: HttpRequest, error: ApiError) -> HttpResponse:
    body = {"message": error.message, "code": error.code, "errors": error.errors}
    response = api.create_response(request, body, status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    for name, value in error.headers.items():
        response[name] = value
    return response


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return _response(api, request, exc)

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field(error.get("loc")), []).append(_pydantic_message(error))
        return _response(api, request, invalid(errors))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = _(
            "Cần mã truy cập hợp lệ: gửi tiêu đề “Authorization: Bearer <mã>”. Mã có thể đã "
            "hết hạn, bị thu hồi, hoặc tài khoản đã bị khoá."
        )
        return _response(api, request, ApiError(401, message, "unauthenticated"))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        message = _("Không tìm thấy, hoặc tài khoản không có quyền xem.")
        return _response(api, request, ApiError(404, message, "not_found"))

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = _("Tài khoản không có quyền thực hiện thao tác này.")
        return _response(api, request, ApiError(403, message, "forbidden"))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # django-ninja could not read the body
            message = _("Không đọc được nội dung gửi lên; hãy gửi JSON hợp lệ.")
            return _response(api, request, ApiError(400, message, "malformed"))
        message = _("Yêu cầu không thực hiện được.")
        return _response(api, request, ApiError(exc.status_code, message, "error"))
