from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import choose_from
from documents.models import Document
from meetings.models import Meeting

from .models import MAX_COMMENT_LENGTH


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Ý kiến góp ý"),
        widget=forms.Textarea(attrs={"rows": 4}),
        # Checked by the service with a message that says how long it was.
        max_length=MAX_COMMENT_LENGTH * 20,
    )
    document = forms.ModelChoiceField(
        label=_("Về tài liệu"), queryset=Document.objects.none(), required=False
    )
    file = forms.FileField(label=_("Tệp đính kèm"), required=False, allow_empty_file=True)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choose_from(self, "document", Document.objects.alive().filter(meeting=meeting))


class SummaryForm(forms.Form):
    body = forms.CharField(
        label=_("Tổng hợp ý kiến"), widget=forms.Textarea(attrs={"rows": 12}), max_length=100_000
    )
