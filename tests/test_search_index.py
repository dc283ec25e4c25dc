"""The search's index answers as reading every text would: the same texts found, the same scores, the same order,
for whole words, the starts of words, words in any case or accent, and words that must follow one another."""

from __future__ import annotations

import math
import re

import pytest

from entente.views.search import fold, indexed, matched

TEXTS = [
    "Conference in Riga: Latvia hosts; Vilnius question excepted",
    "Viļņas jautājums: press-note of Lithuania on Vilnius and Vilnius again",
    "The Klaipėda ultimatum, a press note",
    "Riga conference of foreign ministers; the press was told",
    "note press-note press note",
    "",
    "Ģenerālis ŁÓDŹ Straße",
]
_WORDS = re.compile(r"\w+")


def _reading_every_text(texts: list[str], query: str) -> list[tuple[float, int]]:
    """BM25 over every text, each read whole: what the index must answer."""
    terms = list(dict.fromkeys(t for part in fold(query).split() if (t := tuple(_WORDS.findall(part)))))
    if not terms:
        return []
    docs = [_WORDS.findall(fold(text)) for text in texts]

    def hits(words: list[str], term: tuple[str, ...]) -> int:
        return sum(1 for i in range(len(words) - len(term) + 1)
                   if all(words[i + k].startswith(term[k]) for k in range(len(term))))

    average = sum(len(d) for d in docs) / len(docs)
    having = {t: sum(1 for d in docs if hits(d, t)) for t in terms}
    found = []
    for place, doc in enumerate(docs):
        counts = {t: hits(doc, t) for t in terms}
        if all(counts.values()):
            score = sum(math.log(1 + (len(docs) - having[t] + 0.5) / (having[t] + 0.5)) * counts[t] * 2.2
                        / (counts[t] + 1.2 * (0.25 + 0.75 * len(doc) / average)) for t in terms)
            found.append((-score, place))
    return [(-negative, place) for negative, place in sorted(found)]


@pytest.mark.parametrize("query", ["vilnius", "VILN", "vilņ", "press-note", "press note", "note press", "riga conf",
                                   "klaipeda", "lodz strasse", "generalis", "p", "zzz", "", "-", "press-note riga"])
def test_the_index_finds_and_scores_as_reading_every_text(query):
    index = indexed(TEXTS)
    found = matched(index, query, TEXTS.__getitem__)
    expected = _reading_every_text(TEXTS, query)
    assert [place for _, place in found] == [place for _, place in expected]
    assert [round(score, 9) for score, _ in found] == [round(score, 9) for score, _ in expected]


def test_words_that_must_follow_one_another_are_read_again_only_where_their_first_word_is():
    read: list[int] = []

    def text(place: int) -> str:
        read.append(place)
        return TEXTS[place]

    assert {place for _, place in matched(indexed(TEXTS), "press-note", text)} == {1, 2, 4}
    assert sorted(read) == [1, 2, 3, 4]  # every text holding a word "press" begins, and no other
