"""Approved archive exports (D1).

A clerk (or an admin) asks for the archive of a date range; a leader decides: the admins, and a
unit leader (role "unit_leader") of the requester's own unit. The province has no leader role of
its own, so for the Provincial Office, whose accounts have no unit leader, the admins decide.
Nobody decides on their own request, and only the requester downloads, for 7 days.

The exports pages ask these rules through rules.has_perm (the rule set alone), so that an admin
can neither approve their own request nor download somebody else's archive whatever other backend
is configured.
"""

import rules

from accounts.models import User
from accounts.rules import is_admin, is_clerk, is_unit_leader
from core.predicates import owned_through

requested_export = owned_through("requested_by_id")


@rules.predicate
def approves_export(user: User, export: object) -> bool:
    """An admin, or a leader of the requester's unit; never the requester."""
    if export is None or not user.is_authenticated:
        return False
    if getattr(export, "requested_by_id", None) == user.pk:
        return False
    if user.role == User.Role.ADMIN:
        return True
    unit_id = getattr(export, "unit_id", None)
    return user.role == User.Role.UNIT_LEADER and unit_id is not None and user.unit_id == unit_id


@rules.predicate
def export_is_downloadable(user: User, export: object) -> bool:
    return bool(getattr(export, "is_downloadable", False))


rules.add_perm("exports.view_list", is_admin | is_clerk | is_unit_leader)
# The archive holds the documents and comments: the office's clerks ask for it, not the IT centre.
rules.add_perm("exports.request", is_clerk)
rules.add_perm("exports.view_request", requested_export | approves_export)
# Whether the request is still waiting is the service's business: a second "approve" is harmless.
rules.add_perm("exports.decide_request", approves_export)
rules.add_perm("exports.download", requested_export & export_is_downloadable)
