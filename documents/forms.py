"""Forms of the documents pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogs.models import DocumentField, DocumentType
from core.forms import bound_years
from meetings.forms import MultipleFileField

from .models import Document
from .services import Metadata


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
        )


class DocumentEditForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "number", "type", "field", "issuer", "issued_on", "order"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issued_on"].input_formats = DATE_FORMATS  # type: ignore[attr-defined]
        bound_years(self, "issued_on")


class DocumentReplaceForm(forms.Form):
    file = forms.FileField(label=_("Tệp phiên bản mới"), allow_empty_file=True)
    note = forms.CharField(label=_("Ghi chú thay đổi"), max_length=255, required=False)


class DocumentDeleteForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do xoá"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
