"""core.compiled: a condition compiled once answers as the condition does, in every query made
of its queryset, and the SQL it kept is what runs."""

import pytest
from django.db import connection
from django.db.models import Count, Q

from accounts.models import Unit
from accounts.tests.factories import UnitFactory
from core.compiled import CompiledOnce

pytestmark = pytest.mark.django_db


def _ids(queryset):
    return sorted(queryset.values_list("pk", flat=True))


def test_every_query_made_of_it_answers_as_the_condition():
    made = {
        name: UnitFactory(name=name)
        for name in ("An Giang", "An Khê", "Bình Định", "Cà Mau", "Đà Nẵng")
    }
    UnitFactory(name="Phòng 1", parent=made["An Giang"])
    UnitFactory(name="Phòng 2", parent=made["Bình Định"])
    condition = Q(name__startswith="An") | Q(pk__in=Unit.objects.filter(name="Cà Mau").values("pk"))
    kept = Unit.objects.filter(CompiledOnce(condition))
    plain = Unit.objects.filter(condition)
    made_of = {
        "itself": lambda q: q,
        "a slice": lambda q: q.order_by("-name")[:2],
        "excluding": lambda q: q.exclude(name="An Khê"),
        "counted": lambda q: q.order_by("name")[:10],
        # Inside another query of the same table: its alias changes, and it compiles anew.
        "a subquery": lambda q: Unit.objects.filter(pk__in=q.values("pk")),
        "the parents' subquery": lambda q: Unit.objects.filter(parent__in=q.values("pk")),
        "combined": lambda q: q | Unit.objects.filter(name="Đà Nẵng"),
        "grouped": lambda q: q.values("kind").annotate(n=Count("pk")).order_by("kind"),
    }
    for label, make in made_of.items():
        if label == "grouped":
            assert list(make(kept)) == list(make(plain)), label
        elif label == "counted":
            assert make(kept).count() == make(plain).count() == 3, label
        else:
            assert _ids(make(kept)) == _ids(make(plain)), label
    assert len(_ids(kept)) == 3


def test_the_sql_kept_is_what_runs():
    UnitFactory(name="An Giang")
    kept = Unit.objects.filter(CompiledOnce(Q(name="An Giang")))
    assert kept.count() == 1
    expression = kept.query.where.children[0].lhs
    sql, params = expression.compiled[connection.vendor]
    assert "name" in sql and list(params) == ["An Giang"]
    # What runs next is the SQL kept, not the condition compiled again.
    expression.compiled[connection.vendor] = ("(1 = 0)", ())
    assert kept.order_by("name").count() == 0
    assert kept.filter(kind=Unit.Kind.DEPARTMENT).exists() is False
