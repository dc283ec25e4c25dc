"""A pseudo-locale walk: every catalog string wrapped in markers, every page of the interface and every report of
the command line rendered in it, and the frame of each page (headings, navigation, column heads, labels, buttons,
the marks of a row's source) and all of each report but the record's own words checked for text the software
wrote that did not pass through the catalog."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.support import NullTranslations
from click.testing import CliRunner

from entente.cli import main, speech
from entente.rules import judge
from entente.vocabulary.definition import DEFAULT_UNION
from entente.vocabulary.said import said, say
from entente.vocabulary.wording import dates_in, words
from entente.web import base, i18n
from entente.whatif.scenario import change_label

from .rule_case import read_case

PSEUDO = "xx"
OPEN, CLOSE = "⟦", "⟧"
HTML = {"Accept": "text/html"}
# The elements whose text is the interface's own words: never the record's, never a name or a number.
FRAME = {"th", "button", "label", "h1", "nav", "footer", "caption", "figcaption", "legend"}
PAGES = ["/", "/union", "/timeline", "/conferences", "/instruments", "/instruments/entente-1934", "/compliance",
         "/due", "/parties", "/parties/LV", "/search?q=Riga", "/bibliography", "/signin",
         "/entries/conference-1939-12-tallinn", "/findings/entente-1934/periodic-conferences"]


class Pseudo(NullTranslations):
    """Every message wrapped in markers, in the singular or the plural its count asks for."""

    def gettext(self, message: str) -> str:
        return f"{OPEN}{message}{CLOSE}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"{OPEN}{singular if n == 1 else plural}{CLOSE}"

    ugettext = gettext  # the names Jinja asks for first
    ungettext = ngettext


class Frame(HTMLParser):
    """The text of the frame's elements, each run with the tag it stands in."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.texts: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("br", "img", "input", "meta", "link", "option"):
            # A span in a language of its own holds the record's words or a name, not the interface's.
            self.open.append("data" if dict(attrs).get("lang") or tag in ("code", "time", "select") else tag)

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag not in ("br", "img", "input", "meta", "link", "option"):
            self.open.pop()

    def handle_data(self, data: str) -> None:
        frame = next((t for t in reversed(self.open) if t in FRAME or t == "data"), None)
        if frame in FRAME and data.strip():
            self.texts.append((frame, data.strip()))


@pytest.fixture
def pseudo(monkeypatch):
    known = i18n.languages()
    names = i18n.names()
    monkeypatch.setattr(i18n, "languages", lambda: [*known, PSEUDO])
    monkeypatch.setattr(i18n, "names", lambda: {**names, PSEUDO: "Pseudo"})
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: Pseudo() if lang == PSEUDO else real(lang))
    base.environment.cache_clear()
    yield
    base.environment.cache_clear()


def _unmarked(text: str) -> list[str]:
    """The runs of letters outside every pair of markers."""
    outside, depth = [], 0
    run = ""
    for ch in text:
        if ch == OPEN:
            depth += 1
            outside.append(run)
            run = ""
        elif ch == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            run += ch
    outside.append(run)
    return [r.strip() for r in outside if any(c.isalpha() for c in r)]


def test_the_check_fails_on_a_word_written_without_the_catalog():
    assert _unmarked(f"{OPEN}Timeline{CLOSE}") == []
    assert _unmarked(f"{OPEN}Source{CLOSE}: from the seed") == [": from the seed"]


def test_every_pages_frame_comes_through_the_catalog(api, pseudo, baltic):
    client, _ = api(DEFAULT_UNION)
    # Names are not the software's words: the union's and each instrument's, from the record's files, and the
    # name of a data format.
    instruments = client.get("/api/treaties").json()
    names = {*baltic.name.values(), *(t["title"] for t in instruments), "JSON"}
    found = []
    for path in PAGES:
        answer = client.get(path + ("&" if "?" in path else "?") + f"lang={PSEUDO}", headers=HTML)
        assert answer.status_code == 200, path
        parser = Frame()
        parser.feed(answer.text)
        assert parser.texts, path
        found += [(path, tag, run) for tag, text in parser.texts for run in _unmarked(text) if run not in names]
    assert found == [], "\n".join(map(str, found))


