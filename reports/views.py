"""Statistics (S3), the usage report and the login log (A3): pages, print views, Excel and PDF.

Who sees what is decided in `reports/rules.py`: the province's figures for admins, the office's
clerks and leaders; a unit's own figures for its leader and its clerk. A province reader may
narrow a report to one unit; a unit reader cannot widen it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.http import AuthenticatedHttpRequest
from accounts.letterhead import governing_body
from accounts.models import Unit
from core import exporting, officedoc
from core.paging import Window
from core.tables import Table
from documents.models import Download

from . import selectors
from .forms import LoginLogForm, StatisticsForm, UsageForm
from .selectors import Period, Scope

LOGIN_LOG_PAGE = 50
LOGIN_LOG_EXPORT_LIMIT = 100_000


def _require(request: HttpRequest, permission: str) -> bool:
    """Whether the reader sees the province; refuses those without the permission."""
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return request.user.has_perm("reports.view_province")


def _scope(request: HttpRequest, province: bool, data: dict[str, Any]) -> Scope:
    if province:
        return Scope(data.get("don_vi"))
    return _own_unit(request)


def _own_unit(request: HttpRequest) -> Scope:
    """A unit reader's scope. The rules grant unit readers only with a unit; should that ever
    change, an account without one is refused rather than shown the province (Scope(None))."""
    unit = getattr(request.user, "unit", None)
    if unit is None:
        raise PermissionDenied
    return Scope(unit)


def _unit_text(unit: Unit | None) -> str:
    return unit.name if unit else _("Toàn tỉnh")


def _filters(period: Period, unit: Unit | None, *chosen: tuple[str, Any]) -> str:
    """The line under a report's title: its period and its unit (the whole province, a chosen
    unit or the reader's own), then any other filter chosen."""
    return exporting.filter_line(
        period.start, period.end, [*chosen, (_("Đơn vị"), _unit_text(unit))]
    )


def _letterhead(request: HttpRequest) -> dict[str, str]:
    """Who issues the printed report: the reader's own unit under its governing body (a unit's
    leader issues the unit's report), or the organisation for an account without a unit."""
    unit = getattr(request.user, "unit", None)
    today = timezone.localdate()
    return {
        "governing_body": governing_body(unit).upper() if unit else "",
        "issuer": (unit.name if unit else settings.ORGANISATION_NAME).upper(),
        "place_date": officedoc.place_date(settings.MINUTES_PLACE, today),
    }


def _print_css() -> str:
    path = finders.find("css/print.css")
    return Path(str(path)).read_text(encoding="utf-8") if path else ""


def _xlsx(report: dict[str, Any]) -> HttpResponse:
    """A report's tables as the workbook, under the report's file name."""
    return exporting.xlsx_response(
        report["title"], report["subtitle"], report["tables"], f"{report['filename']}.xlsx"
    )


def _pdf(request: HttpRequest, report: dict[str, Any]) -> HttpResponse:
    """A report's print view as the PDF, under the report's file name."""
    return exporting.pdf_response(
        request,
        "reports/print.html",
        {**report, **_letterhead(request), "print_css": _print_css()},
        f"{report['filename']}.pdf",
    )


# ---- statistics ------------------------------------------------------------------------------


