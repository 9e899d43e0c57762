"""Who may do what: every access decision of the product lives here (A2, D2).

Each action is one named rule, `<app>.<action>_<model>`, built from small predicates with
django-rules. Views and templates ask `user.has_perm(name, obj)`; they never decide by themselves.
Later capabilities add their predicates and rules to this module.

Admins (role "admin") are Django superusers, so every rule is true for them; the predicates below
still name them where the rule reads better with it.
"""

import rules
from rules.predicates import is_authenticated

from accounts.models import User


@rules.predicate
def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.ADMIN


@rules.predicate
def is_clerk(user: User) -> bool:
    return user.is_authenticated and user.role == User.Role.CLERK


@rules.predicate
def is_unit_manager(user: User) -> bool:
    """Unit leaders and unit clerks act for their unit (name attendees, comment for it)."""
    return user.is_authenticated and user.role in {User.Role.UNIT_LEADER, User.Role.UNIT_CLERK}


@rules.predicate
def unit_may_organise(user: User) -> bool:
    """Organising meetings is granted per unit by the admin; initially the Provincial Office."""
    unit = user.unit if user.is_authenticated else None
    return unit is not None and unit.may_organise and unit.is_active


@rules.predicate
def is_author(user: User, obj: object) -> bool:
    return obj is not None and getattr(obj, "author_id", None) == user.pk


# ---- portal -------------------------------------------------------------------------------
rules.add_perm("portal.view_dashboard", is_authenticated)

# ---- accounts -------------------------------------------------------------------------------
rules.add_perm("accounts.view_own_account", is_authenticated)
rules.add_perm("accounts.change_own_password", is_authenticated)
rules.add_perm("accounts.view_loginevent", is_admin)
rules.add_perm("accounts.reset_password", is_admin)
rules.add_perm("accounts.unlock_account", is_admin)

# ---- meetings (the meetings capability fills in the rest) ---------------------------------------
rules.add_perm("meetings.organise_meeting", is_admin | (is_clerk & unit_may_organise))

# ---- software feedback (A6) -----------------------------------------------------------------
rules.add_perm("feedback.add_feedback", is_authenticated)
rules.add_perm("feedback.view_feedback", is_admin | is_author)
rules.add_perm("feedback.answer_feedback", is_admin)
