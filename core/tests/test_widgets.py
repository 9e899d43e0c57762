"""The long select box writes the markup Django's own select writes (options, selected ones,
groups, attributes, escaping), only without a template per option."""

import re

from django import forms

from core.widgets import LongSelect

CHOICES = [
    ("", "Tất cả"),
    ("1", "Sở Tài chính"),
    ("2", '<script>alert("x")</script> & "Sở"'),
    ("Huyện", [("3", "UBND huyện Châu Thành"), ("4", "UBND huyện Tân Phước")]),
]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_a_long_select_is_django_select_markup():
    for value in ["", "2", "3", None]:
        ours = LongSelect(choices=CHOICES, attrs={"class": "form-select", "required": True})
        django = forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True})
        assert _same(ours.render("moi", value)) == _same(django.render("moi", value))
    assert "<script>" not in LongSelect(choices=CHOICES).render("moi", "2")
