import logging
from typing import Any

from django.apps import AppConfig
from django.core import checks


class OperationsConfig(AppConfig):
    """Running the product (B15): health and readiness, metrics, logs. No models, no pages for
    people: what it serves is read by the monitoring."""

    name = "operations"

    def ready(self) -> None:
        from django.core.signals import request_finished

        from .logs import RequestContextFilter

        checks.register(check_monitoring_addresses)
        request_finished.connect(forget_request, dispatch_uid="operations.forget_request")
        # gunicorn writes its access lines itself (deploy/systemd: --access-logfile -), with the
        # whole request line: the same masking of tokens as every other line.
        for name in ("gunicorn.access", "gunicorn.error"):
            logger = logging.getLogger(name)
            if not any(isinstance(f, RequestContextFilter) for f in logger.filters):
                logger.addFilter(RequestContextFilter())


def forget_request(**kwargs: Any) -> None:
    """Lines logged after a response has gone belong to no request."""
    from .logs import current_request

    current_request.set(None)


def check_monitoring_addresses(**kwargs: Any) -> list[checks.CheckMessage]:
    """A typo in MONITORING_ALLOWED_IPS stops the start rather than the first probe."""
    from .access import allowed_networks

    try:
        allowed_networks()
    except ValueError as error:
        return [checks.Error(f"MONITORING_ALLOWED_IPS: {error}", id="operations.E001")]
    return []
