"""The versions of a meeting's polled fragments (core.polling), named here so that every app of
the meeting names them alike:

- `meeting:<id>`: the meeting itself and who is invited (its history, its rows, its
  invitations): every fragment of the meeting watches it, so that any such change checks the
  reader's access again;
- `<kind>:<id>` for what each app keeps of the meeting: `votes` (opened, closed), `ballots`,
  `room` (the item, the speakers), `roll`, `comments`;
- `user:<id>`: the account (role, unit, deactivation): every poll of that account watches it;
- `calls:<id>`: what the account's banner of calls (a vote it may cast, the floor given to it)
  shows of the account itself: its ballots cast, its marks in the roll, the floor given to it;
  the banner also watches its meetings' `votes`.

The bumps of `meeting:<id>` and of the calls of the invitation's accounts are made here, when the
meeting's history, its row or an invitation is saved."""

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.utils.translation import get_language

from accounts.models import User
from accounts.rules import answering
from core import polling

from .models import Invitation, Meeting, MeetingChange


def version(kind: str, pk: object) -> str:
    return f"{kind}:{pk}"


def bump(meeting_id: object, *kinds: str) -> None:
    polling.bump(*(version(kind, meeting_id) for kind in kinds))


def bump_calls(
    invitations: QuerySet[Invitation] | Iterable[Invitation], *, also: Iterable[str] = ()
) -> None:
    """The banners of the accounts that answer for these invitations (a ballot cast, a mark in
    the roll, an invitation made or withdrawn): one query. `also`: other versions (`version`)
    that changed with them, written in the same go."""
    accounts = User.objects.filter(answering(invitations)).order_by().values_list("pk", flat=True)
    polling.bump(*also, *(version("calls", pk) for pk in accounts))


def _reader(request: HttpRequest) -> str:
    return f"{getattr(request.user, 'pk', '')}-{get_language()}"


def watch(request: HttpRequest, meeting: Meeting, *kinds: str, part: str = "") -> polling.Watch:
    """A fragment of the meeting showing what `kinds` version, to this reader."""
    names = ["meeting", *kinds]
    return polling.Watch(
        versions=[
            polling.account_version(request.user.pk),
            *(version(k, meeting.pk) for k in names),
        ],
        private=f"{_reader(request)}-{part}",
    )


def watch_calls(
    request: HttpRequest, meeting_ids: Iterable[int], part: str = "", also: Iterable[str] = ()
) -> polling.Watch:
    """The account's banner of calls: its own version (its ballots, its marks in the roll, the
    floor given to it) and the votes opened and closed in these meetings."""
    pk = request.user.pk
    ids = list(meeting_ids)
    kinds = ["votes", *also]
    return polling.Watch(
        versions=[
            polling.account_version(pk),
            version("calls", pk),
            *(version(kind, m) for m in ids for kind in kinds),
        ],
        private=f"{_reader(request)}-calls{part}",
    )


# ---- what the meetings app bumps itself ---------------------------------------------------------


def _meeting_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    meeting_id = instance.pk if isinstance(instance, Meeting) else instance.meeting_id
    bump(meeting_id, "meeting")


def _invitation_changed(sender: Any, instance: Invitation, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    bump(instance.meeting_id, "meeting")
    bump_calls([instance])


for model in (Meeting, MeetingChange):
    post_save.connect(_meeting_changed, sender=model, dispatch_uid=f"polls-{model.__name__}")
post_save.connect(_invitation_changed, sender=Invitation, dispatch_uid="polls-invitation")
post_delete.connect(_invitation_changed, sender=Invitation, dispatch_uid="polls-invitation-d")
