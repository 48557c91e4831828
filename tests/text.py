"""Reading terminal output without depending on how it was wrapped.

rich wraps long lines to the terminal's width and draws error panels with box characters at
both ends of every wrapped line, so a phrase may be split by spaces, newlines and "│". These
helpers compare text with every space and box-drawing character removed, which no terminal
width can change.
"""

from __future__ import annotations

import re

_LAYOUT = re.compile(r"[\s\u2500-\u257f]+")


def unwrapped(text: str) -> str:
    """`text` without whitespace or box-drawing characters."""
    return _LAYOUT.sub("", text)


def says(output: str, phrase: str) -> bool:
    """Whether `output` contains `phrase`, however the terminal wrapped it."""
    return unwrapped(phrase) in unwrapped(output)
