"""core.paging.count_to: the bounded count, run without the ORM's counting, answers as Django's
count of the bounded rows does; ids_to gives the same count with the rows' ids in order when
fewer, and Listed reads rows by those ids."""

import pytest
from django.db import connection, transaction
from django.db.models import Count, Q, Window
from django.test.utils import CaptureQueriesContext

from accounts.models import LoginEvent, Unit
from accounts.tests.factories import UnitFactory
from core import paging
from core.paging import Listed, count_to, ids_to

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


@pytest.mark.parametrize("order", [("name",), ("-may_organise", "-name"), ("-pk",), ()])
def test_ids_to_counts_as_count_to_and_lists_the_ids_in_order_when_fewer(order):
    for n in range(7):
        UnitFactory(name=f"Đơn vị {n}", may_organise=n % 3 == 0)
    rows = Unit.objects.filter(name__startswith="Đơn vị")
    expected = list(rows.order_by(*order, "pk").values_list("pk", flat=True))
    for bound in (1, 3, 7, 8, 100):
        count, ids = ids_to(rows, bound, (*order, "pk"))
        assert count == count_to(rows, bound), bound
        assert ids == (expected if count < bound else None), bound
    assert ids_to(Unit.objects.none(), 10, order) == (0, [])
    assert ids_to(rows.filter(name="không có"), 10, order) == (0, [])


def test_listed_reads_its_rows_by_id_in_its_order_and_leaves_out_those_gone():
    units = [UnitFactory(name=f"Đơn vị {n}") for n in range(5)]
    ids = [units[3].pk, units[0].pk, units[4].pk, units[1].pk]
    listed = Listed(ids, Unit.objects.all())
    assert len(listed) == 4
    with CaptureQueriesContext(connection) as asked:
        assert [u.pk for u in listed[1:3]] == ids[1:3]
        assert listed[5:9] == []
    assert len(asked) == 1
    assert listed[0].pk == ids[0]
    units[0].delete()
    assert [u.pk for u in listed[0:4]] == [ids[0], ids[2], ids[3]]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("way", ["count_to", "ids_to"])
def test_a_long_count_is_kept_until_the_data_changes(way, monkeypatch):
    """Kept under the data's generation (core.changes): asked again, the same statement with the
    same values is answered from the cache; after a write, counted again."""
    monkeypatch.setattr(paging, "KEEP_AFTER_SECONDS", 0)
    for n in range(3):
        UnitFactory(name=f"Sở số {n}")
    rows = Unit.objects.filter(name__startswith="Sở số")

    def count() -> int:
        return count_to(rows, 100) if way == "count_to" else ids_to(rows, 100, ["name"])[0]

    assert count() == 3
    with CaptureQueriesContext(connection) as asked:
        assert count() == 3
    kept = connection.vendor == "postgresql" or way == "count_to"
    assert len(asked) == (0 if kept else 1)
    # Other values are another statement.
    assert count_to(Unit.objects.filter(name__startswith="Sở số 1"), 100) == 1
    UnitFactory(name="Sở số 3")
    assert count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_quick_count_or_one_in_a_transaction_that_wrote_is_not_kept(monkeypatch):
    UnitFactory(name="Sở Tư pháp")
    rows = Unit.objects.filter(name="Sở Tư pháp")
    # Quicker than KEEP_AFTER_SECONDS: counted every time.
    monkeypatch.setattr(paging, "KEEP_AFTER_SECONDS", 60)
    for _ in range(2):
        with CaptureQueriesContext(connection) as asked:
            assert count_to(rows, 10) == 1
        assert len(asked) == 1
    monkeypatch.setattr(paging, "KEEP_AFTER_SECONDS", 0)
    with transaction.atomic():
        Unit.objects.filter(name="Sở Tư pháp").update(short_name="STP")
        for _ in range(2):
            with CaptureQueriesContext(connection) as asked:
                assert count_to(rows, 10) == 1
            assert len(asked) == 1


@pytest.mark.django_db(transaction=True)
def test_a_count_of_a_quiet_table_is_never_kept(monkeypatch):
    """The sign-in log's writes leave the data's generation as it is (core.changes.QUIET): its
    count is made every time, a new sign-in counted at once."""
    monkeypatch.setattr(paging, "KEEP_AFTER_SECONDS", 0)
    events = LoginEvent.objects.filter(username_tried="ai-do")
    kind = LoginEvent.Kind.choices[0][0]
    LoginEvent.objects.create(kind=kind, username_tried="ai-do", ip_address="127.0.0.1")
    assert count_to(events, 100) == 1
    LoginEvent.objects.create(kind=kind, username_tried="ai-do", ip_address="127.0.0.1")
    with CaptureQueriesContext(connection) as asked:
        assert count_to(events, 100) == 2
    assert len(asked) == 1
