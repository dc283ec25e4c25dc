"""Latvian pages that are Latvian: the record's own Latvian words on ?lang=lv, and counts in the right plural
form in English and Latvian."""

from __future__ import annotations

import html
import re
from collections import Counter

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner

from entente.cli import main
from entente.rules.decision import tally
from entente.secretariat.clearance import PUBLIC, visible
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import ConferenceHeld
from entente.vocabulary.said import counted, day, said, say, word
from entente.vocabulary.treaty import DecisionRule
from entente.web import i18n

from .conftest import TESTS

HTML = {"Accept": "text/html"}
CONSORTIUM = TESTS / "unions" / "consortium"


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


@pytest.mark.parametrize("n", [0, 1, 2, 11, 21, 22])
def test_a_rules_count_is_said_in_the_form_its_number_needs(n):
    """A count a rule gives as data, said in English and in Latvian: "notikusi 1", "notikušas 2", "notikusi 21"."""
    held = counted("%(label)s: %(num)s of at least %(minimum)s %(body)s held%(part)s",
                   "%(label)s: %(num)s of at least %(minimum)s %(body)s held%(part)s", n,
                   label=day("1938"), minimum=2, body=word("conferences of foreign ministers"), part="")
    assert say(held) == f"1938: {n} of at least 2 conferences of foreign ministers held"
    verb = "notikusi" if n % 10 == 1 and n % 100 != 11 else "notikušas"
    assert say(held, i18n.translations("lv"), "lv") == \
        f"1938. gadā: ārlietu ministru konferences — {verb} {n} no vismaz 2"


def test_a_date_in_a_rules_sentence_takes_the_case_its_phrase_governs():
    lv = i18n.translations("lv")
    since = said("%(party)s: the obligation lapsed from %(day)s, when the condition was met (%(condition)s)",
                 party="LV", day=day("1939-03-22", "from"), condition="x")
    assert say(since, lv, "lv").startswith("LV: saistības zaudēja spēku no 1939. gada 22. marta,")
    until = counted("%(num)s more due by %(day)s", "%(num)s more due by %(day)s", 1, day=day("1939-12-31", "until"))
    assert say(until, lv, "lv") == "vēl 1 jānotur līdz 1939. gada 31. decembrim"
    assert say(until) == "1 more due by 1939-12-31"


def test_the_latvian_catalog_has_every_message_translated_and_none_fuzzy():
    with (i18n.LOCALES / "lv" / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalog = read_po(f, locale="lv")
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not all(
        m.string if isinstance(m.string, tuple) else (m.string,)))]
    assert untranslated == []


def test_the_latvian_compliance_page_says_every_finding_in_latvian(api):
    client, _ = api(DEFAULT_UNION)
    findings = client.get("/api/compliance").json()
    page = html.unescape(client.get("/compliance?lang=lv", headers=HTML).text)
    english = html.unescape(client.get("/compliance?lang=en", headers=HTML).text)
    for f in findings:
        assert f'<span lang="lv">{f["detail"]}' not in page
        if f["rule"] == "periodic_meetings" and f.get("reading_name") == "calendar-year":
            count = f["said"]["values"].get("count", f["said"])
            n, minimum = count["n"], count["values"]["minimum"]
            verb = "notikusi" if n % 10 == 1 and n % 100 != 11 else "notikušas"
            assert f'{f["period"]}. gadā: ārlietu ministru konferences — {verb} {n} no vismaz {minimum}' in page
            assert f'{f["period"]}: {n} of at least {minimum} conferences of foreign ministers held' in english
    assert page.count("ir tikai angliski, tie parādīti angliski") == 1 and "only in English" not in english


def test_the_latvian_timeline_tells_what_happened_in_latvian_with_the_records_latvian_names(api, public_record):
    client, _ = api(DEFAULT_UNION)
    page = html.unescape(client.get("/timeline?lang=lv", headers=HTML).text)
    signed = {e.instrument: e.title for e in public_record if type(e).__struct_config__.tag == "instrument_signed"}
    in_force = [e for e in public_record if type(e).__struct_config__.tag == "instrument_entered_into_force"
                and signed.get(e.instrument, {}).get("lv")]
    assert in_force
    for e in in_force:
        assert f"{signed[e.instrument]['lv']} stājas spēkā" in page, e.id
    assert " enters into force" not in page and "gives assistance" not in page


