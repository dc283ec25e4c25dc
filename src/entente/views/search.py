"""Search for people: every word of the query, in any case and with or without accents, best matches first.

``fold`` makes "Viļņas", "VILŅAS" and "vilnas" one word, and "Klaipėda" and
"Klaipeda"; it covers the letters of every language the record uses (Latvian,
Lithuanian, Estonian, German, French, Polish, Russian in Latin letters), including
those Unicode does not decompose (ł, ø, đ, ß, æ, œ).

``matched`` scores with BM25 over the texts it is given, and nothing else: the rows a
viewer may see.  Its statistics (how rare a word is, how long an entry) come from
those rows only, so a hidden entry can change neither a score nor an order, and the
answer is the same whatever store the rows came from.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
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


def text_of(row: dict[str, Any]) -> str:
    """The words of a timeline row a search reads: its id, what it says, its source's quote and gloss, its note."""
    source = row.get("source") or {}
    return " ".join(str(v) for v in (row.get("id"), row.get("summary"), source.get("quote"), source.get("gloss"),
                                     row.get("note")) if v)


def _hits(words: list[str], term: tuple[str, ...]) -> int:
    """How often the term's words begin consecutive words of the text."""
    n = len(term)
    return sum(1 for i in range(len(words) - n + 1) if all(words[i + k].startswith(term[k]) for k in range(n)))


@dataclass(frozen=True)
class Index:
    """The words of the texts a search ranks, by word: made once for a viewer's view of the record, then asked
    for any words, each query reading the texts its words occur in, not every text.

    ``postings`` gives each word the texts it is in (their places, in order) and how often it is in each."""

    lengths: array[int]  # the words of each text
    vocabulary: list[str]  # every word, in order: the words a query word begins are side by side
    postings: dict[str, tuple[array[int], array[int]]]

    @property
    def average(self) -> float:
        return sum(self.lengths) / len(self.lengths) if self.lengths else 0.0

    def holding(self, first: str) -> dict[int, int]:
        """The texts holding a word that ``first`` begins, with how often such words are in each."""
        found: dict[int, int] = {}
        for word in self.vocabulary[bisect.bisect_left(self.vocabulary, first):]:
            if not word.startswith(first):
                break
            places, counts = self.postings[word]
            for place, count in zip(places, counts, strict=True):
                found[place] = found.get(place, 0) + count
        return found


def indexed(texts: Iterable[str]) -> Index:
    """The index of ``texts``, each folded and cut into words as a search reads it."""
    lengths = array("I")
    postings: dict[str, tuple[array[int], array[int]]] = {}
    for place, text in enumerate(texts):
        words = _WORDS.findall(fold(text))
        lengths.append(len(words))
        for word, count in Counter(words).items():
            posted = postings.get(word)
            if posted is None:
                posted = postings[word] = (array("I"), array("I"))
            posted[0].append(place)
            posted[1].append(count)
    return Index(lengths, sorted(postings), postings)


def extended(index: Index, texts: Iterable[str]) -> Index:
    """``index`` with ``texts`` after its own, placed after them: a new index, the one given left as it was (an
    earlier view of the record may still be searching it).  Only the words ``texts`` hold are copied."""
    lengths = array("I", index.lengths)
    postings = dict(index.postings)
    vocabulary = index.vocabulary
    added = indexed(texts)
    first = len(lengths)
    lengths.extend(added.lengths)
    new_words = []
    for word, (places, counts) in added.postings.items():
        posted = postings.get(word)
        if posted is None:
            new_words.append(word)
            posted = (array("I"), array("I"))
        else:
            posted = (array("I", posted[0]), array("I", posted[1]))
        posted[0].extend(first + place for place in places)
        posted[1].extend(counts)
        postings[word] = posted
    if new_words:
        vocabulary = sorted([*vocabulary, *new_words])
    return Index(lengths, vocabulary, postings)


def _terms(query: str) -> list[tuple[str, ...]]:
    return list(dict.fromkeys(term for part in fold(query).split() if (term := tuple(_WORDS.findall(part)))))


def matched(index: Index, query: str, text: Callable[[int], str],
            order: Callable[[int], Any] | None = None) -> list[tuple[float, int]]:
    """(score, place) of each text holding every query word (as a word or the start of one), best first, ties in
    the texts' order (or by ``order`` of their places, then their places); ``text`` gives a text by its place,
    read again where a query word joins several words ("press-note"), which must follow one another."""
    terms = _terms(query)
    if not terms:
        return []
    counts: dict[tuple[str, ...], dict[int, int]] = {}
    for term in sorted(terms, key=len):
        found = index.holding(term[0])
        if len(term) > 1:  # words that must follow one another: counted in the text itself
            words = {place: _WORDS.findall(fold(text(place))) for place in found}
            found = {place: hits for place in found if (hits := _hits(words[place], term))}
        counts[term] = found
    having = {t: len(found) for t, found in counts.items()}
    rarest = min(counts.values(), key=len)
    places = [place for place in sorted(rarest) if all(place in found for found in counts.values())]
    total, average = len(index.lengths), index.average
    scored = []
    for place in places:
        length = index.lengths[place]
        score = sum(math.log(1 + (total - having[t] + 0.5) / (having[t] + 0.5))
                    * counts[t][place] * (_K1 + 1)
                    / (counts[t][place] + _K1 * (1 - _B + _B * length / (average or 1)))
                    for t in terms)
        scored.append((-score, place))
    if order is not None:
        scored.sort(key=lambda found: (found[0], order(found[1]), found[1]))
    else:
        scored.sort()
    return [(-negative, place) for negative, place in scored]
