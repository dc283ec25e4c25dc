"""Latvian pages that are Latvian: the record's own Latvian words on ?lang=lv, and counts in the right plural
form in English and Latvian."""

from __future__ import annotations

import html
from collections import Counter

import pytest

from entente.secretariat.clearance import PUBLIC, visible
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import ConferenceHeld
from entente.web import i18n

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def public_record(baltic):
    return visible(bundled_record(baltic), PUBLIC, at="1940-07-01")  # the day the views judge by default


# Latvian has three forms: one for 1, 21, 31... (not 11), one for the other counts but 0, and one for 0.
LATVIAN_EVENTS = {1: "1 notikums", 21: "21 notikums", 2: "2 notikumi", 11: "11 notikumi", 15: "15 notikumi",
                  0: "0 notikumu"}
ENGLISH_EVENTS = {1: "1 event", 21: "21 events", 2: "2 events", 0: "0 events"}


@pytest.mark.parametrize(("lang", "expected"), [("lv", LATVIAN_EVENTS), ("en", ENGLISH_EVENTS)])
def test_a_count_takes_the_plural_form_its_number_needs(lang, expected):
    catalog = i18n.translations(lang)
    for n, words in expected.items():
        assert catalog.ngettext("%(num)s event", "%(num)s events", n) % {"num": n} == words


@pytest.mark.parametrize("lang", ["en", "lv"])
def test_the_timeline_counts_its_rows_in_the_right_form(api, public_record, lang):
    client, _ = api(DEFAULT_UNION)
    kinds = Counter(type(e).__struct_config__.tag for e in public_record)
    one = next(k for k, n in kinds.items() if n == 1)
    many = next(k for k, n in kinds.items() if n % 10 not in (0, 1))
    for kind in (one, many):
        page = client.get(f"/timeline?kind={kind}&lang={lang}", headers=HTML).text
        n = kinds[kind]
        words = (LATVIAN_EVENTS if lang == "lv" else ENGLISH_EVENTS).get(n) or \
            (f"{n} notikumi" if lang == "lv" else f"{n} events")
        assert f"<p>{words}</p>" in page, (kind, n)


def test_the_latvian_timeline_shows_every_latvian_title_the_record_holds(api, public_record):
    client, _ = api(DEFAULT_UNION)
    page = html.unescape(client.get("/timeline?lang=lv", headers=HTML).text)
    titled = [e for e in public_record if (getattr(e, "title", None) or {}).get("lv")]
    assert len(titled) > 30
    for event in titled:
        assert event.title["lv"] in page, event.id
    # Where the record holds no Latvian text, the Latvian page says once that the entry is told in English.
    english = html.unescape(client.get("/timeline", headers=HTML).text)
    assert "told in English" not in english and page.count("izstāstīts angliski") == 1


def test_the_latvian_pages_name_places_in_latvian_and_need_no_gloss_for_a_latvian_quote(api, public_record):
    client, _ = api(DEFAULT_UNION)
    conferences = html.unescape(client.get("/conferences?lang=lv", headers=HTML).text)
    places = {e.place["lv"] for e in public_record if isinstance(e, ConferenceHeld) and e.place.get("lv")}
    assert {"Rīga", "Tallina", "Kauņa"} <= places
    assert all(p in conferences for p in places)
    timeline = html.unescape(client.get("/timeline?lang=lv", headers=HTML).text)
    glossed = [e for e in public_record if e.source and e.source.lang == "lv" and e.source.gloss]
    assert glossed and not any(e.source.gloss in timeline for e in glossed)
    assert all(e.source.quote in timeline for e in glossed)
