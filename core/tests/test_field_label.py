"""core.models.field_label: a field's name as the history and the comparisons show it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import FieldDoesNotExist

from core.models import field_label


def test_a_field_is_named_by_its_verbose_name():
    assert field_label(Permission, "content_type") == str(
        Permission._meta.get_field("content_type").verbose_name
    )
    assert field_label(Group, "name") == str(Group._meta.get_field("name").verbose_name)


def test_a_reverse_relation_has_no_verbose_name_and_keeps_its_own():
    assert field_label(Group, "user") == "user"


def test_a_missing_field_still_says_so():
    with pytest.raises(FieldDoesNotExist):
        field_label(Group, "no_such_field")
