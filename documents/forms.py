"""Forms of the documents pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogs.models import DocumentField, DocumentType
from core.forms import bound_years
from meetings.forms import MultipleFileField
from meetings.models import AgendaItem, Invitation, Meeting

from .models import Document
from .services import Metadata


class AgendaItemChoiceField(forms.ModelChoiceField):
    """ "Thuộc nội dung họp": one of this meeting's items, or none. An id of another meeting's
    item (a forged or stale form) is refused with a message saying so."""

    def __init__(self, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(
            label=_("Thuộc nội dung họp"),
            queryset=AgendaItem.objects.filter(meeting=meeting).order_by("position", "id"),
            required=False,
            empty_label=_("Không thuộc nội dung nào (tài liệu chung)"),
            error_messages={
                "invalid_choice": _(
                    "Nội dung họp đã chọn không thuộc cuộc họp này (có thể vừa bị xoá). Hãy chọn "
                    "lại trong danh sách."
                )
            },
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.position}. {obj.title}"[:200]


def _agenda_field(form: forms.BaseForm, meeting: Meeting | None) -> None:
    """The select only where the meeting has items."""
    field = AgendaItemChoiceField(meeting) if meeting is not None else None
    if field is not None and field.queryset is not None and field.queryset.exists():
        form.fields["agenda_item"] = field
    else:
        form.fields.pop("agenda_item", None)


class InvitationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)[:200]


def _restriction_fields(form: forms.BaseForm, meeting: Meeting | None) -> None:
    """ "Tài liệu hạn chế" (B11): the box, the meeting's invitees as checkboxes (none = all of
    them) and whether its readers may download a stamped copy."""
    form.fields["restricted"] = forms.BooleanField(
        label=_("Tài liệu hạn chế"),
        required=False,
        help_text=_(
            "Chỉ ban tổ chức và thành phần được chọn dưới đây xem được; người xem thấy dấu chìm "
            "tên mình, đơn vị và thời điểm trên mọi trang."
        ),
    )
    invitations = (
        meeting.invitations.select_related("unit", "committee", "person").order_by("id")
        if meeting is not None
        else Invitation.objects.none()
    )
    form.fields["audience"] = InvitationChoiceField(
        label=_("Thành phần được xem"),
        queryset=invitations,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Không chọn ai: mọi thành phần mời của cuộc họp đều xem được."),
        error_messages={
            "invalid_choice": _(
                "Một thành phần đã chọn không còn trong danh sách mời của cuộc họp (có thể vừa "
                "bị bỏ). Hãy chọn lại."
            ),
            "invalid_pk_value": _("Thành phần đã chọn không hợp lệ. Hãy chọn lại."),
        },
    )
    form.fields["allow_download"] = forms.BooleanField(
        label=_("Cho phép tải về (bản PDF có dấu chìm)"),
        required=False,
        help_text=_("Không đánh dấu: chỉ đọc trực tuyến."),
    )
    form.fields["allow_offline"] = forms.BooleanField(
        label=_("Cho phép lưu trên máy để đọc ngoại tuyến (bản PDF có dấu chìm)"),
        required=False,
        help_text=_("Không đánh dấu: tài liệu không được lưu trên máy tính bảng của người đọc."),
    )


def _clean_restriction(cleaned: dict[str, Any]) -> dict[str, Any]:
    """An unrestricted document keeps no audience and no download switch."""
    if not cleaned.get("restricted"):
        cleaned["audience"] = []
        cleaned["allow_download"] = False
        cleaned["allow_offline"] = False
    return cleaned


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DocumentAddForm(forms.Form):
    """Several files at once; the optional metadata applies to each of them."""

    # Named like BaseForm.files (the request\'s files); the metaclass moves fields out of the
    # class, so the two never meet at run time.
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Tệp tài liệu"),
        help_text=_(
            "Chọn được nhiều tệp một lúc: PDF, Word, Excel, PowerPoint, OpenDocument, ảnh, ZIP."
        ),
    )
    type = forms.ModelChoiceField(
        label=_("Loại văn bản"),
        queryset=DocumentType.objects.filter(is_active=True),
        required=False,
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=DocumentField.objects.filter(is_active=True), required=False
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)

    def __init__(self, *args: Any, meeting: Meeting | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agenda_field(self, meeting)
        _restriction_fields(self, meeting)
        # Which item the files are for comes first: it is what the clerk came to do.
        self.order_fields(["files", "agenda_item"])

    def clean(self) -> dict[str, Any]:
        return _clean_restriction(super().clean() or {})

    def clean_files(self) -> list[Any]:
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError(_("Hãy chọn ít nhất một tệp."), code="required")
        return files

    def metadata(self) -> Metadata:
        return Metadata(
            type=self.cleaned_data.get("type"),
            field=self.cleaned_data.get("field"),
            issuer=self.cleaned_data.get("issuer") or "",
            agenda_item=self.cleaned_data.get("agenda_item"),
            restricted=bool(self.cleaned_data.get("restricted")),
            audience=list(self.cleaned_data.get("audience") or []),
            allow_download=bool(self.cleaned_data.get("allow_download")),
            allow_offline=bool(self.cleaned_data.get("allow_offline")),
        )


class DocumentAgendaItemForm(forms.Form):
    """The documents list's small select: which of the meeting's items a document belongs to."""

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"] = AgendaItemChoiceField(meeting)


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "number", "type", "field", "issuer", "issued_on", "order", "agenda_item"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meeting = self.instance.meeting if self.instance.meeting_id else None
        _agenda_field(self, meeting)
        issued_on = self.fields["issued_on"]
        assert isinstance(issued_on, forms.DateField)
        issued_on.input_formats = DATE_FORMATS
        bound_years(self, "issued_on")
        _restriction_fields(self, meeting)
        if self.instance.pk and not self.is_bound:
            self.initial.update(
                restricted=self.instance.restricted,
                allow_download=self.instance.allow_download,
                allow_offline=self.instance.allow_offline,
                audience=[i.pk for i in self.instance.audience.all()],
            )

    def clean(self) -> dict[str, Any]:
        return _clean_restriction(super().clean() or {})


class DocumentReplaceForm(forms.Form):
    file = forms.FileField(label=_("Tệp phiên bản mới"), allow_empty_file=True)
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=255, required=False)


class DocumentDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do xoá"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
