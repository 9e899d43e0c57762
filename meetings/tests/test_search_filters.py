"""The search form's filters kept per process when the list is opened as it is
(meetings.templatetags.search_filters): the same markup as written afresh, in each language; a
unit or a catalog entry saved or deleted shows on the next page; a form filled in is written as
it is."""

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UnitFactory
from catalogs.models import MeetingType
from meetings.forms import MeetingSearchForm
from meetings.templatetags import search_filters as tag

pytestmark = pytest.mark.django_db

LIST = reverse("meetings:list")


def test_the_kept_filters_are_those_written_afresh_in_each_language(client_for):
    tag._kept.clear()
    for language in ("vi", "en"):
        with translation.override(language):
            kept = tag.search_filters(MeetingSearchForm(None))
            assert kept is tag.search_filters(MeetingSearchForm(None))  # from the memo
            assert kept == tag._written(MeetingSearchForm(None))
    assert len(tag._kept) == 2
    with override_settings(DEBUG=True):
        tag.search_filters(MeetingSearchForm(None))
    assert len(tag._kept) == 2


def test_a_unit_or_a_catalog_entry_changed_shows_on_the_next_page(client_for, department):
    client = client_for("clerk")
    tag._kept.clear()
    assert department.name in client.get(LIST).content.decode()
    department.name = "Sở Thử nghiệm Đổi tên"
    department.save()
    assert "Sở Thử nghiệm Đổi tên" in client.get(LIST).content.decode()
    added = UnitFactory(name="Ban Mới Thành lập", may_organise=True)
    page = client.get(LIST).content.decode()
    assert page.count("Ban Mới Thành lập") == 2  # the organiser and the invited unit
    added.delete()
    assert "Ban Mới Thành lập" not in client.get(LIST).content.decode()
    kind = MeetingType.objects.create(name="Họp chuyên đề thử")
    assert "Họp chuyên đề thử" in client.get(LIST).content.decode()
    kind.delete()
    assert "Họp chuyên đề thử" not in client.get(LIST).content.decode()
    # A save that changes nothing the filters show keeps the markup.
    kept = dict(tag._kept)
    department.phone = "0276 3822 222"
    department.save()
    client.get(LIST)
    assert tag._kept == kept


def test_a_form_filled_in_is_written_as_it_is(client_for, department):
    client = client_for("clerk")
    page = client.get(LIST, {"moi": department.pk}).content.decode()
    assert f'<option value="{department.pk}" selected>' in page
    refused = client.get(LIST, {"loai": "khong-phai-so"}).content.decode()
    assert "is-invalid" in refused or "invalid-feedback" in refused
    plain = client.get(LIST).content.decode()
    assert f'<option value="{department.pk}" selected>' not in plain
