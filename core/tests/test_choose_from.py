"""core.forms.choose_from: narrowing what a model choice field offers, typed, in one place."""

import pytest
from django import forms
from django.contrib.auth.models import Group

from core.forms import choose_from


class _Form(forms.Form):
    group = forms.ModelChoiceField(queryset=Group.objects.all())
    groups = forms.ModelMultipleChoiceField(queryset=Group.objects.all())
    name = forms.CharField()


@pytest.mark.django_db
def test_the_field_offers_only_the_given_rows():
    kept = Group.objects.create(name="Văn phòng")
    Group.objects.create(name="Phòng khác")
    form = _Form(data={"group": kept.pk, "groups": [kept.pk], "name": "x"})
    choose_from(form, "group", Group.objects.filter(pk=kept.pk))
    choose_from(form, "groups", Group.objects.filter(pk=kept.pk))
    assert list(form.fields["group"].queryset) == [kept]
    assert list(form.fields["groups"].queryset) == [kept]
    assert form.is_valid()
    other = Group.objects.get(name="Phòng khác")
    refused = _Form(data={"group": other.pk, "groups": [other.pk], "name": "x"})
    choose_from(refused, "group", Group.objects.filter(pk=kept.pk))
    assert not refused.is_valid() and "group" in refused.errors


def test_a_field_without_rows_to_choose_is_a_mistake_said_at_once():
    with pytest.raises(TypeError):
        choose_from(_Form(), "name", Group.objects.none())
