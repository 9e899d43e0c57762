"""accounts.rules.answering: the accounts it finds for some invitations are those that
answers_for_invitation accepts for one of them, whatever kinds of addressee the invitations
have (a unit, a committee, a person, a mix, none)."""

from itertools import combinations

import pytest

from accounts.models import User
from accounts.rules import answering, answers_for_invitation
from accounts.tests.factories import CommitteeFactory, PersonFactory, UserFactory
from meetings.models import Invitation

pytestmark = pytest.mark.django_db


def test_answering_finds_the_accounts_that_answer_for_any_of_the_invitations(
    role_users, meetings, department
):
    meeting = meetings["published"]
    committee = CommitteeFactory()
    person = PersonFactory(unit=department)
    UserFactory(username="uy-ban", role=User.Role.MEMBER, committee=committee)
    UserFactory(username="ca-nhan", role=User.Role.MEMBER, person=person, unit=department)
    by_kind = {
        "unit": Invitation.objects.filter(meeting=meeting, unit=department).first()
        or Invitation.objects.create(meeting=meeting, unit=department),
        "committee": Invitation.objects.create(meeting=meeting, committee=committee),
        "person": Invitation.objects.create(meeting=meeting, person=person),
    }
    accounts = list(User.objects.all())
    for size in range(len(by_kind) + 1):
        for kinds in combinations(by_kind, size):
            rows = [by_kind[k] for k in kinds]
            expected = {u.pk for u in accounts if any(answers_for_invitation(u, i) for i in rows)}
            found = set(User.objects.filter(answering(rows)).values_list("pk", flat=True))
            assert found == expected, kinds
            assert bool(expected) == bool(rows), kinds
            # The same from a queryset of those invitations (kept as a subquery).
            as_query = Invitation.objects.filter(pk__in=[i.pk for i in rows])
            assert set(User.objects.filter(answering(as_query)).values_list("pk", flat=True)) == (
                expected
            ), kinds