def test_a_proposal_the_seed_says_was_not_accepted_reads_in_the_seeds_voice_on_the_pages_and_the_api(api):
    client, _ = api(DEFAULT_UNION)
    findings = [f for f in client.get("/api/compliance").json() if f["rule_id"] == "extraordinary-conferences"]
    assert [f["detail"].split(": ", 1)[1] for f in findings] == [
        "not accepted by Estonia and Latvia; the source records no vote, and unanimity needs every party's agreement"]
    for lang, words in (("en", "not accepted by Estonia and Latvia; the source records no vote"),
                        ("lv", "Igaunija un Latvija to nepieņēma; avots balsojumu neuzrāda")):
        page = html.unescape(client.get(f"/findings/entente-1934/extraordinary-conferences?lang={lang}",
                                        headers=HTML).text)
        assert words in page and "rejected: not" not in page and "noraidīts: " not in page


@pytest.mark.parametrize(("n", "parties"), [(1, "puses"), (2, "pusēm"), (11, "pusēm"), (21, "puses")])
def test_a_vote_count_is_said_in_latvian_in_the_form_the_number_of_parties_needs(n, parties):
    """A majority's count, as the consortium's and the council's proposals give it: "3 no 5 pusēm balsoja par",
    "1 no 21 puses"; the reason a count fails said in Latvian too."""
    members = [f"P{i:02d}" for i in range(n)]
    lv = i18n.translations("lv")
    outcome, why = tally(DecisionRule(rule="majority"), {"P00": "yes"}, members)
    expected = "vairākums: 1 no 1 puses balsoja par — vairāk nekā puse" if n == 1 else \
        f"vairākumam vajag, lai par balsotu vairāk nekā puse pušu; tikai 1 no {n} {parties} balsoja par"
    assert outcome.adopted is (n == 1) and say(why, lv, "lv") == expected
    _, veto = tally(DecisionRule(rule="qualified", threshold=0.5, veto="raiser"), {"P00": "no"}, members, raiser="P00")
    assert say(veto, lv, "lv") == "P00 to ierosināja un balsoja pret, un tas to bloķē neatkarīgi no balsu skaita"


def test_what_happened_names_a_proposal_a_request_a_question_and_a_conference_by_its_title(api):
    """A decision on a proposal, an answer to a request, an agreement at a conference: the timeline names what each
    refers to by its title, in the page's language, never by its id."""
    client, _ = api(DEFAULT_UNION)
    rows = {r["id"]: r for r in client.get("/api/timeline").json()}
    english = {r["summary"] for r in rows.values()}
    assert "Lithuania proposes to convene a conference of the Baltic Entente: rejected" in english
    assert "Estonia refuses assistance: Lithuania's need of help from its Baltic allies against the German ultimatum " \
           "over Klaipėda" in english
    ids = {r["id"] for r in rows.values()} | {"conference-1939-09", "klaipeda-1935", "klaipeda-1939",
                                              "baltic-cooperation-1939", "soviet-military-talks-1940"}
    assert not any(re.search(rf"\b{re.escape(i)}\b", s) for s in english for i in ids)
    page = html.unescape(client.get("/timeline?lang=lv", headers=HTML).text)
    assert "Lietuvas priekšlikums sasaukt Baltijas Antantes konferenci: noraidīts" in page
    assert "Igaunija atsaka palīdzību: palīdzība Lietuvai Klaipēdas apgabala dēļ" in page


def test_a_finding_on_a_proposal_or_a_request_names_it_by_its_title(api):
    """A finding on an entry with a title names it so, in the reader's language: its id stays the finding's subject
    (what the finding is known by) and the entry's address, never the words shown."""
    client, _ = api(DEFAULT_UNION)
    findings = client.get("/api/compliance").json()
    (convene,) = [f for f in findings if f["rule_id"] == "extraordinary-conferences"]
    assert convene["subject"] == "conference-1939-09" and "conference-1939-09" not in convene["detail"]
    assert convene["detail"].startswith("proposal “Lithuania proposes to convene a conference of the Baltic Entente” "
                                        "by LT on 1939-09-06: ")
    for lang, title, opened in (("en", "Lithuania proposes to convene a conference of the Baltic Entente", "“"),
                                ("lv", "Lietuvas priekšlikums sasaukt Baltijas Antantes konferenci", "„")):
        page = html.unescape(client.get(f"/compliance?lang={lang}", headers=HTML).text)
        # Named once, in the finding's sentence, not headed by the title again.
        assert f"{opened}{title}”" in page and f"<strong>{title}</strong>" not in page
        assert "<strong>conference-1939-09</strong>" not in page
        assert not re.search(r"\brequest klaipeda-193[59]\b|\blūgums klaipeda-193[59]\b", page)


