"""Many changes at once, each reacted to once: a service that changes many rows (a meeting's
invitees, say) runs them inside `batch()`, and the apps that react to each row (the reports' kept
counts) register a context manager here from their AppConfig.ready that gathers their work and
does it once at the end, still inside the caller's transaction. Core knows none of them."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager

_wrappers: dict[str, Callable[[], AbstractContextManager[object]]] = {}


def register(name: str, wrapper: Callable[[], AbstractContextManager[object]]) -> None:
    """A second call with the same name replaces the first."""
    _wrappers[name] = wrapper


@contextmanager
def batch() -> Iterator[None]:
    with ExitStack() as stack:
        for wrapper in list(_wrappers.values()):
            stack.enter_context(wrapper())
        yield
