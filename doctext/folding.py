"""Folding that keeps positions: the n-th character of `fold_aligned(text)` is the n-th of `text`
folded (no diacritics, đ as d, lower case, any white space a space). core.text.fold also squeezes
white space; a single word matches both the same. Kept aligned so that the database finds a word's
position in the folded column and cuts the snippet at the same place in the text."""

import unicodedata
from functools import lru_cache


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c.isspace():
        return " "
    if c in "đĐ":
        return "d"
    bare = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
    lowered = bare.lower()
    # A character whose lower case is longer (İ) or that is only a mark keeps its place as is.
    return lowered if len(lowered) == 1 else (c if len(c) == 1 else " ")


def fold_aligned(text: str) -> str:
    return "".join(_fold_char(c) for c in text)
