"""Dates inside the rules' English text written as words, as every date on a page is (``vocabulary.wording``).

A finding says "conference 1 (Tallinn, 1934-11-30/1934-12-02)"; a page says
"conference 1 (Tallinn, 30 November – 2 December 1934)".
"""

from __future__ import annotations

import re

from entente.vocabulary.wording import words

# An EDTF day or month, or a range of them, standing alone in running text (not inside an id like
# "conference-1939-09").
_IN_TEXT = re.compile(r"(?<![\w-])\d{4}-\d{2}(?:-\d{2})?[?~]?(?:/\d{4}-\d{2}(?:-\d{2})?[?~]?)?(?![\d-])")


def dates_in(text: str, lang: str = "en") -> str:
    """Running text with each EDTF date in it written as words, in the language of the text."""
    return _IN_TEXT.sub(lambda m: words(m[0], lang), text)