# Every report of the command line, as a user asks for it, with the reports whose data (--json) holds what the
# report shows of the record.
CLI_REPORTS = {
    ("overview",): [("state",), ("conferences",), ("compliance", "--reading", "calendar-year")],
    ("state", "--at", "1938-07"): [("state", "--at", "1938-07")],
    ("compliance",): [("compliance",)],
    ("due", "--at", "1939-03"): [("due", "--at", "1939-03")],
    ("party", "LV", "--at", "1939-03"): [("party", "LV", "--at", "1939-03")],
    ("timeline",): [("timeline",)],
    ("conferences",): [("conferences",)],
    ("search", "Riga"): [("search", "Riga")],
    ("next", "--at", "1939-03"): [("next", "--at", "1939-03")],
    ("bibliography",): [("bibliography",)],
    ("history", "conference-1939-12-tallinn"): [("history", "conference-1939-12-tallinn")],
}
# Codes a report writes as words: never taken for the record's words, so a status shown without the catalog fails.
CODES = {"met", "breach", "pending", "not_applicable", "in_force", "terminated", "never_in_force", "signed"}


# What a sentence given as data (``vocabulary.said``) holds that is not the record's: its messages, and the
# English words they were written into, which the report must say from the catalog instead.
SAID_WORDS = {"said": ("text", "plural", "type"), "term": ("text", "entry", "type"), "listed": ("joined", "type"),
              "day": ("case", "type")}


def _strings(data: object) -> set[str]:
    """Every text a report's data holds (the record's words, names, ids), but codes, and but the rules' sentences
    that they give as data, which must come through the catalog."""
    if isinstance(data, str):
        return set() if data in CODES else {data}
    if isinstance(data, dict):
        skip = SAID_WORDS.get(str(data.get("type")), ())
        # A finding's or a due item's detail is the rules' sentence, never the record's words.
        skip += ("detail",) if "rule" in data else ()
        skip += ("subject",) if "about" in data else ()
        # What an entry says happened (a timeline's, a search's or a history's row) is a sentence given as data.
        skip += ("summary",) if data.get("said") else ()
        return {s for k, v in data.items() if k not in skip for s in _strings(v)}
    if isinstance(data, list):
        return {s for v in data for s in _strings(v)}
    return set()


def _shown(record: set[str]) -> list[str]:
    """The record's words as a report writes them (its dates in words, its spaces run together), longest first."""
    return sorted({" ".join(form.split()) for s in record for form in (s, dates_in(s), words(s)) if form.strip()},
                  key=len, reverse=True)


def _without(text: str, record: set[str] | list[str]) -> str:
    """The report with the record's words taken out (``record``: the words, or ``_shown`` of them)."""
    for s in record if isinstance(record, list) else _shown(record):
        text = text.replace(s, " ")
    return text


def test_the_check_of_a_report_fails_on_a_word_the_catalog_did_not_give():
    assert _unmarked(_without(f"{OPEN}as of 1 July 1940{CLOSE} entente-1934 met", {"entente-1934"})) == ["met"]
    # A finding given as data: its English detail is not taken for the record's words, its values are.
    finding = {"rule": "periodic_meetings", "detail": "1938: 1 short",
               "said": {"type": "said", "text": "%(label)s: %(n)s short",
                        "values": {"label": {"type": "day", "edtf": "1938"}, "n": 1}}}
    assert _strings(finding) == {"periodic_meetings", "1938"}


def test_every_command_line_reports_own_words_come_through_the_catalog(db_url, monkeypatch, baltic):
    monkeypatch.setattr(speech, "_catalog", Pseudo)
    monkeypatch.setattr(speech, "lang", lambda: PSEUDO)  # the rules' sentences said from the catalog, not in English
    found = _unmarked_in_reports(db_url("main"), baltic, CLI_REPORTS)
    assert found == [], "\n".join(map(str, found))


def _unmarked_in_reports(db: str, baltic, reports: dict[tuple[str, ...], list[tuple[str, ...]]]) -> list:
    """Each report's runs of words, the record's taken out, that did not come through the catalog."""
    runner = CliRunner()
    names = {*baltic.name.values(), *(n for p in baltic.parties for n in p.names.values())}
    found = []
    for report, sources in reports.items():
        result = runner.invoke(main, ["--db", db, *report], env={"COLUMNS": "5000"})
        assert result.exit_code == 0, result.output
        record = set(names)
        for source in sources:
            record |= _strings(json.loads(runner.invoke(main, ["--db", db, *source, "--json"]).stdout))
        # The commands a report suggests are what a user types, not sentences.
        text = re.sub(r"entente \S.*?(?= {2,}|$)", " ", " ".join(result.stdout.split("\n")), flags=re.M)
        text = _without(" ".join(text.split()), record)
        found += [(" ".join(report), run) for run in _unmarked(text)]
    return found


