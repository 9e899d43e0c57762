"""core.paging.count_to: the bounded count, run without the ORM's counting, answers as Django's
count of the bounded rows does."""

import pytest
from django.db import connection
from django.db.models import Count, Q, Window
from django.test.utils import CaptureQueriesContext

from accounts.models import Unit
from accounts.tests.factories import UnitFactory
from core.paging import count_to

pytestmark = pytest.mark.django_db


def test_count_to_is_djangos_count_of_the_bounded_rows():
    for n in range(7):
        UnitFactory(name=f"Đơn vị {n}", may_organise=n % 2 == 0)
    cases = {
        "all": Unit.objects.all(),
        "filtered": Unit.objects.filter(may_organise=True),
        "ordered": Unit.objects.order_by("-name"),
        "annotated over the list": Unit.objects.annotate(listed=Window(Count("pk"))).filter(
            Q(name__startswith="Đơn")
        ),
        "none": Unit.objects.filter(name="không có"),
    }
    for label, rows in cases.items():
        for bound in (1, 3, 4, 100):
            assert count_to(rows, bound) == rows.values("pk")[:bound].count(), (label, bound)
    assert count_to(Unit.objects.all(), 3) == 3
    assert count_to(Unit.objects.filter(name__startswith="Đơn vị", may_organise=True), 100) == 4


def test_rows_that_can_match_nothing_ask_nothing():
    with CaptureQueriesContext(connection) as asked:
        assert count_to(Unit.objects.none(), 10) == 0
        assert count_to(Unit.objects.filter(pk__in=[]), 10) == 0
    assert len(asked) == 0
