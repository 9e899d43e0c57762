"""The filter of the per-unit attendance figures, read from the URL like every report's."""

from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm, date_filter


class UnitFiguresForm(FilterForm):
    tu = date_filter(_("Từ ngày"))
    den = date_filter(_("Đến ngày"))
