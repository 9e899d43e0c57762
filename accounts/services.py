"""Every change of state on accounts. Views and the admin call these; they never write directly."""

from datetime import timedelta

from auditlog.models import LogEntry
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginEvent, PasswordHistory, User


def _remember_password(user: User) -> None:
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    keep = list(
        user.password_history.values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_SIZE]
    )
    user.password_history.exclude(pk__in=keep).delete()


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """The account owner chooses a new password. The temporary and recent ones are refused by the
    validators (settings.AUTH_PASSWORD_VALIDATORS)."""
    validate_password(new_password, user)
    if not user.must_change_password:
        # A temporary password is not worth remembering: it is refused anyway.
        _remember_password(user)
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])


@transaction.atomic
def password_reset_to_temporary(*, user: User, by: User) -> None:
    """Admin reset (A4): the deployment's temporary password, to be changed at the next sign-in."""
    _remember_password(user)
    user.set_password(settings.TEMPORARY_PASSWORD)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    axes_reset(username=user.username)
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"password": ["***", "*** (mật khẩu tạm thời)"]},
        additional_data={"event": "password_reset", "by": by.username},
    )


def account_unlock(*, user: User, by: User) -> int:
    """Lift a lockout before its cool-off time ends. Returns how many lock records were cleared."""
    cleared = axes_reset(username=user.username)
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"locked": ["True", "False"]},
        additional_data={"event": "unlock", "by": by.username, "cleared": cleared},
    )
    return cleared


def password_is_expired(user: User) -> bool:
    days = settings.PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return False
    return user.password_changed_at < timezone.now() - timedelta(days=days)


@transaction.atomic  # with the sign-in counts the statistics keep (reports.figures)
def login_event_record(
    *,
    kind: str,
    user: User | None,
    username_tried: str,
    ip_address: str | None,
    user_agent: str,
    session_key: str = "",
) -> LoginEvent:
    return LoginEvent.objects.create(
        kind=kind,
        user=user,
        username_tried=username_tried[:150],
        unit_id=user.unit_id if user else None,
        ip_address=ip_address,
        user_agent=user_agent,
        session_key=session_key or "",
    )


def login_event_count_download(*, session_key: str) -> None:
    """Called by the documents capability on every download, so the login log shows what each
    session downloaded (A3)."""
    if not session_key:
        return
    event = (
        LoginEvent.objects.filter(session_key=session_key, kind=LoginEvent.Kind.SUCCESS)
        .order_by("-at")
        .values_list("pk", flat=True)
        .first()
    )
    if event:
        LoginEvent.objects.filter(pk=event).update(
            documents_downloaded=F("documents_downloaded") + 1
        )
