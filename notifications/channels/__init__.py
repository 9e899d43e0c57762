"""The outbox's channels: e-mail, SMS, and whatever comes next (Zalo, a carrier's own API).

A channel is one module with one class that knows how to reach its server and send one outbox row
over it. Everything else (claiming rows so that two workers never send the same one, retries with
a growing delay, failing for good, "send again", the failures on the meeting page and in the
admin's outbox) is the outbox's own, in notifications.delivery, and the same for every channel.

A new channel: a module here with a class that has `name`, `enabled()` and `connect()`, a value in
OutboxMessage.Channel, and one `register()` line in NotificationsConfig.ready."""

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..models import OutboxMessage


class SendError(Exception):
    """A message the channel could not send. `permanent`: another try cannot help (the address
    refused); otherwise the row waits and is tried again."""

    def __init__(self, text: str, *, permanent: bool = False) -> None:
        super().__init__(text)
        self.permanent = permanent


class Connection(Protocol):
    def send(self, message: "OutboxMessage") -> str:
        """Sends one row; returns the server's id for it (or ""). Raises SendError."""
        ...

    def alive(self) -> bool:
        """Whether the server still answers after a failed send (else the batch stops)."""
        ...

    def close(self) -> None: ...


class Channel(Protocol):
    name: str

    def enabled(self) -> bool:
        """Whether the settings name a server: rows are written only for enabled channels."""
        ...

    def connect(self) -> Connection:
        """A connection for one batch; raises SendError when the server cannot be reached."""
        ...


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    _channels[channel.name] = channel


def get(name: str) -> Channel:
    return _channels[name]


def names() -> list[str]:
    return list(_channels)


def enabled(name: str) -> bool:
    channel = _channels.get(name)
    return channel is not None and channel.enabled()
