"""Vietnamese mobile numbers: written as people write them (0912 345 678, +84 912.345.678,
84912345678) and kept in the one form gateways take (84912345678).

Mobile numbers are 0 (or 84) and nine digits starting 3, 5, 7, 8 or 9, the ranges the Ministry of
Information and Communications gave the networks after the 2018 change to ten digits."""

import re

_SEPARATORS = re.compile(r"[\s.()-]")
_MOBILE = re.compile(r"(?:84|0)([35789][0-9]{8})")


def vn_mobile(raw: str | None) -> str | None:
    """The number as 84xxxxxxxxx, or None when it is not a Vietnamese mobile number."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+"):
        digits = digits[1:]
    found = _MOBILE.fullmatch(digits)
    return f"84{found.group(1)}" if found else None