def test_the_treaty_a_findings_trace_a_scenario_the_coding_and_the_ledger_come_through_the_catalog(
        db_url, monkeypatch, baltic):
    monkeypatch.setattr(speech, "_catalog", Pseudo)
    monkeypatch.setattr(speech, "lang", lambda: PSEUDO)
    db = db_url("main")
    findings = json.loads(CliRunner().invoke(main, ["--db", db, "compliance", "--json"]).stdout)
    breach = next(f["id"] for f in findings if f["status"] == "breach")
    scenario = str(Path(baltic.folder) / "scenarios" / "four-conferences-a-year.yaml")
    reports = {("treaty", "entente-1934", "--at", "1939-03", "--since", "1935-01"):
               [("treaty", "entente-1934", "--at", "1939-03", "--since", "1935-01")],
               ("why", breach): [("why", breach)], ("what-if", scenario): [("what-if", scenario)],
               ("code",): [("code",)], ("audit",): [("audit",)], ("verify",): [("verify",)]}
    # Codes a report shows as a file or a data set writes them: a text's language ([en]), a setting's name and
    # the treaty file's value (period=rolling), an article's id (Term), the coding's variables (bilat, defense).
    treaty = json.loads(CliRunner().invoke(main, ["--db", db, "treaty", "entente-1934", "--json"]).stdout)
    codes = _keys(treaty) | {"bilat", "defense", "offense", "neutral", "nonagg", "consul", "addmem", "en", "lv"}
    found = [(report, run) for report, run in _unmarked_in_reports(db, baltic, reports)
             if not all(word.lower() in codes for word in re.findall(r"[^\W\d]+", run))]
    assert found == [], "\n".join(map(str, found))


def _keys(data: object) -> set[str]:
    """Every key of a report's data, and every article's id: the names of fields and settings."""
    if isinstance(data, dict):
        return {*data, *(str(data["article"]).lower() for _ in [0] if "article" in data),
                *(k for v in data.values() for k in _keys(v))}
    if isinstance(data, list):
        return {k for v in data for k in _keys(v)}
    return set()


class Told(HTMLParser):
    """The rules' sentences on a page: the text of each span in the page's own language (the record's words and
    sentences not said in it are in spans of another language)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str | None] = []
        self.spans: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "input", "meta", "link", "option"):
            return
        lang = dict(attrs).get("lang")
        if tag == "span" and lang == PSEUDO:
            self.spans.append("")
        self.open.append(lang if tag != "html" else None)

    def handle_endtag(self, tag: str) -> None:
        if self.open and tag not in ("br", "img", "input", "meta", "link", "option"):
            self.open.pop()

    def handle_data(self, data: str) -> None:
        inner = next((lang for lang in reversed(self.open) if lang), None)
        if inner == PSEUDO and self.spans:
            self.spans[-1] += data


# The pages that show the rules' findings and what is due, each with the API read holding what they show.
TOLD_PAGES = {"/compliance": "/api/compliance", "/due?at=1939-03": "/api/due?at=1939-03",
              "/parties/LV?at=1939-03": "/api/parties/LV?at=1939-03", "/instruments/entente-1934": "/api/compliance",
              "/entries/conference-1939-12-tallinn": "/api/events/conference-1939-12-tallinn/history"}


def test_every_finding_and_due_item_on_a_page_comes_through_the_catalog(api, pseudo, baltic):
    client, _ = api(DEFAULT_UNION)
    names = {*baltic.name.values(), *(n for p in baltic.parties for n in p.names.values())}
    found = []
    for path, read in TOLD_PAGES.items():
        data = client.get(read).json()
        record = _shown(names | _strings(data))
        page = client.get(path + ("&" if "?" in path else "?") + f"lang={PSEUDO}", headers=HTML)
        parser = Told()
        parser.feed(page.text)
        rows = data if isinstance(data, list) else data.get("due", []) + data.get("breaches", [])
        # Every row is a sentence in the page's language (one not said in it would be in an English span); an
        # instrument's page gives its rules' verdicts under each rule's first reading.
        assert len(parser.spans) >= (1 if path.startswith("/instruments/") else len(rows)) > 0, path
        found += [(path, run) for text in parser.spans for run in _unmarked(_without(" ".join(text.split()), record))]
    assert found == [], "\n".join(map(str, found))



RULE_CASES = sorted((Path(__file__).parent / "rule_cases").glob("*/*.yaml"))


def _case_words(data: object) -> set[str]:
    """Every text of a rule case's file (its codes, ids, titles, settings, dates): the record's and the treaty's
    words, which a rule's sentence carries as they are."""
    if isinstance(data, dict):
        return {s for k, v in data.items() for s in (_case_words(k) | _case_words(v))}
    if isinstance(data, list):
        return {s for v in data for s in _case_words(v)}
    return {str(data)} if isinstance(data, str | int | float) else set()


