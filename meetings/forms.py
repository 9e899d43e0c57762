"""Forms of the meetings pages. They validate and translate messages; services do the writing."""

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model, Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import Committee, Person, Unit, User
from catalogs.models import Location, MeetingField, MeetingForm, MeetingType
from core.forms import DateField, DateTimeField, FilterForm, bound_years, choose_from, date_filter
from core.widgets import LongModelChoiceField, LongSelect

from .agenda import AgendaRow
from .models import AgendaItem, Meeting
from .recurrence import (
    MAX_OCCURRENCES,
    MONTHLY_DAY,
    MONTHLY_WEEKDAY,
    WEEKLY,
    SeriesRule,
    describe,
    weekday_names,
)
from .selectors import chairs_with_accounts, minutes_approver
from .services import Invitees


class DateTimeInput(forms.DateTimeInput):
    """dd/mm/yyyy HH:mm typed as offices write it, in a plain text box the server reads; the page
    adds the flatpickr calendar (static/js/datepicker.js) where JavaScript runs."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        attrs = {
            "placeholder": "dd/mm/yyyy hh:mm",
            "autocomplete": "off",
            "data-datepicker": "",
            **(attrs or {}),
        }
        super().__init__(attrs, format="%d/%m/%Y %H:%M")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input (Django's documented pattern for multiple uploads)."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        # Empty files are refused by documents.filetypes, with the file's name in the message.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


# dd/mm/yyyy HH:mm first (the picker's and the page's format); ISO from the API and older pages.
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

TEXT_FIELDS = ["title", "agenda"]


def _chair_label(person: Person) -> str:
    if getattr(person, "has_account", True):
        return str(person)
    return _("%s (chưa có tài khoản)") % person


class _ByUnit(ModelChoiceIterator):
    """The options under one <optgroup> per unit, in the queryset's order (by unit first)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        group: list[Any] = []
        unit: Any = None
        for obj in self.queryset:
            if group and obj.unit_id != getattr(unit, "pk", None):
                yield (self._label(unit), group)
                group = []
            unit = obj.unit
            group.append(self.choice(obj))
        if group:
            yield (self._label(unit), group)

    @staticmethod
    def _label(unit: Any) -> str:
        return str(unit) if unit is not None else str(_("Không thuộc đơn vị nào"))


class ByUnitChoiceField(forms.ModelChoiceField):
    """A person or an account among a whole province's staff: grouped by unit, as people look
    for them ("the Director of Finance"), labelled with the name people know."""

    iterator = _ByUnit

    def label_from_instance(self, obj: Model) -> str:
        if isinstance(obj, User):
            return obj.full_name or obj.username
        if isinstance(obj, Person):
            return _chair_label(obj)
        return str(obj)


def by_unit(queryset: Any) -> Any:
    return queryset.select_related("unit").order_by(
        "unit__order", "unit__name", "unit_id", "full_name"
    )


