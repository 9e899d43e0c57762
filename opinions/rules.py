"""Written opinions (B13).

The office's clerks (of a unit that may organise) write and send requests for written opinions;
their unit's clerks and leaders follow them (the request, the answers, the summary). A sent request
is also seen by whoever answers for one of its recipients (a unit's leader or clerk, a committee's
account, the person), like an invitation; a draft by nobody else (404). Whether the deadline has
passed is the service's business, with a message naming it.
"""

import rules

from accounts.models import User
from accounts.rules import answered_by, is_clerk, is_clerk_or_leader, unit_may_organise
from core.predicates import status_is

from .models import Recipient


def _opinion_unit_id(opinion: object) -> object:
    return getattr(opinion, "organiser_unit_id", None)


@rules.predicate
def follows_opinion(user: User, opinion: object) -> bool:
    """A clerk or the leader of the unit that asks."""
    return (
        opinion is not None
        and user.is_authenticated
        and bool(is_clerk_or_leader(user))
        and user.unit_id is not None
        and user.unit_id == _opinion_unit_id(opinion)
    )


@rules.predicate
def manages_opinion(user: User, opinion: object) -> bool:
    return bool(is_clerk(user)) and bool(follows_opinion(user, opinion))


opinion_is_draft = status_is("draft")
opinion_is_sent = status_is("sent")


@rules.predicate
def answers_opinion(user: User, opinion: object) -> bool:
    """Answers for one of a sent (or closed) request's recipients (one query)."""
    if opinion is None or not user.is_authenticated or opinion_is_draft(user, opinion):
        return False
    pk = getattr(opinion, "pk", None)
    return Recipient.objects.filter(answered_by(user), request_id=pk).exists()


rules.add_perm("opinions.add_request", is_clerk & unit_may_organise)
rules.add_perm("opinions.view_sent", is_clerk_or_leader & unit_may_organise)
rules.add_perm("opinions.view_request", follows_opinion | answers_opinion)
rules.add_perm("opinions.change_request", manages_opinion & opinion_is_draft)
rules.add_perm("opinions.send_request", manages_opinion & opinion_is_draft)
rules.add_perm("opinions.close_request", manages_opinion & opinion_is_sent)
rules.add_perm("opinions.answer_request", answers_opinion & opinion_is_sent)
rules.add_perm("opinions.view_summary", follows_opinion)
rules.add_perm("opinions.export_summary", follows_opinion)
rules.add_perm("opinions.change_summary", follows_opinion)
