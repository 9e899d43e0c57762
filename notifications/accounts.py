"""E-mail to an account's owner when its password is reset by the admin or changed (B8), through
the outbox like every other message: written in the transaction of the change, sent by the worker
after the commit. Accounts announces (accounts.notices); this module listens."""

from typing import Any

from django.db import transaction

from accounts.models import User

from .models import AccountNotice, OutboxMessage
from .services import wake_worker


def on_account_notice(
    sender: object, *, user: User, kind: str, by: User | None = None, **kwargs: Any
) -> AccountNotice | None:
    if not user.email:
        return None
    notice = AccountNotice.objects.create(
        user=user,
        kind=kind,
        by_name=by.get_full_name() if by is not None and by.pk != user.pk else "",
    )
    OutboxMessage.objects.create(
        notice=notice,
        to_email=user.email,
        to_name=(user.full_name or user.username)[:255],
        user=user,
        created_at=notice.created_at,
        next_attempt_at=notice.created_at,
    )
    transaction.on_commit(wake_worker)
    return notice
