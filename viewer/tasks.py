"""Background work of the viewer: thin, the service does the work."""

from .services import rendition_convert


def convert_version(version_id: int) -> str:
    row = rendition_convert(version_id=version_id)
    return row.status if row is not None else "gone"
