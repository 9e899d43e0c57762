# The English interface keeps the dd/mm/yyyy dates of the offices that use it (P2).
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
