"""Every form field is rendered by templates/includes/bs_field.html: labelled, described by its
help text and errors, and marked invalid for screen readers as well as by colour."""

from django import forms
from django.template import Context, Template


class SampleForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", help_text="Ngắn gọn, dễ hiểu.")
    note = forms.CharField(label="Ghi chú", required=False)


def _render(form: forms.Form, name: str) -> str:
    return Template("{% include 'includes/bs_field.html' %}").render(Context({"field": form[name]}))


def test_help_text_describes_the_field() -> None:
    html = _render(SampleForm(), "title")
    assert 'aria-describedby="id_title_helptext"' in html
    assert 'id="id_title_helptext"' in html
    assert '<label class="form-label" for="id_title">' in html
    assert "aria-invalid" not in html


def test_errors_and_help_text_both_describe_an_invalid_field() -> None:
    form = SampleForm(data={"title": ""})
    assert not form.is_valid()
    html = _render(form, "title")
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    assert 'id="id_title_error"' in html


def test_field_without_help_or_errors_has_no_dangling_reference() -> None:
    form = SampleForm(data={"title": "Họp giao ban"})
    assert form.is_valid()
    html = _render(form, "note")
    assert "aria-describedby" not in html
