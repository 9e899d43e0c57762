"""Who may do what with accounts, and the roles every other app's rules are built from (A2, D2).

The predicates on roles live here because the roles do (`User.Role`); the apps above import
them. Admins (role "admin") are the IT centre. They are not superusers: they manage the
organisation, accounts, catalogs, feedback and the outbox and read the logs (the rules that
Django's admin asks, registered by each app with `it_centre_manages` and `it_centre_reads`), and
read a meeting, its documents and comments only where a rule gives them a role in it, like
anybody else (least privilege).
"""

import operator
from collections.abc import Iterable
from functools import reduce
from typing import Any

import rules
from django.db.models import Q, QuerySet
from rules.predicates import is_authenticated

from core.predicates import owned_through

from . import two_factor
from .models import User


@rules.predicate
def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.ADMIN


@rules.predicate
def is_clerk(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.CLERK


@rules.predicate
def is_unit_leader(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.UNIT_LEADER


UNIT_MANAGER_ROLES = (User.Role.UNIT_LEADER, User.Role.UNIT_CLERK)


@rules.predicate
def is_unit_manager(user: User) -> bool:
    """Unit leaders and unit clerks act for their unit (name attendees, comment for it)."""
    return user.is_authenticated and user.role in UNIT_MANAGER_ROLES


@rules.predicate
def is_clerk_or_leader(user: User) -> bool:
    return user.is_authenticated and user.role in {User.Role.CLERK, User.Role.UNIT_LEADER}


@rules.predicate
def unit_may_organise(user: User) -> bool:
    """Organising meetings is granted per unit by the admin; initially the Provincial Office."""
    unit = user.unit if user.is_authenticated else None
    return unit is not None and unit.may_organise and unit.is_active


@rules.predicate
def has_unit(user: User) -> bool:
    return user.is_authenticated and user.unit_id is not None


# ---- answering for an addressee --------------------------------------------------------------
# A meeting's invitation and a written-opinion request's recipient are both addressed to a unit, a
# committee or a person; the same accounts answer for them.


@rules.predicate
def answers_for_invitation(user: User, invitation: object) -> bool:
    """Who replies for an invitee: the unit's leader or clerk for a unit, the committee's account
    for a committee, the person for a personal invitation."""
    if invitation is None or not user.is_authenticated:
        return False
    unit_id = getattr(invitation, "unit_id", None)
    committee_id = getattr(invitation, "committee_id", None)
    person_id = getattr(invitation, "person_id", None)
    if unit_id:
        return user.unit_id == unit_id and bool(is_unit_manager(user))
    if committee_id:
        return user.committee_id == committee_id
    return person_id is not None and user.person_id == person_id


# What `answered_by` gives an account that answers for no invitee: a filter that matches nothing,
# which a selector may answer with `.none()` before building the rest of its query.
ANSWERS_NOTHING = Q(pk__in=[])


def answered_by(user: User) -> Q:
    """The addressees `answers_for_invitation` accepts, as a filter with the same three cases, so
    that a page finds an account's few invitations among a meeting's hundreds in the database."""
    found = ANSWERS_NOTHING
    if not user.is_authenticated:
        return found
    if user.unit_id and is_unit_manager(user):
        found |= Q(unit_id=user.unit_id)
    if user.committee_id:
        found |= Q(committee_id=user.committee_id)
    if user.person_id:
        found |= Q(person_id=user.person_id)
    return found


def answering(invitations: QuerySet[Any] | Iterable[Any]) -> Q:
    """The accounts `answers_for_invitation` accepts for any of these invitations (the reverse of
    `answered_by`), as a filter on accounts: a queryset of invitations stays a subquery, rows
    (a deleted one included) give their addressees' ids."""
    if isinstance(invitations, QuerySet):
        units: Any = invitations.values("unit_id")
        committees: Any = invitations.values("committee_id")
        persons: Any = invitations.values("person_id")
    else:
        rows = list(invitations)
        units = {i.unit_id for i in rows if i.unit_id}
        committees = {i.committee_id for i in rows if i.committee_id}
        persons = {i.person_id for i in rows if i.person_id}
        # Only the kinds of addressee there are: a ballot's one invitation of a person asks one
        # column, not three of which two match nothing (compiled for nothing, 500 times a vote).
        kinds = [
            Q(unit_id__in=units, role__in=UNIT_MANAGER_ROLES) if units else None,
            Q(committee_id__in=committees) if committees else None,
            Q(person_id__in=persons) if persons else None,
        ]
        present = [q for q in kinds if q is not None]
        return reduce(operator.or_, present) if present else ANSWERS_NOTHING
    return (
        Q(unit_id__in=units, role__in=UNIT_MANAGER_ROLES)
        | Q(committee_id__in=committees)
        | Q(person_id__in=persons)
    )


# ---- accounts ----------------------------------------------------------------------------------
rules.add_perm("accounts.view_own_account", is_authenticated)
rules.add_perm("accounts.change_own_password", is_authenticated)
rules.add_perm("accounts.view_loginevent", is_admin)
rules.add_perm("accounts.reset_password", is_admin)
rules.add_perm("accounts.unlock_account", is_admin)

# ---- two-factor sign-in and sessions (B8) -------------------------------------------------------
# Everyone may enrol an authenticator; the roles in TWO_FACTOR_REQUIRED_ROLES may only enrol again,
# never turn it off. The pages ask these rules through rules.has_perm (the rule set alone).
# Sessions are each account's own; an admin ends someone's sessions by a reset or a deactivation.


@rules.predicate
def two_factor_required(user: User) -> bool:
    return user.is_authenticated and two_factor.required_for(user)


owns_session = owned_through("user_id")

rules.add_perm("accounts.enrol_two_factor", is_authenticated)
rules.add_perm("accounts.remove_two_factor", is_authenticated & ~two_factor_required)
rules.add_perm("accounts.reset_two_factor", is_admin)
rules.add_perm("accounts.end_session", is_authenticated & owns_session)


# ---- the IT centre's admin pages (Django's admin) ----------------------------------------------
# What Django's admin asks ("app.view_model" and the like), for the admins only. Each app names
# what of it the IT centre manages or only reads; the admin shows nothing else (meetings and
# documents read-only and without drafts, for support; never the documents' files, comments or
# notes).
ADMIN_APPS: set[str] = set()


def it_centre_manages(app_label: str, models: Iterable[str], *more: str) -> None:
    """The admins view, add and change these models in Django's admin; `more` names further
    actions of theirs there ("delete_trustedroot")."""
    for model in models:
        for action in ("view", "add", "change"):
            rules.add_perm(f"{app_label}.{action}_{model}", is_admin)
    it_centre_may(app_label, *more)


def it_centre_reads(app_label: str, models: Iterable[str], *more: str) -> None:
    """The admins read these models' rows in Django's admin (unless the app's rule for viewing one
    says more), and may do the further actions named in `more`."""
    for model in models:
        if not rules.perm_exists(f"{app_label}.view_{model}"):
            rules.add_perm(f"{app_label}.view_{model}", is_admin)
    it_centre_may(app_label, *more)


def it_centre_may(app_label: str, *actions: str) -> None:
    ADMIN_APPS.add(app_label)
    for action in actions:
        rules.add_perm(f"{app_label}.{action}", is_admin)


it_centre_manages(
    "accounts",
    ["unit", "person", "committee", "committeemembership", "user"],
    # A committee's members are edited inline on the committee: removing one deletes its row.
    "delete_committeemembership",
)
it_centre_reads("accounts", ["loginevent"])
# The audit log is django-auditlog's; the IT centre reads it.
it_centre_reads("auditlog", ["logentry"])