@pytest.mark.parametrize("path", RULE_CASES, ids=[f"{p.parent.name}/{p.stem}" for p in RULE_CASES])
def test_every_rules_sentence_comes_through_the_catalog(path, tmp_path):
    """Every rule kind, the Baltic union's or not (consent to acts, duties, a written procedure, a weighted or
    quorate count): each finding and due item of each rule case is a sentence given as data, and said from the
    catalog it holds nothing but catalog words and the case's own."""
    read = read_case(path, tmp_path)
    case, union, treaties, events = read.case, read.union, read.treaties, read.events
    findings, due = judge(union, treaties, events, case["at"], case.get("reading"))[:2]
    record = _shown(_case_words({k: v for k, v in case.items() if k != "expect"}))
    found = []
    for row in [*findings, *due]:
        assert row.said is not None, row.detail
        found += [(row.rule, run) for run in _unmarked(_without(" ".join(say(row.said, Pseudo(), PSEUDO).split()),
                                                                record))]
    assert found == [], "\n".join(map(str, found))


def test_an_entrys_heading_and_history_are_said_in_the_pages_language(api, pseudo):
    """The heading of an entry's page and each row of its history say what happened from the catalog: none is
    left in the rules' English."""
    client, _ = api(DEFAULT_UNION)
    entry = "conference-1939-12-tallinn"
    history = client.get(f"/api/events/{entry}/history").json()
    page = client.get(f"/entries/{entry}?lang={PSEUDO}", headers=HTML).text
    parser = Told()
    parser.feed(page)
    heading = page.split("<h1>", 1)[1].split("</h1>", 1)[0]
    assert f'<span lang="{PSEUDO}">' in heading and len(parser.spans) >= 1 + len(history)
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert not any(h["summary"] in heading + table for h in history)


# Mistakes a user makes on the command line, each told in one line: what the line may hold besides the catalog's
# words is what the user wrote and the names the record gives (codes, ids, viewers, a parameter's name).
MISTAKES = [("state", "--at", "1939-13"), ("state", "--at", "blah"), ("state", "--known-at", "xyz"), ("statee",),
            ("state", "--colour"), ("history",), ("history", "no-such-entry"), ("party", "XX"),
            ("--as", "ZZ", "state"), ("treaty", "no-such-treaty"), ("why", "no-such-finding")]


def test_every_mistake_a_backup_and_a_restore_are_told_through_the_catalog(db_url, monkeypatch, baltic, tmp_path):
    monkeypatch.setattr(speech, "_catalog", Pseudo)
    monkeypatch.setattr(speech, "lang", lambda: PSEUDO)
    db, runner = db_url("main"), CliRunner()
    codes = {"entente", "ENTRY_ID", "FINDING", "secretariat", "public", baltic.id, *(p.code for p in baltic.parties),
             "1938-03-01", "1938-03", "1938", '"March 1938"', '"1938. gada martā"', "--help"}
    found = []
    for args in MISTAKES:
        result = runner.invoke(main, ["--db", db, *args])
        assert result.exit_code in (1, 2), (args, result.output)
        line = " ".join(result.stderr.split())
        found += [(args, run) for run in _unmarked(_without(line, sorted({*codes, *args}, key=len, reverse=True)))]
    # An observer's role, and a state admitted on a later day, on a council that has them.
    council = Path(__file__).parent / "unions" / "arctic_council"
    for code, at in (("DE", "2000"), ("FR", "1999")):
        args = ("--db", db_url("council"), "--union", str(council), "party", code, "--at", at)
        result = runner.invoke(main, list(args), env={"COLUMNS": "5000"})
        assert result.exit_code == 0, result.output
        role = result.stdout.splitlines()[2]  # after the party's name and the day
        assert "1998" in role or "2000" in role, role
        found += [(code, run) for run in _unmarked(_without(role, {"18 September 1998", "13 October 2000"}))]
    backup = tmp_path / "record.backup"
    for args in (("backup", str(backup)), ("--db", str(tmp_path / "restored.db"), "restore", str(backup))):
        result = runner.invoke(main, ["--db", db, *args])
        assert result.exit_code == 0, result.output
        found += [(args[0], run) for run in _unmarked(_without(" ".join(result.stdout.split()), {str(backup)}))]
    assert found == [], "\n".join(map(str, found))


