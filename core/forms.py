from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.renderers import TemplatesSetting
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.dates import year_in_range

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class BootstrapFormRenderer(TemplatesSetting):
    """Django's form renderer with our field template, so every form looks like Bootstrap's and
    puts its errors next to the field they belong to."""

    field_template_name = "includes/bs_field.html"


# Dates are typed as Vietnamese offices write them; ISO is accepted too (a browser's date picker).
DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    """dd/mm/yyyy typed as Vietnamese offices write dates; a numeric keypad on phones."""

    def __init__(self) -> None:
        super().__init__(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        )


class DateField(forms.DateField):
    """A date typed dd/mm/yyyy (or ISO), in the years an office can mean."""

    default_validators = [year_in_range]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUTS)
        kwargs.setdefault("widget", DateInput())
        super().__init__(**kwargs)


class DateTimeField(forms.DateTimeField):
    """A moment, in the years an office can mean."""

    default_validators = [year_in_range]


def bound_years(form: forms.BaseForm, *names: str) -> None:
    """Gives a model form's date and time fields the same year range as DateField."""
    for name in names:
        form.fields[name].validators.append(year_in_range)


def choose_from(form: forms.BaseForm, name: str, queryset: QuerySet[Model]) -> None:
    """The rows a model choice field offers, narrowed once the form knows who fills it in (an
    active catalog entry, the meeting's own documents)."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name!r} does not choose among rows")
    field.queryset = queryset


def date_filter(label: "StrOrPromise") -> forms.DateField:
    """An optional date of a filter form, dd/mm/yyyy."""
    return DateField(label=label, required=False)


class FilterForm(forms.Form):
    """Filters of a list or a report, read from the URL so a view can be bookmarked and shared.
    A bad value is reported next to its field and left out while the others apply; a date range
    `tu`–`den` must not run backwards."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tu") and data.get("den") and data["den"] < data["tu"]:
            self.add_error("den", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def valid_data(self) -> dict[str, Any]:
        """The filters that are valid (a bad one is reported and left out, the rest apply)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}

    def described(self, *, leave_out: Iterable[str] = ()) -> list[tuple[str, str]]:
        """The filters that apply as (label, value as chosen) pairs in the form's order, for the
        line under an export's title (core.exporting.filter_line): a choice by its label."""
        data = self.valid_data()
        described = []
        for name, field in self.fields.items():
            if name in leave_out or name not in data:
                continue
            value = data[name]
            if isinstance(field, forms.ChoiceField) and not isinstance(
                field, forms.ModelChoiceField
            ):
                value = dict(field.choices).get(value, value)  # type: ignore[arg-type]
            elif isinstance(value, date):
                value = formats.date_format(value, "SHORT_DATE_FORMAT")
            described.append((str(field.label), str(value)))
        return described
