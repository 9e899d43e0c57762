"""Vietnamese by default, English switchable, and nothing left half-translated (P2).

The catalogs are checked with gettext's own `msgfmt --statistics`; the pages are checked by reading
what a user would read: an English page must not fall back to Vietnamese anywhere in the product's
own words. The data (unit names, catalog values) is the user's and stays as entered, so the pages
below run on data written in plain ASCII.
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import Unit, User
from accounts.tests.factories import UnitFactory, UserFactory, signed_in_client

LOCALE = Path(settings.BASE_DIR) / "locale"
# Letters that only Vietnamese uses among the two languages.
VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)
# The language picker names Vietnamese in Vietnamese, on purpose; the admin's header and title
# are the product's name as configured (SITE_NAME), in whatever language it is written.
ALLOWED = ["Tiếng Việt", settings.SITE_NAME]


class _Text(HTMLParser):
    """The text a reader sees, plus the labels a screen reader reads out."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in ("aria-label", "title", "placeholder", "alt") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def _vietnamese_left(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    found = []
    for part in parser.parts:
        for allowed in ALLOWED:
            part = part.replace(allowed, "")
        if VIETNAMESE.search(part):
            found.append(part.strip())
    return found


@pytest.mark.parametrize("language", ["en", "vi"])
def test_catalog_is_complete(language: str) -> None:
    if not shutil.which("msgfmt"):
        pytest.fail("gettext's msgfmt is missing; `make install` installs it")
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    statistics = result.stderr.strip()
    assert "fuzzy" not in statistics and "untranslated" not in statistics, statistics