def test_a_findings_why_page_and_the_what_if_pages_frame_and_state_lines_come_through_the_catalog(api, pseudo,
                                                                                                   baltic):
    """The trace of a breach, and each of the union's own scenarios run: their frame, the lines of the state a
    scenario changes and the note on what was judged are the catalog's words, the names of the record aside."""
    client, _ = api(DEFAULT_UNION)
    findings = client.get("/api/compliance")
    assert findings.status_code == 200, findings.text
    breach = next(f["id"] for f in findings.json() if f["status"] == "breach")
    form = client.get(f"/what-if?lang={PSEUDO}", headers=HTML).text
    scenarios = re.findall(r'href="(/what-if/[0-9a-f]+)', form)
    assert scenarios
    treaties = client.get("/api/treaties").json()
    names = {*baltic.name.values(), "JSON", *(t["title"] for t in treaties), *(t["instrument"] for t in treaties)}
    found = []
    for path in [f"/findings/{breach}/why", *scenarios]:
        page = client.get(f"{path}?lang={PSEUDO}", headers=HTML).text
        parser = Frame()
        parser.feed(page)
        texts = [text for _, text in parser.texts]
        texts += re.findall(r'<p class="gloss">([^<]*)', page)  # what the verdicts were judged on
        if 'id="what-if-state"' in page:
            table = page.split('id="what-if-state"', 1)[1].split("</table>", 1)[0]
            texts += re.findall(r"<tr><td>([^<]*)</td>", table)
        found += [(path, run) for text in texts for run in _unmarked(_without(text, sorted(names, key=len,
                                                                                           reverse=True)))]
    assert found == [], "\n".join(map(str, found))


