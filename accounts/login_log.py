"""The login log's rows (A3): one per sign-in, failure, sign-out and second-factor step."""

from .models import LoginEvent, User


def login_event_record(
    *,
    kind: str,
    user: User | None,
    username_tried: str,
    ip_address: str | None,
    user_agent: str,
    session_key: str = "",
    method: str = LoginEvent.Method.PASSWORD,
) -> LoginEvent:
    return LoginEvent.objects.create(
        kind=kind,
        method=method,
        user=user,
        username_tried=username_tried[:150],
        unit_id=user.unit_id if user else None,
        ip_address=ip_address,
        user_agent=user_agent,
        session_key=session_key or "",
    )
