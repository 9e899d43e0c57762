"""The search form's filters kept per process when the list is opened as it is
(meetings.templatetags.search_filters): the same markup as written afresh, in each language; a
unit or a catalog entry saved or deleted shows on the next page; a form filled in is written as
it is."""

import re

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


@pytest.mark.parametrize(
    "data",
    [
        {"q": "họp giao ban"},
        {"q": "x" * 300},  # refused: the words' own message, by the words' box
        {"q": "ngân sách", "tu": "", "den": "", "to_chuc": "", "moi": "", "trang_thai": ""},
        {"q": "", "page": "3"},
    ],
)
def test_words_alone_get_the_filters_as_opened(data):
    """A search of words alone, its filters sent empty or not at all (a browser sends every
    field of the form), shows the same filters as the list opened as it is, and is given the kept
    markup: written afresh, it differs only in `value=""` on the empty text boxes, which a
    browser shows alike."""
    tag._kept.clear()
    opened = tag.search_filters(MeetingSearchForm(None))
    form = MeetingSearchForm(data)
    form.is_valid()
    assert re.sub(r'(<input[^>]*?) value=""', r"\1", tag._written(form)) == opened
    assert tag.search_filters(form) is opened


@pytest.mark.parametrize(
    "data",
    [{"q": "a", "tu": "01/01/2026"}, {"q": "a", "co_tai_lieu": "on"}, {"trang_thai": "nope"}],
)
def test_a_filter_given_is_not_the_form_as_opened(data):
    tag._kept.clear()
    opened = tag.search_filters(MeetingSearchForm(None))
    form = MeetingSearchForm(data)
    form.is_valid()
    written = tag.search_filters(form)
    assert written is not opened
    assert written != opened


def test_the_kept_filters_are_those_of_the_form_opened_whichever_page_came_first():
    tag._kept.clear()
    searched = MeetingSearchForm({"q": "họp", "tu": "", "den": ""})
    searched.is_valid()
    first = tag.search_filters(searched)
    assert first == tag._written(MeetingSearchForm(None))
    assert tag.search_filters(MeetingSearchForm(None)) is first