def test_a_vote_counts_why_is_said_in_latvian_on_the_why_page_and_the_command(api, db_url):
    """The explanation of a count on a finding's trace is said in the reader's language, its numbers in the
    plural form they need: "only 3 of 5 members voted yes" is "tikai 3 no 5 pusēm balsoja par"."""
    client, _ = api(CONSORTIUM, db_url("consortium"))
    counts, findings = {}, client.get("/api/compliance")
    assert findings.status_code == 200, findings.text
    for finding in findings.json():
        steps = client.get(f"/api/findings/{finding['id']}/trace").json()["steps"]
        if "count" in steps:
            counts[finding["id"]] = steps["count"]
    short = next(i for i, c in counts.items() if (c["yes"], c["out_of"]) == (3, 5) and not c["adopted"])
    vetoed = next(i for i, c in counts.items() if c["raiser"] and c["votes"][c["raiser"]] == "no")
    latvian = {short: "tikai 3 no 5 pusēm balsoja par (0.60)", vetoed: "ierosināja un balsoja pret, un tas to bloķē "
                                                                      "neatkarīgi no balsu skaita"}
    for finding, said_lv in latvian.items():
        english = counts[finding]["why"]
        page = " ".join(html.unescape(client.get(f"/findings/{finding}/why?lang=lv", headers=HTML).text).split())
        command = CliRunner().invoke(main, ["--db", db_url("consortium"), "--union", str(CONSORTIUM), "--lang", "lv",
                                            "why", finding], env={"COLUMNS": "5000"})
        for text in (page, " ".join(command.stdout.split())):
            assert said_lv in text and english not in text, finding
            assert "Vērtēts pēc tiem ierakstiem, kurus jautātājs drīkst redzēt" in text and "judged on" not in text
        in_english = client.get(f"/findings/{finding}/why?lang=en", headers=HTML).text
        assert english in " ".join(html.unescape(in_english).split())


def test_a_write_told_to_wait_for_the_check_is_told_so_in_latvian():
    # What a write, a checkpoint or a command line hears while a start checks the record, in the reader's language.
    from entente.api.refusals import refused_in
    from entente.languages.catalog import translations
    from entente.ledger.progress import Checking
    from entente.vocabulary.said import say

    told = Checking(3.2)
    assert refused_in(told, "en") == str(told) and str(told).endswith(": retry in 4 s")
    assert refused_in(told, "lv").endswith(": mēģiniet vēlreiz pēc 4 s") and "record" not in refused_in(told, "lv")
    assert say(told.waiting, translations("lv"), "lv").endswith("aptuveni 4 s; gaida, līdz pārbaude beigsies")


def _secretariat_writes(api):
    """A client of the bundled union, and the secretariat's token."""
    client, issue = api(DEFAULT_UNION)
    return client, issue("secretariat")


