"""`manage.py generate_data` writes what it says, and the rows it writes in bulk look like the
rows the product writes itself (folded search columns as Meeting.save() keeps them)."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import LoginEvent, User
from doctext.models import VersionText
from documents.models import Document
from meetings.models import Invitation, Meeting, Receipt
from portal.generate import SHOWCASE_30, SHOWCASE_500

pytestmark = pytest.mark.django_db


def test_a_small_province(capsys):
    out = StringIO()
    call_command(
        "generate_data", meetings=40, units=600, per_meeting=3, sign_ins=25, seed=3, stdout=out
    )
    assert "Generated 40 meetings, 600 units" in out.getvalue()
    generated = Meeting.objects.exclude(title__in=[SHOWCASE_30, SHOWCASE_500])
    assert generated.count() == 40
    assert Invitation.objects.filter(meeting__in=generated).count() == 120
    assert Receipt.objects.filter(meeting__in=generated).count() == 120
    assert LoginEvent.objects.count() == 25
    assert User.objects.filter(kind=User.Kind.UNIT, username__regex=r"^b[0-9]+$").count() == 600
    for meeting in generated[:5]:
        stored = (meeting.search_title, meeting.search_public, meeting.search_all)
        meeting.refresh_search()
        assert stored == (meeting.search_title, meeting.search_public, meeting.search_all)
    documents = Document.objects.filter(meeting__in=generated)
    texts = VersionText.objects.filter(version__document__in=documents, status="done")
    assert documents.count() == texts.count() == 4  # one meeting in ten, each read for search
    assert "tờ trình" in texts.first().text.lower()
    showcase = Meeting.objects.get(title=SHOWCASE_500)
    assert showcase.invitations.count() == 500
    assert Receipt.objects.filter(meeting=showcase).count() == 250
    assert Meeting.objects.get(title=SHOWCASE_30).documents.count() == 10
    assert "meetings" in capsys.readouterr().err  # the progress bar
