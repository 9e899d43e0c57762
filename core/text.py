"""Vietnamese text folded for matching (S2): no diacritics, đ as d, lower case, single spaces.
"HỌP KHÔNG GIẤY", "họp không giấy" and "hop khong giay" all fold to "hop khong giay". And text
cut at a word, for file names.

Written here rather than taken from a library: Unicode's own decomposition (unicodedata, in the
standard library) does all of it except đ/Đ, which has no decomposition."""

import unicodedata


def fold(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFD", text or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("đ", "d").replace("Đ", "D").casefold().split())


def cut_at_word(text: str, limit: int, separator: str = "-") -> str:
    """`text` at most `limit` characters long, cut at the last separator before the limit so
    that no word is cut in half; a single word longer than the limit is cut where it must be."""
    if len(text) <= limit:
        return text
    head = text[:limit]
    if text[limit] == separator or head.endswith(separator):
        return head.rstrip(separator)
    cut = head.rfind(separator)
    return head[:cut].rstrip(separator) if cut > 0 else head
