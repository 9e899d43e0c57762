"""The long select box writes the markup Django's own select writes (options, the selected one,
groups, attributes, escaping), and the long model choice field offers, validates and returns
what Django's ModelChoiceField does."""

import re

import pytest
from django import forms
from django.utils.translation import gettext_lazy, override

from accounts.models import Unit
from accounts.tests.factories import UnitFactory
from core.widgets import LongModelChoiceField, LongSelect

CHOICES = [
    ("", "Tất cả"),
    ("1", "Sở Tài chính"),
    ("2", '<script>alert("x")</script> & "Sở"'),
    ("Huyện", [("3", "UBND huyện Châu Thành"), ("4", "UBND huyện Tân Phước")]),
    ("2", "the same value again: Django selects the first only"),
]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", "2", "3", None, 4])
def test_a_long_select_is_django_select_markup(value):
    attrs = {"class": "form-select", "required": True, "id": "id_moi", "disabled": False}
    ours = LongSelect(choices=CHOICES, attrs=attrs)
    django = forms.Select(choices=CHOICES, attrs=attrs)
    assert _same(ours.render("moi", value)) == _same(django.render("moi", value))
    assert "<script>" not in ours.render("moi", value)


@pytest.mark.django_db
def test_a_long_model_choice_field_is_a_model_choice_field():
    UnitFactory(code="STC", name="Sở Tài chính")
    chosen = UnitFactory(code="X", name="Sở <b>Xây dựng</b>")

    class Ours(forms.Form):
        moi = LongModelChoiceField(
            Unit.objects.order_by("name"), empty_label="Tất cả", required=False
        )

    class Djangos(forms.Form):
        moi = forms.ModelChoiceField(
            Unit.objects.order_by("name"), empty_label="Tất cả", required=False, widget=LongSelect
        )

    for data in [{}, {"moi": str(chosen.pk)}]:
        ours, django = Ours(data), Djangos(data)
        assert str(ours["moi"]) == str(django["moi"])
        assert ours.is_valid() and django.is_valid()
        assert ours.cleaned_data == django.cleaned_data
    assert Ours({"moi": "999999"}).errors == Djangos({"moi": "999999"}).errors
    assert f'value="{chosen.pk}" selected' in str(Ours({"moi": str(chosen.pk)})["moi"])


def test_the_kept_options_follow_their_labels_the_choice_and_the_language():
    """The options' markup is kept per process for the same options and choice: a renamed
    unit, another choice or another language is other markup, never the kept one."""
    before = LongSelect(choices=[("1", "Sở Tài chính"), ("2", "Sở Y tế")]).render("u", "1")
    assert before == LongSelect(choices=[("1", "Sở Tài chính"), ("2", "Sở Y tế")]).render("u", "1")
    renamed = LongSelect(choices=[("1", "Sở Tài chính mới"), ("2", "Sở Y tế")]).render("u", "1")
    assert "Sở Tài chính mới" in renamed and "Sở Tài chính mới" not in before
    other = LongSelect(choices=[("1", "Sở Tài chính"), ("2", "Sở Y tế")]).render("u", "2")
    assert '<option value="2" selected>' in other and '<option value="1" selected>' in before
    assert '<option value="1" selected>' not in other

    choices = [("", gettext_lazy("Tất cả")), ("1", "Sở Tài chính")]
    with override("vi"):
        vietnamese = LongSelect(choices=choices).render("u", "")
    with override("en"):
        english = LongSelect(choices=choices).render("u", "")
    assert ">Tất cả</option>" in vietnamese and ">All</option>" in english