class Strict(Pseudo):
    """Each message's own words wrapped in markers, the values put in it left outside them: a value that holds the
    software's English words not said through the catalog (a change of a scenario named in English inside a
    Latvian line) is then found outside every marker, as a message never said through the catalog is."""

    def gettext(self, message: str) -> str:
        return _wrapped(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _wrapped(singular if n == 1 else plural)

    ugettext = gettext
    ungettext = ngettext


def _wrapped(message: str) -> str:
    return "".join(part if not part or re.fullmatch(r"%\(\w+\)s", part) else f"{OPEN}{part}{CLOSE}"
                   for part in re.split(r"(%\(\w+\)s)", message))


def test_the_strict_check_finds_english_words_put_into_a_message():
    assert _unmarked(say(said("entry %(entry)s", entry="'change 1 (remove)'"), Strict(), PSEUDO)) == \
        ["'change 1 (remove)'"]
    # A change named through the catalog: only the file's own word (its action) is left outside the markers.
    assert _unmarked(say(said("entry %(entry)s", entry=change_label(0, "remove")), Strict(), PSEUDO)) == ["remove"]


@pytest.fixture
def strict(monkeypatch):
    """The strict pseudo-locale as the API, the pages and the command line say errors in it."""
    from entente.api import refusals, writes
    from entente.languages import catalog

    known = catalog.languages()
    real = catalog.translations

    def translations(lang: str):
        return Strict() if lang == PSEUDO else real(lang)

    monkeypatch.setattr(refusals, "languages", lambda: [*known, PSEUDO])
    monkeypatch.setattr(i18n, "languages", lambda: [*known, PSEUDO])
    for module in (catalog, writes, i18n):
        monkeypatch.setattr(module, "translations", translations)
    monkeypatch.setattr(speech, "_catalog", Strict)
    monkeypatch.setattr(speech, "lang", lambda: PSEUDO)
    base.environment.cache_clear()
    yield
    base.environment.cache_clear()


# Entries every entry's checks refuse, each with the words of its own it is refused with (its values, codes).
REFUSED = [
    ("outside_event", {"date": "1939-11-01", "category": "press", "title": {"en": "A\u0007 bell"}}, {"U+0007"}),
    ("conference_held", {"date": "1939-11-01", "host": "ZZ"}, {"ZZ"}),
    ("outside_event", {"id": "conference-1939-12-tallinn", "date": "1939-11-01", "category": "press",
                       "title": {"en": "A note"}}, set()),
    ("outside_event", {"date": "1939-02-30", "category": "press", "title": {"en": "A note"}}, set()),
    ("outside_event", {"date": "0999", "category": "press", "title": {"en": "A note"}}, set()),
    ("outside_event", {"date": "1939-11", "date_lv": "1939. gada decembrī", "category": "press",
                       "title": {"en": "A note"}}, {"date"}),
    ("outside_event", {"date": "1934", "date_lv": "no 1934. gada līdz 1934. gada janvārim", "category": "press",
                       "title": {"en": "A note"}}, set()),
    ("outside_event", {"date": "1939-11-01", "category": "press", "title": {"en": "A note"},
                       "source": {"document": "nope", "quote": "x"}}, {"nope"}),
    ("outside_event", {"date": "1939-11-01", "category": "press", "title": {"en": "x" * 20_001}}, set()),
]


def _own(body: dict, words: set[str], baltic) -> list[str]:
    """What a refusal may hold besides the catalog's words: the entry's own, the union's codes, the given words."""
    return sorted({*_strings(body), *words, *(p.code for p in baltic.parties)}, key=len, reverse=True)


def test_every_refusal_of_an_entrys_checks_comes_through_the_catalog(api, strict, baltic):
    """A refused write's every problem (the entry's own checks: its texts, parties, id, date, Latvian date phrase,
    documents), a bad day asked of a read, a page's, and a scenario's change, each said through the catalog with
    nothing but the entry's or the request's own words put into it."""
    client, issue = api(DEFAULT_UNION)
    secretariat = issue("secretariat")
    found = []
    for kind, body, own in REFUSED:
        refused = client.post(f"/api/events/{kind}?lang={PSEUDO}", json=body, headers=secretariat)
        assert refused.status_code == 422, refused.text
        for p in refused.json()["problems"]:
            assert p["lang"] == PSEUDO, p
            found += [(kind, run) for run in _unmarked(_without(p["message"], _own(body, own, baltic)))]
    for read in ("/api/state?at=1939-13", "/api/compliance?at=blah", "/api/timeline?known_at=xyz",
                 "/api/proof/conference-1939-12-tallinn?at=blah"):
        error = client.get(f"{read}&lang={PSEUDO}").json()["error"]
        asked = read.split("=", 1)[1]
        found += [(read, run) for run in _unmarked(_without(error, [asked, '"March 1938"', '"1938. gada martā"']))]
    scenario = b"title: t\nwhy: w\nchanges:\n  - remove: no-such-entry\n"
    error = client.post(f"/api/what-if?lang={PSEUDO}", content=scenario).json()["error"]
    found += [("what-if", run) for run in _unmarked(_without(error, ["no-such-entry", "scenario", "remove",
                                                                      "public"]))]
    for path in ("/compliance?at=blah", "/timeline?known_at=xyz"):
        page = client.get(f"{path}&lang={PSEUDO}", headers=HTML).text
        problem = html.unescape(re.search(r'<p class="errors" role="alert"><span lang="xx">(.*?)</span>', page)[1])
        found += [(path, run) for run in _unmarked(_without(problem, [path.split("=", 1)[1], '"March 1938"',
                                                                       '"1938. gada martā"']))]
    assert found == [], "\n".join(map(str, found))


def test_every_refusal_of_record_and_load_comes_through_the_catalog(db_url, strict, baltic, tmp_path):
    db, runner = db_url("main"), CliRunner()
    found = []
    for kind, body, own in REFUSED:
        result = runner.invoke(main, ["--db", db, "record", kind, "--data", json.dumps(body)])
        assert result.exit_code == 1, result.output
        fields = {line.split(":", 1)[0].strip() for line in result.stderr.splitlines()[1:-1]}
        found += [(kind, run) for run in _unmarked(_without(" ".join(result.stderr.split()),
                                                            _own(body, own | fields, baltic)))]
    events = tmp_path / "events.yaml"
    events.write_text("events:\n  - id: press-1\n    kind: outside_event\n    date: \"1939-11-01\"\n"
                      "    category: press\n    title: {en: A note}\n    source: {document: nope, quote: x}\n",
                      encoding="utf-8")
    result = runner.invoke(main, ["--db", db, "load", str(events)])
    found += [("load", run) for run in _unmarked(_without(result.stderr, [str(events), "press-1", "source.document",
                                                                          "nope"]))]
    assert found == [], "\n".join(map(str, found))