# Entries the checks of every entry refuse, each with its field and the Latvian and English lines it is refused with.
REFUSED = [
    ("outside_event", {"date": "1939-11-01", "category": "press", "title": {"en": "A\u0007 bell"}}, "title.en",
     "satur vadības rakstzīmi U+0007, ko neviens ieraksts nedrīkst saturēt",
     "holds the control character U+0007, which no entry may hold"),
    ("conference_held", {"date": "1939-11-01", "host": "ZZ"}, "host",
     "nezināma puse 'ZZ'; savienības puses ir DE, EE, FI, LT, LV, PL, SU",
     "unknown party 'ZZ'; the union's parties are DE, EE, FI, LT, LV, PL, SU"),
    ("outside_event", {"id": "conference-1939-12-tallinn", "date": "1939-11-01", "category": "press",
                       "title": {"en": "A note"}}, "id",
     "identifikatoru 'conference-1939-12-tallinn' jau lieto agrāks ieraksts",
     "the id 'conference-1939-12-tallinn' is used by an earlier entry"),
    ("outside_event", {"date": "1939-02-30", "category": "press", "title": {"en": "A note"}}, "date",
     '"1939-02-30" nav EDTF datums: tāda mēneša vai dienas nav: mēnesis ir no 01 līdz 12, diena no 01 līdz mēneša '
     'pēdējai dienai',
     '"1939-02-30" is not an EDTF date: no such month or day: a month is 01 to 12, a day 01 to the last of its month'),
    ("outside_event", {"date": "0999", "category": "press", "title": {"en": "A note"}}, "date",
     '"0999" ir ārpus gadiem, ar kuriem datē ierakstus (1000–2200): pārbaudiet gadu',
     '"0999" is outside the years a record is dated in (1000 to 2200): check the year'),
    ("outside_event", {"date": "1939-11", "date_lv": "1939. gada decembrī", "category": "press",
                       "title": {"en": "A note"}}, "date_lv",
     'frāze "1939. gada decembrī" nozīmē 1939-12, bet date ir 1939-11',
     'the phrase "1939. gada decembrī" means 1939-12, but date is 1939-11'),
    ("outside_event", {"date": "1934", "date_lv": "no 1934. gada līdz 1934. gada janvārim", "category": "press",
                       "title": {"en": "A note"}}, "date_lv",
     'nevar nolasīt latviešu datuma frāzi "no 1934. gada līdz 1934. gada janvārim": laika posms beidzas (1934-01) '
     'sava sākuma (1934) robežās: tā beigām jābūt pēc tā sākuma',
     'cannot read the Latvian date phrase "no 1934. gada līdz 1934. gada janvārim": the range ends (1934-01) within '
     'its start (1934): its end must come after its start'),
    ("outside_event", {"date": "1939-11-01", "category": "press", "title": {"en": "A note"},
                       "source": {"document": "nope", "quote": "x"}}, "source.document",
     "nezināms dokuments 'nope'", "unknown document 'nope'"),
]


@pytest.mark.parametrize(("kind", "body", "field", "latvian", "english"), REFUSED,
                         ids=["control", "party", "id", "day", "year", "phrase", "range", "document"])
def test_an_entrys_checks_refuse_a_write_in_the_language_asked_for(api, kind, body, field, latvian, english):
    """A refused POST to the API says each problem of an entry's own checks in the language asked for (?lang=lv, or
    Accept-Language), naming it; in English without either, as before."""
    client, secretariat = _secretariat_writes(api)
    for asked in ({"params": {"lang": "lv"}}, {"headers": {"Accept-Language": "lv-LV,lv;q=0.9"}}):
        headers = {**secretariat, **asked.get("headers", {})}
        refused = client.post(f"/api/events/{kind}", json=body, headers=headers, params=asked.get("params"))
        assert refused.status_code == 422, refused.text
        assert [(p["field"], p["message"], p["lang"]) for p in refused.json()["problems"]] == [(field, latvian, "lv")]
    refused = client.post(f"/api/events/{kind}", json=body, headers=secretariat)
    assert [(p["field"], p["message"]) for p in refused.json()["problems"]] == [(field, english)]
    assert "lang" not in refused.json()["problems"][0]


def test_a_refused_form_says_its_problems_in_the_pages_language(api):
    """The secretariat's form of any entry, refused, shows the entry's problems in Latvian on a Latvian page, marked
    as Latvian; on an English page in English."""
    client, issue = api(DEFAULT_UNION)
    token = issue("secretariat")["Authorization"].removeprefix("Bearer ")
    signed = client.post("/session", data={"token": token}, headers=HTML, follow_redirects=False)
    office = {**HTML, "Cookie": f"entente_session={signed.cookies['entente_session']}", "Sec-Fetch-Site": "same-origin"}
    client.cookies.clear()
    entry = "date: \"0999\"\ncategory: press\ntitle: {en: A note}\n"
    shown = {"lv": '<span lang="lv">&#34;0999&#34; ir ārpus gadiem, ar kuriem datē ierakstus (1000–2200): pārbaudiet '
                   'gadu</span>',
             "en": '<span lang="en">&#34;0999&#34; is outside the years a record is dated in (1000 to 2200): check the '
                   'year</span>'}
    for lang, problem in shown.items():
        for preview in ({"preview": "1"}, {}):
            refused = client.post(f"/secretariat/entry?lang={lang}", headers=office,
                                  data={"kind": "outside_event", "entry": entry, **preview})
            assert refused.status_code == 422 and problem in refused.text, (lang, preview)
    # An entry that is not one, in the form's own words.
    fields = client.post("/secretariat/entry?lang=lv", headers=office, data={"kind": "outside_event", "entry": "x"})
    assert '<span lang="lv">rakstiet ieraksta laukus, katru savā rindā</span>' in fields.text


