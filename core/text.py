"""Vietnamese text folded for matching (S2): no diacritics, đ as d, lower case, single spaces.
"HỌP KHÔNG GIẤY", "họp không giấy" and "hop khong giay" all fold to "hop khong giay".

Written here rather than taken from a library: Unicode's own decomposition (unicodedata, in the
standard library) does all of it except đ/Đ, which has no decomposition."""

import unicodedata


def fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").casefold().split())
