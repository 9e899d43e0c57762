"""Background work of the packs: thin, the service does the work."""

from .services import pack_build


def build(pack_id: int) -> str:
    pack = pack_build(pack_id=pack_id)
    return pack.status if pack is not None else "gone"
