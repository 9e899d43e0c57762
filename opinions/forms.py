"""Forms of the written-opinion pages: they validate and translate; services write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Committee, Person, Unit
from core.forms import bound_years, choose_from
from meetings.forms import DATETIME_FORMATS, DateTimeInput, MultipleFileField

from .models import (
    MAX_COMMENT_LENGTH,
    MAX_DESCRIPTION_LENGTH,
    MAX_QUESTION_LENGTH,
    MAX_QUESTIONS,
    MAX_SIGNER_LENGTH,
    MAX_TITLE_LENGTH,
    Choice,
    OpinionRequest,
    Question,
)
from .services import Addressees, Given


class RequestForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=MAX_TITLE_LENGTH)
    description = forms.CharField(
        label=_("Nội dung, lý do lấy ý kiến"),
        max_length=MAX_DESCRIPTION_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    deadline = forms.DateTimeField(
        label=_("Hạn trả lời"), input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )
    questions = forms.CharField(
        label=_("Nội dung xin ý kiến"),
        help_text=_("Mỗi dòng một nội dung; nơi được lấy ý kiến trả lời từng dòng."),
        max_length=MAX_QUESTIONS * (MAX_QUESTION_LENGTH + 2),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị"), queryset=Unit.objects.none(), required=False
    )
    committees = forms.ModelMultipleChoiceField(
        label=_("Ban chỉ đạo"), queryset=Committee.objects.none(), required=False
    )
    persons = forms.ModelMultipleChoiceField(
        label=_("Cá nhân"), queryset=Person.objects.none(), required=False
    )
    attachments = MultipleFileField(label=_("Tài liệu kèm theo"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, instance: OpinionRequest | None = None, **kwargs: Any) -> None:
        if instance is not None and not kwargs.get("data") and not args:
            recipients = list(instance.recipients.all())
            kwargs["initial"] = {
                "title": instance.title,
                "description": instance.description,
                "deadline": instance.deadline,
                "questions": "\n".join(q.text for q in instance.questions.order_by("position")),
                "units": [r.unit_id for r in recipients if r.unit_id],
                "committees": [r.committee_id for r in recipients if r.committee_id],
                "persons": [r.person_id for r in recipients if r.person_id],
                "revision": instance.revision,
            }
        super().__init__(*args, **kwargs)
        choose_from(self, "units", Unit.objects.filter(is_active=True))
        choose_from(self, "committees", Committee.objects.filter(is_active=True))
        choose_from(self, "persons", Person.objects.filter(is_active=True))
        self.fields["title"].widget.attrs["autofocus"] = True
        bound_years(self, "deadline")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("units") or data.get("committees") or data.get("persons")
        if not chosen and not self.errors:
            self.add_error(None, _("Hãy chọn ít nhất một nơi được lấy ý kiến."))
        return data

    def addressees(self) -> Addressees:
        data = self.cleaned_data
        return Addressees(
            units=list(data.get("units") or []),
            committees=list(data.get("committees") or []),
            persons=list(data.get("persons") or []),
        )

    def question_lines(self) -> list[str]:
        return self.cleaned_data["questions"].splitlines()

    def chosen(self, name: str) -> set[int]:
        raw = self[name].value() or []
        return {int(v) for v in raw if str(v).isdigit()}


class AnswerForm(forms.Form):
    """One choice and one comment per question; the fields are named by the question's id."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"choice_{question.pk}"] = forms.ChoiceField(
                label=question.text,
                choices=Choice.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Hãy chọn một ý kiến.")},
            )
            self.fields[f"comment_{question.pk}"] = forms.CharField(
                label=_("Ý kiến cụ thể"),
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def rows(self) -> list[tuple[Question, Any, Any]]:
        return [(q, self[f"choice_{q.pk}"], self[f"comment_{q.pk}"]) for q in self.questions]

    def given(self) -> list[Given]:
        return [
            Given(
                question_id=q.pk,
                choice=self.cleaned_data[f"choice_{q.pk}"],
                comment=self.cleaned_data.get(f"comment_{q.pk}") or "",
            )
            for q in self.questions
        ]


class SignerForm(forms.Form):
    """Who signs the summary: their title (chức vụ) and name, as the document writes them."""

    summary_signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=MAX_SIGNER_LENGTH,
        required=False,
        help_text=_("Ví dụ: Chánh Văn phòng; để trống cả hai ô thì lãnh đạo đơn vị ký."),
        error_messages={"max_length": _("Tối đa %(limit_value)d ký tự.")},
    )
    summary_signer_name = forms.CharField(
        label=_("Họ và tên người ký"),
        max_length=MAX_SIGNER_LENGTH,
        required=False,
        error_messages={"max_length": _("Tối đa %(limit_value)d ký tự.")},
    )
