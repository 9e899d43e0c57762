"""What higher apps offer beside a meeting's documents: a part of the meeting page's documents
toolbar, and files added to the meeting's "download all" ZIP (the meeting pack, packs/).
documents is the lower floor: the apps above register here from their AppConfig.ready, as
documents/processing.py does, and the meeting page and the ZIP never import them."""

from collections.abc import Callable
from typing import Any

# (name in the ZIP, storage name, size): files kept in the documents' storage.
ZipEntry = tuple[str, str, int]
ZipPart = Callable[[Any, Any], list[ZipEntry]]  # (meeting, user) -> entries

_toolbar: list[str] = []
_zip_parts: dict[str, ZipPart] = {}


def register_toolbar(template_name: str) -> None:
    """`template_name` is included in the meeting page's documents toolbar, with the page's
    context (`meeting`, `documents`, `user`)."""
    if template_name not in _toolbar:
        _toolbar.append(template_name)


def toolbar() -> list[str]:
    return list(_toolbar)


def register_zip_part(name: str, part: ZipPart) -> None:
    """`part(meeting, user)` names files to add to the meeting's ZIP for that reader; it only
    reads (what is ready now), never builds. A second call with the same name replaces the
    first."""
    _zip_parts[name] = part


def zip_parts(meeting: Any, user: Any) -> list[ZipEntry]:
    return [entry for part in _zip_parts.values() for entry in part(meeting, user)]