class MeetingEditForm(forms.ModelForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được mời"), queryset=Unit.objects.none(), required=False
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("Ban chỉ đạo được mời"), queryset=Committee.objects.none(), required=False
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("Cá nhân được mời"), queryset=Person.objects.none(), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The agenda as free text, from the API and clients without the item rows (agenda_as_text);
    # kept out of the model form's fields so that a page without it leaves the meeting's as it is.
    agenda = forms.CharField(required=False, max_length=20_000, widget=forms.HiddenInput)
    online_link = forms.URLField(
        label=_("Đường dẫn họp trực tuyến"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "start_at",
            "end_at",
            "type",
            "form",
            "field",
            "location",
            "online_link",
            "chair",
            "secretary",
            "is_public",
        ]
        field_classes = {"chair": ByUnitChoiceField, "secretary": ByUnitChoiceField}
        widgets = {
            "start_at": DateTimeInput(),
            "end_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("start_at", "end_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = DATETIME_FORMATS
        bound_years(self, "start_at", "end_at")
        # A catalog entry deactivated since keeps showing on the meetings that already use it.
        choose_from(self, "type", MeetingType.objects.filter(self._keep("type")))
        choose_from(self, "form", MeetingForm.objects.filter(self._keep("form")))
        choose_from(self, "field", MeetingField.objects.filter(self._keep("field")))
        choose_from(
            self, "location", Location.objects.filter(self._keep("location")).select_related("unit")
        )
        choose_from(
            self,
            "chair",
            chairs_with_accounts(by_unit(Person.objects.filter(self._keep("chair")))),
        )
        self.fields["chair"].help_text = _(
            "Chủ trì phê duyệt biên bản. Người chưa có tài khoản thì lãnh đạo đơn vị tổ chức "
            "phê duyệt thay."
        )
        choose_from(
            self,
            "secretary",
            by_unit(
                User.objects.filter(
                    Q(is_active=True, role__in=[User.Role.SECRETARY, User.Role.CLERK])
                    | Q(pk=self.instance.secretary_id or 0)
                )
            ),
        )
        choose_from(self, "units", Unit.objects.filter(is_active=True))
        choose_from(self, "committees", Committee.objects.filter(is_active=True))
        choose_from(self, "persons", Person.objects.filter(is_active=True))
        if self.instance.pk:
            invitations = list(self.instance.invitations.all())
            self.initial.setdefault("units", [i.unit_id for i in invitations if i.unit_id])
            self.initial.setdefault(
                "committees", [i.committee_id for i in invitations if i.committee_id]
            )
            self.initial.setdefault("persons", [i.person_id for i in invitations if i.person_id])
            self.initial.setdefault("revision", self.instance.revision)
        self.fields["title"].widget.attrs["autofocus"] = True

    def _keep(self, name: str) -> Q:
        current = getattr(self.instance, f"{name}_id", None) if self.instance.pk else None
        return Q(is_active=True) | Q(pk=current or 0)

    def chair_warning(self) -> str:
        """When the chosen chair has no active account: who approves the minutes instead."""
        value = self["chair"].value()
        try:
            pk = int(str(value))  # what was typed or posted: anything, not only an id
        except ValueError:
            return ""
        field = self.fields["chair"]
        assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
        chair = field.queryset.filter(pk=pk).first() if 0 < pk < 2**63 else None
        if chair is None or chair.has_account:
            return ""
        unit = self.instance.organiser_unit if self.instance.pk else self.user.unit
        approver = minutes_approver(chair, unit)
        if approver.is_chair:
            return ""
        if approver.nobody:
            return _(
                "%(chair)s chưa có tài khoản đang hoạt động, và đơn vị tổ chức chưa có tài khoản "
                "lãnh đạo đơn vị: chưa ai phê duyệt được biên bản cuộc họp. Hãy đề nghị quản trị "
                "hệ thống tạo tài khoản cho chủ trì."
            ) % {"chair": chair.full_name}
        return _(
            "%(chair)s chưa có tài khoản đang hoạt động: biên bản cuộc họp sẽ do lãnh đạo đơn vị "
            "tổ chức phê duyệt (%(leaders)s)."
        ) % {
            "chair": chair.full_name,
            "leaders": ", ".join(u.get_full_name() for u in approver.leaders),
        }

    def clean_start_at(self) -> datetime:
        start = self.cleaned_data["start_at"]
        unchanged = self.instance.pk and self.instance.start_at == start
        if start and not unchanged and start < timezone.now():
            raise ValidationError(
                _("Thời gian bắt đầu đã qua. Hãy chọn một thời điểm trong tương lai."), code="past"
            )
        return start

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_at"), data.get("end_at")
        if start and end and end <= start:
            self.add_error(
                "end_at",
                ValidationError(_("Thời gian kết thúc phải sau thời gian bắt đầu."), code="order"),
            )
        form = data.get("form")
        if form is not None:
            if form.is_in_person and not form.is_online and not data.get("location"):
                self.add_error("location", _("Hình thức họp tại phòng cần chọn phòng họp."))
            if form.is_online and not form.is_in_person and not data.get("online_link"):
                self.add_error("online_link", _("Hình thức họp trực tuyến cần đường dẫn họp."))
        elif not data.get("location") and not data.get("online_link"):
            self.add_error("location", _("Hãy chọn phòng họp hoặc nhập đường dẫn họp trực tuyến."))
        return data

    def invitees(self) -> Invitees:
        return Invitees(
            units=self.cleaned_data.get("units") or [],
            committees=self.cleaned_data.get("committees") or [],
            persons=self.cleaned_data.get("persons") or [],
        )

    def meeting_data(self) -> dict[str, Any]:
        """The meeting's own values; its agenda comes apart (agenda_as_text, AgendaFormSet)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def agenda_as_text(self) -> str | None:
        """The agenda sent as free text (the API, clients without the item rows), or None."""
        if "agenda" not in self.data:
            return None
        return str(self.cleaned_data.get("agenda") or "")


class AgendaItemForm(forms.ModelForm):
    """One row of the agenda on the meeting form. `position` is the number the user may type to
    move the row (or the up/down buttons change it); rows are saved in that order."""

    position = forms.IntegerField(
        label=_("Thứ tự"), required=False, min_value=1, max_value=999, widget=forms.NumberInput()
    )

    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "planned_minutes", "position"]
        widgets = {"title": forms.TextInput()}
        labels = {"planned_minutes": _("Số phút")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        title = self.fields["title"]
        assert isinstance(title, forms.CharField)
        title.max_length = 2000
        self.fields["title"].widget.attrs.update({"maxlength": 2000})
        self.fields["planned_minutes"].widget.attrs.update({"min": 1, "max": 600})
        self.fields["planned_minutes"].validators.append(MinValueValidator(1))
        self.fields["planned_minutes"].validators.append(MaxValueValidator(600))

    def has_changed(self) -> bool:
        # A blank row renumbered by the up/down buttons is still a blank row, and is ignored.
        return any(name != "position" for name in self.changed_data)


class BaseAgendaFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            item = getattr(form, "cleaned_data", {}).get("id")
            # Django checks the id against every item; a row may only edit this meeting's.
            if item is not None and (
                self.instance.pk is None or item.meeting_id != self.instance.pk
            ):
                form.add_error(
                    None,
                    ValidationError(
                        _(
                            "Dòng này trỏ tới một nội dung không thuộc cuộc họp này (có thể trang "
                            "đã cũ). Hãy mở lại trang sửa."
                        ),
                        code="foreign_item",
                    ),
                )

    def rows(self) -> list[AgendaRow]:
        """The items kept, in the order the positions give (a row moved to a number goes before
        the row that had it), blank and removed rows left out."""
        keyed = []
        for index, form in enumerate(self.forms):
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not (data.get("title") or "").strip():
                continue
            position = data.get("position")
            moved = "position" in form.changed_data
            key = (position if position is not None else index + 1, 0 if moved else 1, index)
            instance = data.get("id")
            row = AgendaRow(
                title=data["title"].strip(),
                presenter=(data.get("presenter") or "").strip(),
                planned_minutes=data.get("planned_minutes"),
                pk=instance.pk if instance is not None else None,
            )
            keyed.append((key, row))
        return [row for _key, row in sorted(keyed, key=lambda pair: pair[0])]


AgendaFormSet = forms.inlineformset_factory(
    Meeting,
    AgendaItem,
    form=AgendaItemForm,
    formset=BaseAgendaFormSet,
    extra=3,
    can_delete=True,
    max_num=100,
    # A posted TOTAL_FORMS of 10**20 builds and shows at most this many rows (Django's own bound
    # is max_num + 1 000).
    absolute_max=100,
    validate_max=True,
)
AGENDA_PREFIX = "agenda"


def agenda_formset(request_data: Any, meeting: Meeting | None) -> BaseAgendaFormSet:
    """The agenda rows of the meeting form, bound when its management data was posted."""
    posted = request_data is not None and f"{AGENDA_PREFIX}-TOTAL_FORMS" in request_data
    return AgendaFormSet(  # type: ignore[return-value]
        request_data if posted else None,
        instance=meeting or Meeting(),
        prefix=AGENDA_PREFIX,
        queryset=AgendaItem.objects.order_by("position", "id"),
    )


class MeetingCreateForm(MeetingEditForm):
    # Named like BaseForm.files (the request\'s files); the metaclass moves fields out of the
    # class, so the two never meet at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tài liệu họp"),
        help_text=_(
            "Chọn được nhiều tệp một lúc: PDF, Word, Excel, PowerPoint, OpenDocument, ảnh, ZIP."
        ),
    )


class RevisionForm(forms.Form):
    """Carries the meeting's revision the page showed: an action on a meeting changed since is
    refused rather than done on what the user did not see (meetings.services.StaleEdit)."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PublishForm(RevisionForm):
    late_reason = forms.CharField(
        label=_("Lý do phát hành muộn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ReasonForm(RevisionForm):
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class PostponeForm(ReasonForm):
    start_at = DateTimeField(
        label=_("Thời gian bắt đầu mới"),
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        required=False,
        help_text=_("Để trống nếu chưa có thời gian mới."),
    )
    end_at = DateTimeField(
        label=_("Thời gian kết thúc mới"),
        widget=DateTimeInput(),
        input_formats=DATETIME_FORMATS,
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_at"), data.get("end_at")
        if bool(start) != bool(end):
            raise ValidationError(
                _("Hãy nhập cả thời gian bắt đầu và kết thúc mới, hoặc để trống cả hai.")
            )
        if start and start < timezone.now():
            self.add_error("start_at", _("Thời gian bắt đầu mới đã qua."))
        if start and end and end <= start:
            self.add_error("end_at", _("Thời gian kết thúc phải sau thời gian bắt đầu."))
        return data


class CopyForm(forms.Form):
    """Sao chép: the copy's title (the clerk may change it here or later) and its new time."""

    title = forms.CharField(label=_("Tên cuộc họp"), max_length=500)
    start_at = DateTimeField(
        label=_("Bắt đầu"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )
    end_at = DateTimeField(
        label=_("Kết thúc"), widget=DateTimeInput(), input_formats=DATETIME_FORMATS
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_at"), data.get("end_at")
        if start and start < timezone.now():
            self.add_error(
                "start_at",
                _("Thời gian bắt đầu đã qua. Hãy chọn một thời điểm trong tương lai."),
            )
        if start and end and end <= start:
            self.add_error("end_at", _("Thời gian kết thúc phải sau thời gian bắt đầu."))
        return data


THIS_ONLY = "this"
THIS_AND_FOLLOWING = "following"


class SeriesScopeForm(forms.Form):
    """Which meetings of a series a change reaches."""

    scope = forms.ChoiceField(
        label=_("Áp dụng thay đổi cho"),
        choices=[
            (THIS_ONLY, _("Chỉ cuộc họp này")),
            (THIS_AND_FOLLOWING, _("Cuộc họp này và các cuộc họp sau")),
        ],
        widget=forms.RadioSelect,
        initial=THIS_ONLY,
        help_text=_("Các cuộc họp sau đã kết thúc hoặc đã huỷ thì giữ nguyên."),
    )

    def following(self) -> bool:
        return self.is_valid() and self.cleaned_data["scope"] == THIS_AND_FOLLOWING


class RepeatForm(forms.Form):
    """Lặp lại: the rule of a series whose first meeting is the one repeated."""

    frequency = forms.ChoiceField(label=_("Lặp lại"), widget=forms.RadioSelect, initial=WEEKLY)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Vào các ngày"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ends = forms.ChoiceField(
        label=_("Kết thúc"),
        widget=forms.RadioSelect,
        choices=[("count", _("Sau số cuộc họp")), ("until", _("Đến ngày"))],
        initial="count",
    )
    count = forms.IntegerField(
        label=_("Số cuộc họp (kể cả cuộc họp này)"),
        min_value=2,
        max_value=MAX_OCCURRENCES,
        initial=4,
        required=False,
    )
    until = DateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, first: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.first = first
        weekdays, frequency = self.fields["weekdays"], self.fields["frequency"]
        assert isinstance(weekdays, forms.ChoiceField) and isinstance(frequency, forms.ChoiceField)
        weekdays.choices = list(enumerate(weekday_names()))
        self.initial.setdefault("weekdays", [first.weekday()])
        frequency.choices = [
            (WEEKLY, _("Hằng tuần")),
            (MONTHLY_DAY, capfirst(describe(SeriesRule(MONTHLY_DAY).rrule(first), ending=False))),
            (
                MONTHLY_WEEKDAY,
                capfirst(describe(SeriesRule(MONTHLY_WEEKDAY).rrule(first), ending=False)),
            ),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("frequency") == WEEKLY and not data.get("weekdays"):
            self.add_error("weekdays", _("Hãy chọn ít nhất một ngày trong tuần."))
        if data.get("ends") == "until":
            until = data.get("until")
            if not until:
                self.add_error("until", _("Hãy nhập ngày kết thúc của chuỗi."))
            elif until <= timezone.localtime(self.first).date():
                self.add_error("until", _("Ngày kết thúc phải sau ngày của cuộc họp này."))
        elif data.get("ends") == "count" and not data.get("count"):
            self.add_error("count", _("Hãy nhập số cuộc họp."))
        return data

    def rule(self) -> SeriesRule:
        data = self.cleaned_data
        until = data.get("until") if data["ends"] == "until" else None
        return SeriesRule(
            frequency=data["frequency"],
            weekdays=tuple(data.get("weekdays") or ()),
            until=until,
            count=None if until else data.get("count"),
        )


class ScheduleSearchForm(FilterForm):
    """Search of the public schedule (S1, S2): public fields only."""

    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        error_messages={
            "max_length": _(
                "Từ khoá quá dài: tối đa %(limit_value)d ký tự (đang có %(show_value)d)."
            )
        },
    )
    tu = date_filter(_("Từ ngày"))
    den = date_filter(_("Đến ngày"))
    to_chuc = LongModelChoiceField(
        label=_("Đơn vị tổ chức"),
        queryset=Unit.objects.filter(may_organise=True).order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )
    # The catalogs' short lists too: Django's own select writes each option through a template
    # (2-3 ms a field, on every list page).
    loai = LongModelChoiceField(
        label=_("Loại cuộc họp"),
        queryset=MeetingType.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )
    hinh_thuc = LongModelChoiceField(
        label=_("Hình thức"),
        queryset=MeetingForm.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )
    linh_vuc = LongModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=MeetingField.objects.order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )


class MeetingSearchForm(ScheduleSearchForm):
    """Search of the signed-in meeting list (S2): every filter is in the URL."""

    moi = LongModelChoiceField(
        label=_("Đơn vị được mời"),
        queryset=Unit.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Tất cả"),
    )
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[("", _("Tất cả")), *Meeting.Phase.choices],
        required=False,
        widget=LongSelect,
    )
    co_tai_lieu = forms.BooleanField(label=_("Có tài liệu"), required=False)