@pytest.fixture
def english_client(db) -> Client:
    unit = UnitFactory(code="FIN", name="Finance Department", short_name="FIN", may_organise=True)
    user = UserFactory(
        username="reader", full_name="Test Reader", role=User.Role.ADMIN, unit=unit, is_staff=True
    )
    client = signed_in_client(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_clerk(english_client) -> Client:
    """The Finance Department's clerk, who organises its meetings (the admin does not)."""
    clerk = UserFactory(
        username="clerk-en",
        full_name="Test Clerk",
        role=User.Role.CLERK,
        unit=Unit.objects.get(code="FIN"),
    )
    client = signed_in_client(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def ascii_names(settings) -> None:
    settings.SITE_NAME = "Paperless meetings"
    settings.ORGANISATION_NAME = "Provincial Office"


PAGES = [
    "portal:help",
    "portal:dashboard",
    "accounts:account",
    "accounts:password_change",
    "feedback:list",
    "admin:index",
]


@pytest.mark.usefixtures("ascii_names")
@pytest.mark.parametrize("name", PAGES)
def test_english_pages_have_no_vietnamese_left(name: str, english_client: Client) -> None:
    Unit.objects.exclude(code="FIN").delete()  # the seeded office's Vietnamese name is data
    response = english_client.get(reverse(name))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert _vietnamese_left(page) == []


@pytest.mark.usefixtures("ascii_names")
def test_english_public_pages(db, client: Client) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in [reverse("portal:home"), reverse("accounts:login"), "/khong-co-trang-nay/"]:
        assert _vietnamese_left(client.get(url).content.decode()) == [], url


def _admin_changelists() -> list[str]:
    return [
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    ]


@pytest.mark.usefixtures("ascii_names")
@pytest.mark.parametrize("name", _admin_changelists())
def test_english_admin_headers_filters_and_actions(name: str, english_client: Client) -> None:
    """The rows are data (the seeded catalogs are Vietnamese); everything around them is not."""
    page = english_client.get(reverse(name)).content.decode()
    chrome = re.sub(r"<tbody>.*?</tbody>", "", page, flags=re.DOTALL)
    # Filter choices built from data (units, committees) are data too.
    data_choice = r'<li(?: class="selected")?>\s*<a href="\?[^"]*__(?:id__)?exact=\d+.*?</li>'
    chrome = re.sub(data_choice, "", chrome, flags=re.DOTALL)
    assert _vietnamese_left(chrome) == []


@pytest.mark.django_db
def test_vietnamese_admin_is_vietnamese(client_for) -> None:
    """Strings Django's own Vietnamese catalog lacks come from ours."""
    page = client_for("admin").get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert "Show counts" not in page and "Hide counts" not in page
    assert "Bỏ qua, tới nội dung chính" in page
    log = client_for("admin").get(reverse("admin:auditlog_logentry_changelist")).content.decode()
    assert "Nhật ký thay đổi" in log
    assert "Resource Type" not in log and "log entries" not in log


@pytest.mark.usefixtures("ascii_names")
def test_english_meeting_pages(english_clerk: Client, client: Client) -> None:
    """Every meeting and document page, with data typed in English: nothing Vietnamese is left."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalogs.models import (
        DocumentField,
        DocumentType,
        Location,
        MeetingField,
        MeetingForm,
        MeetingType,
    )
    from documents.services import document_replace
    from meetings import services
    from meetings.tests.factories import make_document, make_meeting, pdf_bytes

    Unit.objects.exclude(code="FIN").delete()
    for seeded in [MeetingType, MeetingForm, MeetingField, DocumentType, DocumentField]:
        seeded.objects.all().delete()  # the seeded catalogs are Vietnamese data
    organiser = User.objects.get(username="clerk-en")
    room = Location.objects.create(unit=organiser.unit, name="Room 1")
    kinds = {
        "type": MeetingType.objects.create(code="reg", name="Regular", min_notice_days=3),
        "form": MeetingForm.objects.create(code="inp", name="In person", is_in_person=True),
    }
    # History entries are written in the language of whoever acts: here, an English reader.
    translation.activate("en")
    draft = make_meeting(
        by=organiser, title="Draft meeting", agenda="Items", location=room, **kinds
    )
    meeting = make_meeting(
        by=organiser,
        title="Budget meeting",
        agenda="1. Budget",
        location=room,
        units=[organiser.unit],
        **kinds,
    )
    services.meeting_publish(meeting=meeting, by=organiser)
    services.meeting_update(
        meeting=meeting,
        by=organiser,
        data={"title": "Budget meeting 2027", "is_public": False},
        revision=meeting.revision,
        invitees=services.Invitees(units=[organiser.unit]),
    )
    services.meeting_update(
        meeting=meeting,
        by=organiser,
        data={"is_public": True},
        revision=meeting.revision,
        invitees=services.Invitees(units=[organiser.unit]),
    )
    document = make_document(meeting, organiser, "Budget.pdf")
    document_replace(
        document=document, by=organiser, uploaded=SimpleUploadedFile("Budget 2.pdf", pdf_bytes())
    )
    # A series: its box on the page, the choice of "this one or the following" when editing.
    from meetings.recurrence import WEEKLY, SeriesRule

    services.series_create(meeting=meeting, by=organiser, rule=SeriesRule(WEEKLY, count=3))
    translation.deactivate()
    pages = [
        reverse("meetings:list"),
        reverse("meetings:create"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:detail", args=[draft.pk]),
        reverse("meetings:edit", args=[meeting.pk]),
        reverse("meetings:publish", args=[draft.pk]),
        reverse("meetings:postpone", args=[meeting.pk]),
        reverse("meetings:cancel", args=[meeting.pk]),
        reverse("meetings:delete", args=[meeting.pk]),
        reverse("meetings:invitees", args=[meeting.pk]),
        reverse("meetings:receipts", args=[meeting.pk]),
        reverse("meetings:print_invitation", args=[meeting.pk]),
        reverse("meetings:print_documents", args=[meeting.pk]),
        reverse("meetings:add_documents", args=[meeting.pk]),
        reverse("meetings:copy", args=[meeting.pk]),
        reverse("meetings:repeat", args=[draft.pk]),
        reverse("meetings:repeat", args=[meeting.pk]),
        reverse("meetings:series_publish", args=[meeting.pk]),
        reverse("documents:detail", args=[document.pk]),
        reverse("documents:edit", args=[document.pk]),
        reverse("documents:replace", args=[document.pk]),
        reverse("documents:delete", args=[document.pk]),
        reverse("attendance:rollcall", args=[meeting.pk]),
        reverse("attendance:figures", args=[meeting.pk]),
        reverse("attendance:unit_figures"),
        reverse("comments:list", args=[meeting.pk]),
        reverse("comments:summary", args=[meeting.pk]),
        reverse("attendance:chair_report", args=[meeting.pk]),
    ]
    # The unit's leader answers the invitation for it.
    leader = UserFactory(
        username="leader-en",
        full_name="Test Leader",
        role=User.Role.UNIT_LEADER,
        unit=organiser.unit,
    )
    leader_client = signed_in_client(leader)
    leader_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    asked = [(english_clerk, url) for url in pages]
    asked.append((leader_client, reverse("attendance:reply", args=[meeting.pk])))
    for reader, url in asked:
        response = reader.get(url)
        assert response.status_code == 200, url
        assert _vietnamese_left(response.content.decode()) == [], url
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in [
        reverse("meetings:schedule") + "?period=all",
        reverse("meetings:public_detail", args=[meeting.pk]),
    ]:
        assert _vietnamese_left(client.get(url).content.decode()) == [], url