@pytest.mark.parametrize("read", ["/api/state?at=1939-13", "/api/compliance?at=blah", "/api/due?at=martā",
                                  "/api/timeline?known_at=xyz", "/api/events/conference-1939-12-tallinn/history"
                                  "?known_at=xyz", "/api/proof/conference-1939-12-tallinn?at=blah"])
def test_a_day_a_read_cannot_read_is_refused_in_the_language_asked_for(api, read):
    """A bad ``at`` or ``known_at`` on any read (not only a what-if) is a 400 saying why in the language asked for."""
    client, _ = api(DEFAULT_UNION)
    english = client.get(read)
    assert english.status_code == 400 and (" is not a " in english.json()["error"]
                                           or " is not one " in english.json()["error"]), english.text
    for latvian in (client.get(read + "&lang=lv"), client.get(read, headers={"Accept-Language": "lv"})):
        said_lv = latvian.json()["error"]
        assert latvian.status_code == 400 and " nav " in said_lv and " is not " not in said_lv, said_lv


def test_a_pages_day_it_cannot_read_is_said_in_the_pages_language(api):
    client, _ = api(DEFAULT_UNION)
    for path, said_lv in (("/compliance?at=blah", '<span lang="lv">&#34;blah&#34; nav nolasāms datums: rakstiet dienu'),
                          ("/timeline?known_at=xyz", '<span lang="lv">&#34;xyz&#34; nav ne diena (GGGG-MM-DD)')):
        page = client.get(path + "&lang=lv", headers=HTML).text
        assert said_lv in page and "is not a" not in page
        english = client.get(path + "&lang=en", headers=HTML).text
        assert '<span lang="en">&#34;' in english and "is not a" in english


def test_what_the_record_refuses_an_entry_for_is_said_in_the_language_asked_for(api):
    """Beyond an entry's own checks, what the record refuses it for (what it answers, when, who is bound) is said
    in the language asked for too."""
    client, secretariat = _secretariat_writes(api)
    refused = {
        ("position_stated", '{"date": "1939-11-01", "question": "no-such-question", "party": "LV", '
                            '"stance": "support"}'):
            ("question", "jautājums 'no-such-question' nav izvirzīts",
             "no question 'no-such-question' has been raised"),
        ("outside_event", '{"date": "1900-01-01", "category": "press", "title": {"en": "A note"}}'):
            ("date", "1900-01-01 ir pirms savienības pirmā dokumenta parakstīšanas 1920-08-06; neviens savienības "
                     "ieraksts nav datēts pirms šīs dienas",
             "1900-01-01 is before the union's first instrument was signed, on 1920-08-06; no entry of the union is "
             "dated before that day"),
    }
    for (kind, body), (field, latvian, english) in refused.items():
        headers = {**secretariat, "Content-Type": "application/json"}
        said_lv = client.post(f"/api/events/{kind}?lang=lv", content=body, headers=headers).json()["problems"]
        said_en = client.post(f"/api/events/{kind}", content=body, headers=headers).json()["problems"]
        assert [(p["field"], p["message"]) for p in said_lv] == [(field, latvian)]
        assert [(p["field"], p["message"]) for p in said_en] == [(field, english)]


def test_an_article_is_numbered_only_where_it_has_a_number(api, baltic):
    """An article with a number is "2. pants" on a Latvian page; one named otherwise in its treaty file is named so,
    never "name. pants" (nor "Article name" in English)."""
    client, _ = api(DEFAULT_UNION)
    named = sorted({f["article"] for f in client.get("/api/compliance").json() if not f["article"][:1].isdigit()})
    assert named
    for lang, numbered in (("lv", "2. pants"), ("en", "Article 2")):
        page = client.get(f"/compliance?lang={lang}", headers=HTML).text
        assert numbered in page
        for name in named:
            assert f"{name}. pants" not in page and f"Article {name}" not in page
            assert f"</a>, {name}<br>" in page


