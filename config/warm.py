"""What each app server process prepares once, when it starts (config.wsgi), instead of inside
the first requests it serves.

A process builds Django's URL map the first time it reverses an address, importing on the way every
app's URLs, views and forms; and it compiles each template the first time it renders it. Both
take about a second of CPU in all. In the first requests after a start or a restart (an upgrade
during a meeting, a worker replaced), that second falls on the people waiting: in the hall's
ballots (scripts/bench_votes.py), the one process that had served nothing yet spent it while 500
phones queued. Here it is spent before the process takes its first request."""

from django.template.loader import get_template
from django.urls import get_resolver

# The page frame, rendered by every signed-in and public page.
FRAME = (
    "base.html",
    "portal/_page_assets.html",
    "portal/_menu_bar.html",
    "portal/_footer.html",
)


def warm() -> None:
    """Builds the URL map (importing every app's URLs and views) and compiles the frame's
    templates."""
    get_resolver().reverse_dict  # noqa: B018 (read for what reading it builds)
    for name in FRAME:
        get_template(name)
