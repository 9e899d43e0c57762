"""Lockout by account *and* address, and a higher limit per address across accounts (A4).

django-axes counts failed sign-ins for each set of AXES_LOCKOUT_PARAMETERS, here
[["username", "ip_address"], "ip_address"], but holds every set to one AXES_FAILURE_LIMIT.
Locking an account only from the address that guessed means nobody can lock a colleague out from
elsewhere; an office behind one NAT address must not be blocked by five typos of five people, so
the address's own limit is higher (LOGIN_ADDRESS_FAILURE_LIMIT). The handler below scales the
address's count to the account limit; everything else (recording, cool-off, reset) is axes's.
"""

from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import DateTimeField, Max, OuterRef, Subquery, Sum
from django.http import HttpRequest
from django.utils import timezone


def _failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def failures_by_kind(
        self, request: HttpRequest, credentials: dict | None = None
    ) -> tuple[int, int]:
        """Failures of this account from this address, and of this address for any account,
        within the cool-off time."""
        per_account, per_address = self.get_user_attempts(request, credentials)
        return _failures(per_account), _failures(per_address)

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        per_account, per_address = self.failures_by_kind(request, credentials)
        # In whole numbers, this reaches the account limit exactly when the address reaches its own.
        scaled = per_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(per_account, scaled)

    def address_is_locked(self, request: HttpRequest, credentials: dict | None = None) -> bool:
        return self.failures_by_kind(request, credentials)[1] >= (
            settings.LOGIN_ADDRESS_FAILURE_LIMIT
        )

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A successful sign-in clears that account's failures at that address only: one good
        account must not wipe the address's count of guesses at the others."""
        per_account = self.filter_user_attempts(request, credentials)[0]
        count, _ = per_account.delete()
        return count


def last_lockout() -> Subquery:
    """For a query of accounts: the last failure of the account's name at an address where it is
    locked out now, or NULL when it is locked out nowhere. An account is locked from an address
    once its failures there within the cool-off time reach AXES_FAILURE_LIMIT, as the handler
    above counts them, and stays so for the cool-off time after that failure (`lockout_ends`), or
    until an admin unlocks it."""
    locks = (
        AccessAttempt.objects.filter(
            username=OuterRef("username"),
            attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        )
        .order_by()
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
        .values("last")[:1]
    )
    return Subquery(locks, output_field=DateTimeField())


def lockout_ends(last_failure: datetime) -> datetime:
    return last_failure + settings.AXES_COOLOFF_TIME
