"""Search for people: every word of the query, in any case and with or without accents, best matches first.

``fold`` makes "Viļņas", "VILŅAS" and "vilnas" one word, and "Klaipėda" and
"Klaipeda"; it covers the letters of every language the record uses (Latvian,
Lithuanian, Estonian, German, French, Polish, Russian in Latin letters), including
those Unicode does not decompose (ł, ø, đ, ß, æ, œ).

``ranked`` scores with BM25 over the rows it is given, and nothing else: the rows a
viewer may see.  Its statistics (how rare a word is, how long an entry) come from
those rows only, so a hidden entry can change neither a score nor an order, and the
answer is the same whatever store the rows came from.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

# Letters with no decomposition into a base letter and a mark.
_UNDECOMPOSED = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ŀ": "l", "æ": "ae", "œ": "oe",
                               "þ": "th", "ð": "d"})
_WORDS = re.compile(r"\w+")
# BM25's usual settings: how fast repeated words stop counting, and how much an entry's length matters.
_K1, _B = 1.2, 0.75


def fold(text: str) -> str:
    """Lower case, accents and other marks taken off: what two spellings of one word have in common."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSED))
    return "".join(c for c in folded if not unicodedata.combining(c))


def _text(row: dict[str, Any]) -> str:
    source = row.get("source") or {}
    return " ".join(str(v) for v in (row.get("id"), row.get("summary"), source.get("quote"), source.get("gloss"),
                                     row.get("note")) if v)


def _hits(words: list[str], term: tuple[str, ...]) -> int:
    """How often the term's words begin consecutive words of the text."""
    n = len(term)
    return sum(1 for i in range(len(words) - n + 1) if all(words[i + k].startswith(term[k]) for k in range(n)))


def ranked(rows: Sequence[dict[str, Any]], query: str) -> list[tuple[float, dict[str, Any]]]:
    """(score, row) for each row holding every query word (as a word or the start of one), best first.

    A query word matches a word of the row it begins ("vilni" matches "Vilnius"), so endings,
    which Latvian and Lithuanian change with each case, need not be typed; a query word joined
    by hyphens or dots ("press-note", an entry's id) matches those words in a row.  Ties keep date order.
    """
    terms = list(dict.fromkeys(term for part in fold(query).split() if (term := tuple(_WORDS.findall(part)))))
    if not terms:
        return []
    docs = [_WORDS.findall(fold(_text(row))) for row in rows]
    average = sum(len(d) for d in docs) / len(docs) if docs else 0.0
    having = {t: sum(1 for d in docs if _hits(d, t)) for t in terms}
    found = []
    for index, (row, doc) in enumerate(zip(rows, docs, strict=True)):
        counts = {t: _hits(doc, t) for t in terms}
        if not all(counts.values()):
            continue
        length = len(doc)
        score = sum(math.log(1 + (len(docs) - having[t] + 0.5) / (having[t] + 0.5))
                    * counts[t] * (_K1 + 1) / (counts[t] + _K1 * (1 - _B + _B * length / (average or 1)))
                    for t in terms)
        found.append((-score, index, row))
    return [(-negative, row) for negative, _, row in sorted(found, key=lambda f: (f[0], f[1]))]
