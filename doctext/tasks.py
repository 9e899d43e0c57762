"""Background work of doctext: thin, the service does the work."""

from .services import text_extract


def extract_version(version_id: int) -> str:
    row = text_extract(version_id=version_id)
    return row.status if row is not None else "gone"