def test_a_body_that_does_not_fit_its_kind_is_refused_in_the_language_asked_for(api):
    """A body the API's schema refuses (a field missing, of the wrong type, or unknown) is refused as `entente
    record` refuses it, in the project's words, and in the language asked for."""
    client, secretariat = _secretariat_writes(api)
    body = {"date": 5, "category": "press", "title": {"en": "A note"}}
    latvian = client.post("/api/events/outside_event?lang=lv", json=body, headers=secretariat).json()["problems"]
    english = client.post("/api/events/outside_event", json=body, headers=secretariat).json()["problems"]
    assert [(p["field"], p["message"], p["lang"]) for p in latvian] == [
        ("date", "gaidīts: teksts, atrasts: vesels skaitlis", "lv")]
    assert [(p["field"], p["message"]) for p in english] == [("date", "expected text, found a whole number")]
    missing = client.post("/api/events/outside_event?lang=lv", json={"date": "1939-11-01", "category": "press"},
                          headers=secretariat).json()["problems"]
    assert [(p["field"], p["message"]) for p in missing] == [("title", "obligāts, bet trūkst")]


def test_a_write_a_delegation_may_not_make_is_forbidden_in_the_language_asked_for(api):
    """A delegation recording another party's act is forbidden (403), why said in the language asked for."""
    client, issue = api(DEFAULT_UNION)
    body = {"date": "1939-11-01", "question": "baltic-cooperation-1939", "party": "EE", "stance": "support"}
    for lang, why in (("lv", "LV nedrīkst ierakstīt rīcību, ko veikusi EE (party)"),
                      ("en", "LV may not record an act of EE (party)")):
        forbidden = client.post(f"/api/events/position_stated?lang={lang}", json=body, headers=issue("LV"))
        assert forbidden.status_code == 403
        assert [(p["field"], p["message"]) for p in forbidden.json()["problems"]] == [("actor", why)]


@pytest.mark.parametrize(("ask", "expected"), [
    ({"params": {"lang": "lv"}}, ("nav atrasts", "nederīgs piekļuves žetons", "If-Match jābūt")),
    ({"headers": {"Accept-Language": "lv"}}, ("nav atrasts", "nederīgs piekļuves žetons", "If-Match jābūt")),
    ({}, ("not found", "invalid token", "If-Match must be")),
])
def test_the_servers_own_errors_are_said_in_the_language_asked_for(api, ask, expected):
    """Not found, a token refused and an If-Match that is no ETag: in Latvian where it is asked for, else English."""
    client, secretariat = _secretariat_writes(api)
    headers, params = ask.get("headers", {}), ask.get("params")
    missing = client.get("/api/no-such-read", headers=headers, params=params)
    assert (missing.status_code, missing.json()["error"]) == (404, expected[0])
    note = {"date": "1939-11-01", "category": "press", "title": {"en": "A note"}}
    refused = client.post("/api/events/outside_event", json=note, params=params,
                          headers={**headers, "Authorization": "Bearer not-a-token"})
    assert (refused.status_code, refused.json()["error"]) == (401, expected[1])
    stale = client.post("/api/events/outside_event", json=note, params=params,
                        headers={**headers, **secretariat, "If-Match": "W/"})
    assert stale.status_code == 400 and stale.json()["error"].startswith(expected[2])


def test_a_reading_no_rule_has_is_refused_in_the_language_asked_for_and_the_page_shows_every_reading(api):
    """The API refuses it (400) in the language asked for; the compliance page says why above every reading's
    findings, where it once failed with a server error."""
    client, _secretariat = _secretariat_writes(api)
    latvian = client.get("/api/compliance", params={"reading": "nope", "lang": "lv"})
    assert latvian.status_code == 400
    assert latvian.json()["error"].startswith("nevienam noteikumam nav interpretācijas ar nosaukumu 'nope'")
    english = client.get("/api/compliance", params={"reading": "nope", "lang": "en"})
    assert english.json()["error"].startswith("no rule has a reading named 'nope'; the readings are: ")
    every = client.get("/api/compliance", params={"lang": "en"}).json()
    page = client.get("/compliance", params={"reading": "nope", "lang": "lv"})
    assert page.status_code == 200
    assert "nosaukumu &#39;nope&#39;" in page.text and "Tā vietā parādītas visas interpretācijas." in page.text
    english_page = client.get("/compliance", params={"reading": "nope", "lang": "en"})
    assert "Every reading is shown instead." in english_page.text
    assert all(f["id"] in english_page.text for f in every)