def _statistics(request: HttpRequest) -> dict[str, Any]:
    province = _require(request, "reports.view_statistics")
    form = StatisticsForm(request.GET or None, province=province)
    period = form.period()
    scope = _scope(request, province, form.valid_data())
    tables = selectors.statistics(scope, period)
    return {
        "form": form,
        "period": period,
        "scope": scope,
        "tables": tables,
        "title": _("Thống kê cuộc họp"),
        "subtitle": _filters(period, scope.unit),
        "filename": f"thong-ke-{period.start:%d-%m-%Y}-{period.end:%d-%m-%Y}",
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def statistics(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/statistics.html", _statistics(request))


@require_GET
@login_required
def statistics_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {**_statistics(request), **_letterhead(request), "back": "reports:statistics"}
    return render(request, "reports/print.html", context)


@require_GET
@login_required
def statistics_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _xlsx(_statistics(request))


@require_GET
@login_required
def statistics_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _pdf(request, _statistics(request))


# ---- usage report ----------------------------------------------------------------------------


def _usage(request: HttpRequest) -> dict[str, Any]:
    province = _require(request, "reports.view_statistics")
    form = UsageForm(request.GET or None, province=province)
    period = form.period()
    scope = _scope(request, province, form.valid_data())
    report = selectors.usage(scope, period)
    year, kind = form.chosen()
    return {
        "form": form,
        "period": period,
        "scope": scope,
        "report": report,
        "tables": report.tables,
        "title": _("Báo cáo tình hình sử dụng hệ thống họp không giấy"),
        "subtitle": _filters(period, scope.unit, (_("Kỳ báo cáo"), form.label())),
        "filename": f"bao-cao-su-dung-{kind}-{year}",
        "query": request.GET.urlencode(),
        "today": timezone.localdate(),
    }


@require_GET
@login_required
def usage(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/usage.html", _usage(request))


@require_GET
@login_required
def usage_print(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {**_usage(request), **_letterhead(request), "back": "reports:usage"}
    return render(request, "reports/print.html", context)


@require_GET
@login_required
def usage_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _xlsx(_usage(request))


@require_GET
@login_required
def usage_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _pdf(request, _usage(request))


# ---- login log -------------------------------------------------------------------------------


def _login_log(request: HttpRequest) -> tuple[LoginLogForm, Scope, Any]:
    province = _require(request, "reports.view_login_log")
    form = LoginLogForm(request.GET or None, province=province)
    filters = form.filters()
    scope = Scope(None) if province else _own_unit(request)
    events = selectors.login_log(scope, **filters).prefetch_related(
        Prefetch(
            "downloads",
            queryset=Download.objects.select_related("document").order_by("at", "pk"),
        )
    )
    return form, scope, events


@require_GET
@login_required
def login_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, scope, events = _login_log(request)
    # A page and a count bounded at 1 000 (core.paging): a province signs in 3 000 times a day.
    page = Window(events, request.GET.get("page"), LOGIN_LOG_PAGE, count_order=("at",))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/login_log.html",
        {"form": form, "scope": scope, "page": page, "querystring": query.urlencode()},
    )


@require_GET
@login_required
def login_log_xlsx(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, scope, events = _login_log(request)
    rows: list[list[Any]] = []
    for event in events[:LOGIN_LOG_EXPORT_LIMIT].iterator(chunk_size=2000):
        titles = "; ".join(d.document.title for d in event.downloads.all())
        rows.append(
            [
                event.at,
                event.get_kind_display(),
                event.user.username if event.user else event.username_tried,
                event.user.get_full_name() if event.user else "",
                event.unit.name if event.unit else "",
                event.ip_address or "",
                event.user_agent,
                event.documents_downloaded,
                titles,
            ]
        )
    table = Table(
        key="login-log",
        title=_("Nhật ký đăng nhập"),
        columns=[
            _("Thời điểm"),
            _("Sự kiện"),
            _("Tên đăng nhập"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Địa chỉ IP"),
            _("Trình duyệt"),
            _("Tài liệu đã tải"),
            _("Tài liệu đã tải trong phiên"),
        ],
        rows=rows,
        note=(
            _("Chỉ xuất %(limit)d dòng đầu; hãy thu hẹp bộ lọc.") % {"limit": len(rows)}
            if len(rows) >= LOGIN_LOG_EXPORT_LIMIT
            else ""
        ),
        empty=_("Không có sự kiện nào."),
    )
    stamp = timezone.localtime().strftime("%d-%m-%Y-%H%M")
    filters = form.filters()
    line = exporting.filter_line(
        filters["start"],
        filters["end"],
        [
            (_("Đơn vị"), _unit_text(scope.unit or filters["unit"])),
            *form.described(leave_out=("tu", "den", "don_vi")),
        ],
    )
    return exporting.xlsx_response(
        _("Nhật ký đăng nhập"), line, [table], f"nhat-ky-dang-nhap-{stamp}.xlsx"
    )
