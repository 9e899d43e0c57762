"""Fixtures of the export tests: a date range holding the fixtures' meetings, and meetings the
office's clerk must not get (another department's, a deleted one)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from meetings.tests.factories import make_document, make_meeting, publish


@pytest.fixture
def span() -> tuple[date, date]:
    today = timezone.localdate()
    return today, today + timedelta(days=30)


@pytest.fixture
def form_dates(span) -> dict[str, str]:
    return {"date_from": f"{span[0]:%d/%m/%Y}", "date_to": f"{span[1]:%d/%m/%Y}"}


@pytest.fixture
def foreign_meeting(role_users, other_department):
    """Organised by another department for itself: the office's clerk never sees it."""
    clerk = UserFactory(username="clerk-skhdt", role=User.Role.CLERK, unit=other_department)
    meeting = make_meeting(by=clerk, title="Họp nội bộ Sở Kế hoạch", units=[other_department])
    publish(meeting, clerk)
    make_document(meeting, clerk, "Bí mật nội bộ.pdf")
    return meeting
