"""Two places where Django's admin answers a crafted request with a 500, and their fixes:

- a date hierarchy's year, month or day out of `datetime`'s range (`?created_at__year=99999`):
  Django turns a ValueError into its "?e=1" page but not the OverflowError, nor the ValueError of
  the year after 9999;
- an autocomplete box shown again with a value its key cannot be (`unit=abc` on a form with
  errors): the box looks the value up to show its label, and the lookup raises ValueError.
"""

from typing import Any

from django.contrib.admin.options import BaseModelAdmin, IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from core.dates import FIRST_YEAR, LAST_YEAR

DATE_PARTS = {"year": (FIRST_YEAR, LAST_YEAR), "month": (1, 12), "day": (1, 31)}


class BoundedDatesChangeList(ChangeList):
    """The date hierarchy's parts are numbers in their range (years as core.dates allows), or
    the list shows Django's "?e=1" (wrong filter) page."""

    def get_filters(self, request: HttpRequest) -> Any:
        if self.date_hierarchy:
            for part, (low, high) in DATE_PARTS.items():
                value = self.params.get(f"{self.date_hierarchy}__{part}")
                if value is None:
                    continue
                number = value.isascii() and value.isdigit()
                if not (number and low <= int(value) <= high):
                    raise IncorrectLookupParameters(f"{part} {value!r}")
        return super().get_filters(request)


class _KnownValues(AutocompleteMixin):
    """Shows only the chosen values the related key can hold; the form reports the others."""

    def optgroups(self, name: str, value: Any, attr: Any = None) -> Any:
        remote = self.field.remote_field
        options = remote.model._meta
        key = options.get_field(getattr(remote, "field_name", None) or options.pk.name)
        kept = []
        for item in value:
            try:
                key.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            kept.append(item)
        return super().optgroups(name, kept, attr)


class KnownValuesAutocompleteSelect(_KnownValues, AutocompleteSelect):
    pass


class KnownValuesAutocompleteSelectMultiple(_KnownValues, AutocompleteSelectMultiple):
    pass


class BadInputAdminMixin(BaseModelAdmin):
    """For a ModelAdmin or an inline: both fixes above."""

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return BoundedDatesChangeList

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownValuesAutocompleteSelect(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = KnownValuesAutocompleteSelectMultiple(
                db_field,
                self.admin_site,
                using=kwargs.get("using"),
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
