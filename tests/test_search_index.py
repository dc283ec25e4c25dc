"""The search's index answers as reading every text would: the same texts found, the same scores, the same order,
for whole words, the starts of words, words in any case or accent, and words that must follow one another."""

from __future__ import annotations

import math
import re

import pytest

from entente.views import searching
from entente.views.reports import entry_titles, instrument_titles
from entente.views.search import fold, indexed, matched
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record, load_union
from entente.vocabulary.events import InstrumentSigned

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


QUERIES = ["vilnius", "conference riga", "press-note", "lithuania", "treaty", "kaunas", "ministers", "zzz", "1935"]


def _answers(searched, queries=QUERIES):
    return {q: [(row["id"], row["score"]) for row in searching.found(searched, q)] for q in queries}


@pytest.fixture(scope="module")
def baltic_record():
    union = load_union(DEFAULT_UNION)
    return union, bundled_record(union)


@pytest.mark.parametrize("split", [0.3, 0.6, 0.9, 0.99])
def test_an_index_carried_over_entries_added_answers_as_one_made_anew(baltic_record, split):
    union, record = baltic_record
    cut = int(len(record) * split)
    before, added = record[:cut], record[cut:]
    carried = searching.carried(searching.searchable(union, before), list(added))
    assert _answers(carried) == _answers(searching.searchable(union, record))


def test_entries_added_that_title_nothing_asked_for_are_indexed_after_the_rest_not_all_again(baltic_record):
    union, record = baltic_record
    last = max(i for i, e in enumerate(record) if not instrument_titles([e]) and not entry_titles([e]))
    before, added = [e for i, e in enumerate(record) if i != last], [record[last]]
    searched = searching.searchable(union, before)
    carried = searching.carried(searched, added)
    assert carried.added and carried.index.postings is not searched.index.postings
    assert carried.events[:-1] == searched.events  # the earlier rows kept, not indexed again
    assert len(searched.index.lengths) == len(before)  # the earlier view's index is left as it was
    assert _answers(carried) == _answers(searching.searchable(union, [*before, *added]))


def test_an_entry_added_that_titles_what_earlier_rows_name_has_every_row_indexed_again(baltic_record):
    union, record = baltic_record
    signed = next(i for i, e in enumerate(record) if isinstance(e, InstrumentSigned)
                  and any(getattr(later, "instrument", None) == e.instrument for later in record[i + 1:]))
    instrument = record[signed].instrument
    before, added = [e for i, e in enumerate(record) if i != signed], [record[signed]]
    searched = searching.searchable(union, before)
    assert instrument in searched.asked  # a row before it names the instrument: by its code, as no title is known
    carried = searching.carried(searched, added)
    assert not carried.added  # indexed again, in date order
    fresh = searching.searchable(union, [*before, *added])
    assert _answers(carried, [*QUERIES, instrument]) == _answers(fresh, [*QUERIES, instrument])


def test_a_search_after_a_write_finds_the_entry_written_as_a_server_started_afresh_does(api):
    client, issue = api(DEFAULT_UNION)
    secretariat = issue("secretariat")
    assert client.get("/api/search?q=trawlers").json() == []  # the public's index made for its view
    noted = {"id": "trawlers-note-1938", "date": "1938-03-17", "category": "press",
             "title": {"en": "A press note on the trawlers of Riga"}}
    assert client.post("/api/events/outside_event", json=noted, headers=secretariat).status_code == 201
    after = {q: client.get(f"/api/search?q={q}").json() for q in ["trawlers", "riga", "press note", "vilnius"]}
    assert [row["id"] for row in after["trawlers"]] == ["trawlers-note-1938"]
    afresh, _ = api(DEFAULT_UNION)  # another server on the same store: its index made from the whole record
    assert after == {q: afresh.get(f"/api/search?q={q}").json() for q in after}
