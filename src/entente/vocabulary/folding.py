"""Text folded for matching words, so a slip cannot hide a word in another spelling of the same letters.

A text and a word are compared after each is folded the same way: Unicode's compatibility normalisation
(NFKC: a full-width or ligature letter as its letter, a no-break space as a space), every format character
removed (a soft hyphen, a zero-width space or joiner, a bidirectional mark), case folded, each letter of
another script that Unicode's confusables table gives as looking like one Latin letter replaced by it (a
Cyrillic "і" as "i"), and every run of spaces as one space.

The table is Unicode's (confusables.txt), as the confusable-homoglyphs package ships it, read when a text is
first folded.  Letters with diacritics (Latvian, Lithuanian, Estonian) are kept as they are.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib.resources import files

_SPACES = re.compile(r"\s+")


@cache
def _latin_lookalikes() -> dict[int, str]:
    """Each character that is not ASCII and looks like one ASCII letter, to that letter (lower case)."""
    table = json.loads((files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8"))
    found: dict[int, str] = {}
    for character, homoglyphs in table.items():
        if len(character) != 1 or character.isascii():
            continue
        letter = next((h["c"] for h in homoglyphs if len(h["c"]) == 1 and h["c"].isascii() and h["c"].isalpha()),
                      None)
        if letter is not None:
            found[ord(character)] = letter.casefold()
    return found


def folded(text: str) -> str:
    """``text`` as words are matched in it (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = "".join(c for c in text if unicodedata.category(c) != "Cf")
        text = text.casefold().translate(_latin_lookalikes())
    return _SPACES.sub(" ", text.casefold()).strip()
