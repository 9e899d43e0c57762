"""Forms of the documents pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogs.models import DocumentField, DocumentType
from core.forms import bound_years
from meetings.forms import MultipleFileField
from meetings.models import AgendaItem, Meeting

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
    if field is not None and field.queryset.exists():  # type: ignore[union-attr]
        form.fields["agenda_item"] = field
    else:
        form.fields.pop("agenda_item", None)


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
        )


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "number", "type", "field", "issuer", "issued_on", "order", "agenda_item"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agenda_field(self, self.instance.meeting if self.instance.meeting_id else None)
        self.fields["issued_on"].input_formats = DATE_FORMATS  # type: ignore[attr-defined]
        bound_years(self, "issued_on")


class DocumentReplaceForm(forms.Form):
    file = forms.FileField(label=_("Tệp phiên bản mới"), allow_empty_file=True)
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=255, required=False)


class DocumentDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do xoá"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
