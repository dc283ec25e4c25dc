"""Every read endpoint and every CLI view, as every viewer: nothing restricted shows to one not cleared.

What each viewer may see is worked out here from the raw record file, apart
from the code under test: an entry classified for an instrument is for the
states that signed or acceded to it; one classified for parties is for those
parties.  For each viewer and view, no trace of an entry hidden from that
viewer may appear (its id, its quoted sentence, its title), and the derived
figures (how many conferences were held) count only what the viewer sees.
A view that skipped the one filter would print a hidden entry's id or words
and fail here.

Secrecy is dated: an entry made public from a day on (``since``) is hidden as
it was classified before, on every day before that one, and an amendment
dated so is not there before its day, even for the secretariat.  The days a
view is asked without ``--at`` fall before every publication the test unions
record, as their record's last day does.
"""

from __future__ import annotations

import calendar
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from entente.cli import main
from entente.record import open_store
from entente.secretariat import tokens
from entente.secretariat.clearance import Viewer
from entente.vocabulary.definition import DEFAULT_UNION

from .conftest import CONSORTIUM

DAYS = {DEFAULT_UNION: ["1936-01-01", "1939-12-31", "1940-06-01"], CONSORTIUM: ["2021-12-31", "2024-06-01"]}
# Searches for words that hidden entries hold (the Vilnius question, the 10th conference's town, a GDA position).
SEARCHES = [["search", "Vilnius", "--json"], ["search", "Tallinn"], ["search", "1939-12"], ["search", "gda", "--json"],
            ["search", "policy"]]
CLI_VIEWS = [["timeline", "--json"], ["timeline"], ["conferences", "--json"], ["conferences"], ["compliance", "--json"],
             ["compliance"], ["code", "--json"], ["calendar"], ["overview"], ["treaty"], ["treaty", "--json"],
             ["bibliography"], ["bibliography", "--json"],
             *SEARCHES]
CLI_DATED = [["state", "--json", "--at"], ["due", "--json", "--at"], ["next", "--json", "--at"],
             ["compliance", "--json", "--at"]]
API_VIEWS = ["/", "/api/timeline", "/api/conferences", "/api/compliance", "/api/code",
             "/calendar.ics", "/api/state", "/api/due", "/api/next", "/api/treaties", "/api/search?q=Vilnius",
             "/api/search?q=Tallinn", "/api/search?q=1939-12", "/api/search?q=gda", "/api/search?q=policy"]
API_DATED = ["/api/state?at={}", "/api/compliance?at={}", "/api/due?at={}", "/api/next?at={}", "/calendar.ics?at={}"]
# Reads of the viewer's own log: they speak of what it sees, never of what it does not.
API_LEDGER = ["/api/checkpoint", "/api/key", "/api/consistency?from=1"]
# Reads of one entry: an entry hidden from the viewer reads as one that does not exist.
API_ENTRY = ["/api/events/{}", "/api/events/{}/history", "/api/proof/{}"]
# Reads of one finding's trace: a finding the viewer does not have reads as one that does not exist.
API_FINDING = ["/api/findings/{}/trace"]
# Reads of a saved what-if scenario: run on the opener's view.
API_SAVED = ["/api/what-if/{}"]


TODAY = date.today().isoformat()


def _last_day(edtf: str) -> str:
    """The last day of a year, a month or a day, as the file writes it (the forms its ``since`` takes)."""
    year, *rest = edtf.split("-")
    if not rest:
        return f"{year}-12-31"
    if len(rest) == 1:
        return f"{year}-{rest[0]}-{calendar.monthrange(int(year), int(rest[0]))[1]:02d}"
    return edtf


class Oracle:
    """Who may see what, read straight from the union's files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        union = yaml.safe_load((folder / "union.yaml").read_text(encoding="utf-8"))
        self.events = yaml.safe_load((folder / "record.yaml").read_text(encoding="utf-8"))["events"]
        self.parties = [p["code"] for p in union["parties"]]
        self.members = [p["code"] for p in union["parties"] if p.get("role", "member") == "member"]
        members: dict[str, set[str]] = {}
        for e in self.events:
            if e["kind"] == "instrument_signed":
                members.setdefault(e["instrument"], set()).update(e["parties"])
            elif e["kind"] == "instrument_acceded":
                members.setdefault(e["instrument"], set()).add(e["party"])
        self.cleared: dict[str, set[str]] = {}  # restricted entry id -> the parties cleared for it
        for e in self.events:
            c = e.get("classification", "public")
            if c != "public":
                self.cleared[e["id"]] = set(c.get("parties", ())) | members.get(c.get("instrument"), set())
        # Entries made known from a day on: the day, and who may see them from then (None: everyone); and the
        # amendments that say so, by id: their day and their target.
        self.known_from: dict[str, tuple[str, set[str] | None]] = {}
        self.dated: dict[str, tuple[str, str]] = {}
        for e in self.events:
            if e["kind"] == "classification_amended" and e.get("since"):
                to, day = e["to"], _last_day(e["since"])
                who = None if to == "public" else set(to.get("parties", ())) | members.get(to.get("instrument"), set())
                self.known_from[e["target"]] = (day, who)
                self.dated[e["id"]] = (day, e["target"])

    def hidden(self, viewer: str, at: str | None = None) -> list[dict]:
        """What ``viewer`` may not see on day ``at`` (None: a day before every publication)."""
        out: list[dict] = []
        for e in self.events:
            if e["id"] in self.dated:
                day, target = self.dated[e["id"]]
                shown = at is not None and at >= day and (
                    viewer == "secretariat" or viewer in self.cleared[e["id"]]
                    or target not in {h["id"] for h in out})
            elif viewer == "secretariat":
                shown = True
            elif e["id"] in self.known_from and at is not None and at >= self.known_from[e["id"]][0]:
                who = self.known_from[e["id"]][1]
                shown = who is None or viewer in who
            else:
                shown = e["id"] not in self.cleared or viewer in self.cleared[e["id"]]
            if not shown:
                out.append(e)
        return out

    def seen(self, viewer: str, at: str | None = None) -> list[dict]:
        hidden = {e["id"] for e in self.hidden(viewer, at)}
        return [e for e in self.events if e["id"] not in hidden]

    def traces(self, viewer: str, at: str | None = None) -> list[str]:
        """Words that only hidden entries carry (their ids, quotes, glosses, notes and titles), and the words
        that name an instrument hidden from the viewer (its id, title, treaty text, rules and the terms its
        treaty file lists as sensitive), wherever they would stand."""
        seen_text = json.dumps(self.seen(viewer, at), ensure_ascii=False)
        out = []
        for e in self.hidden(viewer, at):
            out.append(e["id"])
            source = e.get("source", {})
            for text in (source.get("quote"), source.get("gloss"), e.get("note"), *e.get("title", {}).values()):
                if text and text not in seen_text:
                    out.append(text[:60])
        for instrument in self.hidden_instruments(viewer, at):
            out += [instrument, *self.words_of(instrument)]
        return out

    def hidden_instruments(self, viewer: str, at: str | None = None) -> set[str]:
        hidden = {e["id"] for e in self.hidden(viewer, at)}
        return {e["instrument"] for e in self.events if e["kind"] == "instrument_signed" and e["id"] in hidden}

    def words_of(self, instrument: str) -> list[str]:
        """How texts speak of an instrument, from its treaty file: title, article texts, rule ids and readings
        (the contested ones' names and sources too), and the sensitive terms."""
        path = self.folder / "treaties" / f"{instrument}.yaml"
        if not path.exists():
            return []
        treaty = yaml.safe_load(path.read_text(encoding="utf-8"))
        words = [*treaty.get("title", {}).values(), *treaty.get("sensitive", ())]
        for article in treaty.get("articles", ()):
            words += [t[:60] for t in article.get("text", {}).values()]
            words += [w for r in article.get("rules", ()) for w in (r["id"], (r.get("reading") or "")[:60]) if w]
            words += [w for r in article.get("rules", ()) for n in r.get("readings", ())
                      for w in (n["name"], (n.get("reading") or "")[:60], (n.get("source") or "")[:60]) if w]
        return words


def _viewers(oracle: Oracle) -> list[str]:
    return ["public", "secretariat", *oracle.parties]


def _assert_clean(text: str, oracle: Oracle, viewer: str, where: str, at: str | None = None) -> None:
    folded = text.casefold()
    for trace in oracle.traces(viewer, at):
        # An id counts only as a whole word: "declaration-1934" is not in "germany-poland-declaration-1934".
        pattern = rf"(?<![\w-]){re.escape(trace)}(?![\w-])" if re.fullmatch(r"[a-z0-9.-]+", trace) else \
            re.escape(trace.casefold())
        assert not re.search(pattern, folded), f"{where} as {viewer} shows {trace!r}, which {viewer} may not see"


@pytest.mark.parametrize("folder", [DEFAULT_UNION, CONSORTIUM], ids=["baltic", "consortium"])
def test_every_cli_view_as_every_viewer(db_url, folder):
    oracle = Oracle(folder)
    assert oracle.cleared, "the union must hold restricted entries for this test to mean anything"
    db = db_url("cli")
    runner = CliRunner()
    for viewer in _viewers(oracle):
        views = CLI_VIEWS + [[*v, day] for v in CLI_DATED for day in DAYS[folder]] + [
            ["party", code, "--json", "--at", DAYS[folder][-1]] for code in oracle.members]
        for view in views:
            result = runner.invoke(main, ["--db", db, "--union", str(folder), "--as", viewer, *view])
            assert result.exit_code == 0, (viewer, view, result.output)
            _assert_clean(result.output, oracle, viewer, " ".join(view))
        timeline = json.loads(runner.invoke(main, ["--db", db, "--union", str(folder), "--as", viewer,
                                                   "timeline", "--json"]).output)
        assert sorted(r["id"] for r in timeline) == sorted(e["id"] for e in oracle.seen(viewer)), viewer
        state = json.loads(runner.invoke(main, ["--db", db, "--union", str(folder), "--as", viewer,
                                                "state", "--json", "--at", "2100-01-01"]).output)
        held = [e for e in oracle.seen(viewer) if e["kind"] == "conference_held"]
        under = [e for e in held if e.get("instrument")]
        seen = oracle.seen(viewer, "2100-01-01")
        assert (state["conferences_held"], state["other_conferences"], state["events_counted"]) == (
            len(under), len(held) - len(under), len(seen)), viewer


@pytest.mark.parametrize("folder", [DEFAULT_UNION, CONSORTIUM], ids=["baltic", "consortium"])
def test_every_read_endpoint_as_every_viewer_and_token(api, folder):
    oracle = Oracle(folder)
    client, issue = api(folder)
    headers = {viewer: issue(viewer) for viewer in _viewers(oracle) if viewer != "public"}
    headers["public"] = {}
    paths = API_VIEWS + API_LEDGER + [p.format(day) for p in API_DATED for day in DAYS[folder]] + [
        f"/api/parties/{code}?at={DAYS[folder][-1]}" for code in oracle.members]
    for viewer, auth in headers.items():
        for path in paths:
            response = client.get(path, headers=auth)
            assert response.status_code == 200, (viewer, path, response.text)
            _assert_clean(response.text, oracle, viewer, path)
        for read in API_ENTRY:
            missing = client.get(read.format("no-such-entry"), headers=auth)
            assert missing.status_code == 404, read
            for entry in oracle.hidden(viewer):  # "not found" and "forbidden" read the same
                hidden = client.get(read.format(entry["id"]), headers=auth)
                assert (hidden.status_code, hidden.content) == (404, missing.content), (viewer, read, entry["id"])
            for entry_id in oracle.cleared:
                if entry_id not in {e["id"] for e in oracle.hidden(viewer)}:
                    shown = client.get(read.format(entry_id), headers=auth)
                    assert shown.status_code == 200, (viewer, read, entry_id)
                    _assert_clean(shown.text, oracle, viewer, read)
        audit = client.get("/api/audit", headers=auth)
        assert audit.status_code == (200 if viewer == "secretariat" else 404)
    assert any(oracle.hidden(v) for v in headers), "some viewer must have something hidden"


def test_an_outside_power_revoked_and_forged_tokens(api, db_url):
    client, issue = api(DEFAULT_UNION, db_url("tokens"))
    oracle = Oracle(DEFAULT_UNION)
    public = client.get("/api/timeline").json()
    for outside in ("FI", "DE", "SU"):  # not parties to the treaty: they see what the public sees
        mine = client.get("/api/timeline", headers=issue(outside))
        rows = mine.json()
        assert [{**r, "record_version": None} for r in rows] == [{**r, "record_version": None} for r in public]
        # each read from its own log, whose entries are the public's
        assert {r["record_version"] for r in rows} == {
            public[0]["record_version"].replace("/public ", f"/{outside} ")}
        _assert_clean(mine.text, oracle, outside, "/api/timeline")
    store = open_store(db_url("tokens"))
    token_id, secret = tokens.create(store, Viewer.parse("LV"), "soon revoked")
    assert tokens.revoke(store, token_id)
    store.close()
    forged = secret[:-4] + ("AAAA" if not secret.endswith("AAAA") else "BBBB")
    for bad in (f"Bearer {secret}", f"Bearer {forged}", "Bearer nonsense", "Basic bHY6bHY="):
        for path in ["/api/timeline", "/api/conferences", "/api/events/conference-1939-12-tallinn", "/calendar.ics"]:
            response = client.get(path, headers={"Authorization": bad})
            assert (response.status_code, response.json()) == (401, {"error": "invalid token"}), (bad, path)


def test_no_public_text_of_the_reference_union_speaks_of_what_is_restricted():
    """Treaty files a viewer may read (those of instruments it sees signed) say nothing of a secret one."""
    from entente.rules import read_treaties

    oracle = Oracle(DEFAULT_UNION)
    secret = {e["instrument"] for e in oracle.hidden("public") if e["kind"] == "instrument_signed"}
    assert secret == {"declaration-1934"}
    for instrument, treaty in read_treaties(DEFAULT_UNION).items():
        if instrument in secret:
            continue
        text = json.dumps([a.text for a in treaty.articles], ensure_ascii=False).casefold()
        assert "confidential" not in text and "declaration-1934" not in text, instrument


def _attempts(oracle: Oracle, party: str, day: str) -> list[tuple[str, dict]]:
    """Writes that touch every question, request and conference number of the record, as ``party``."""
    out: list[tuple[str, dict]] = []
    for e in oracle.events:
        if e["kind"] == "question_raised":
            out.append(("position_stated", {"date": day, "question": e["question"], "party": party}))
        elif e["kind"] == "assistance_requested":
            out.append(("assistance_responded", {"date": day, "request": e["request"], "party": party,
                                                 "response": "given"}))
    numbered = [(e["instrument"], e["number"]) for e in oracle.events if e["kind"] == "conference_held"
                and e.get("number") and e.get("instrument")]
    for instrument in {i for i, _ in numbered}:
        for n in range(1, max(n for i, n in numbered if i == instrument) + 2):
            out.append(("conference_held", {"date": day, "number": n, "instrument": instrument, "host": party,
                                            "classification": {"instrument": instrument}}))
    return out


@pytest.mark.parametrize("folder", [DEFAULT_UNION, CONSORTIUM], ids=["baltic", "consortium"])
def test_refusals_of_writes_as_every_viewer_name_nothing_hidden(api, folder):
    """Every error a writer gets speaks only of what it may see (its own words sent back aside)."""
    oracle = Oracle(folder)
    client, issue = api(folder)
    stale = {"If-Match": '"' + "0" * 24 + '"'}  # whatever is admitted is then refused as stale: nothing recorded
    for viewer in [v for v in _viewers(oracle) if v != "secretariat" and oracle.hidden(v)]:
        auth = {} if viewer == "public" else issue(viewer)
        for kind, body in _attempts(oracle, "XX" if viewer == "public" else viewer, DAYS[folder][-1]):
            response = client.post(f"/api/events/{kind}", json=body, headers={**auth, **stale})
            assert response.status_code in (403, 409, 422), (viewer, kind, body, response.text)
            text = response.text
            for sent in body.values():
                text = text.replace(str(sent), "")
            _assert_clean(text, oracle, viewer, f"POST {kind} {body}")


def test_reads_as_of_before_a_reclassification_as_every_viewer(api, db_url):
    """The secretariat restricts a public entry to Latvia; reads of the record as it stood before show it to
    no one else, whatever ``known_at`` they give."""
    oracle = Oracle(DEFAULT_UNION)
    db = db_url("known")
    client, issue = api(DEFAULT_UNION, db)
    secretariat = issue("secretariat")
    target = next(e for e in oracle.events if e["kind"] == "outside_event" and e["id"] not in oracle.cleared)
    before = client.get(f"/api/events/{target['id']}").json()["recorded"]
    amended = client.post("/api/events/classification_amended", headers=secretariat, json={
        "id": "restricted-later", "date": "1940-06-30", "target": target["id"], "to": {"parties": ["LV"]},
        "classification": {"parties": ["LV"]}})
    assert amended.status_code == 201, amended.text
    oracle.cleared[target["id"]] = oracle.cleared["restricted-later"] = {"LV"}
    oracle.events.append({"id": "restricted-later", "kind": "classification_amended"})
    words = target["title"]["en"].split()[0]
    paths = ["/api/timeline", "/api/conferences", f"/api/search?q={words}", "/api/state?at=1940-06-01",
             "/api/compliance?at=1940-06-01", "/calendar.ics", f"/api/events/{target['id']}"]
    for viewer in _viewers(oracle):
        auth = {} if viewer == "public" else issue(viewer)
        for path in paths:
            for known_at in ("", before, "2999-01-01"):
                url = f"{path}{'&' if '?' in path else '?'}known_at={known_at}" if known_at else path
                response = client.get(url, headers=auth)
                shown = viewer in ("secretariat", "LV")
                assert response.status_code == (404 if path.startswith("/api/events/") and not shown else 200), url
                _assert_clean(response.text, oracle, viewer, url)


@pytest.mark.parametrize("folder", [DEFAULT_UNION, CONSORTIUM], ids=["baltic", "consortium"])
def test_every_trace_and_saved_scenario_as_every_viewer(api, folder):
    """A trace is read only of a finding the viewer has; any other reads as an identifier that does not exist."""
    from entente.whatif.shelf import digest

    oracle = Oracle(folder)
    client, issue = api(folder)
    headers = {viewer: issue(viewer) for viewer in _viewers(oracle) if viewer != "public"}
    headers["public"] = {}
    day = DAYS[folder][-1]
    every = {f["id"] for f in client.get(f"/api/compliance?at={day}", headers=headers["secretariat"]).json()}
    scenarios = [digest(p.read_text("utf-8")) for p in sorted((folder / "scenarios").glob("*.yaml"))]
    for viewer, auth in headers.items():
        missing = client.get(API_FINDING[0].format("no.such.finding") + f"?at={day}", headers=auth)
        assert missing.status_code == 404
        own = {f["id"] for f in client.get(f"/api/compliance?at={day}", headers=auth).json()}
        for finding in sorted(every):
            answer = client.get(API_FINDING[0].format(finding) + f"?at={day}", headers=auth)
            if finding in own:
                assert answer.status_code == 200, (viewer, finding)
                _assert_clean(answer.text, oracle, viewer, f"trace of {finding}")
            else:
                assert (answer.status_code, answer.content) == (404, missing.content), (viewer, finding)
        for name in scenarios:
            answer = client.get(API_SAVED[0].format(name), headers=auth)
            if answer.status_code == 400:  # a scenario naming an entry this viewer does not see, as unknown
                assert "in the record as" in answer.json()["error"], (viewer, name)
                continue
            assert answer.status_code == 200, (viewer, name, answer.text)
            _assert_clean(answer.text, oracle, viewer, f"saved scenario {name}")
    if folder == DEFAULT_UNION:  # the public has no finding on the confidential declaration
        assert every - {f["id"] for f in client.get(f"/api/compliance?at={day}").json()}


def test_the_declaration_is_its_parties_alone_on_every_day_before_its_publication_and_everyones_after(db_url):
    """Asked on a day of the union's life, the public sees nothing of the confidential declaration; asked
    today, it sees the declaration, what follows from it, and the publication that made it known, with its
    source.  Each viewer's views on either day show exactly what the file says it could know then."""
    oracle = Oracle(DEFAULT_UNION)
    assert "declaration-1934-signed" in oracle.known_from, "the union must record the declaration's publication"
    db = db_url("dated")
    runner = CliRunner()

    def cli(viewer: str, *view: str) -> str:
        result = runner.invoke(main, ["--db", db, "--as", viewer, *view])
        assert result.exit_code == 0, (viewer, view, result.output)
        return result.output

    for viewer in _viewers(oracle):
        for day in [*DAYS[DEFAULT_UNION], "1940-07-01", TODAY]:
            for view in (["timeline", "--json"], ["compliance", "--json"], ["state", "--json"], ["due", "--json"]):
                _assert_clean(cli(viewer, *view, "--at", day), oracle, viewer, f"{view} --at {day}", day)
            timeline = json.loads(cli(viewer, "timeline", "--json", "--at", day))
            assert sorted(r["id"] for r in timeline) == sorted(e["id"] for e in oracle.seen(viewer, day)), (viewer, day)
    before = json.loads(cli("public", "timeline", "--json"))
    assert not any(r["id"].startswith("declaration-1934") for r in before)
    after = {r["id"]: r for r in json.loads(cli("public", "timeline", "--json", "--at", TODAY))}
    assert {"declaration-1934-signed", "declaration-1934-in-force", "declaration-1934-ends"} <= after.keys()
    published = after["declaration-1934-published"]
    assert (published["source"]["document"], published["date"]) == ("taurens-1996", "1996")
    # What follows from it: the declaration's own rules judge the record for the public too.
    findings = json.loads(cli("public", "compliance", "--json", "--at", TODAY))
    assert any(f["instrument"] == "declaration-1934" for f in findings)
    assert not any(f["instrument"] == "declaration-1934" for f in json.loads(cli("public", "compliance", "--json")))
    # A day in 1996 before its last is not yet after the publication: the year counts from its last day.
    assert "declaration-1934-signed" not in cli("public", "timeline", "--json", "--at", "1996-06-30")
    assert "declaration-1934-signed" in cli("public", "timeline", "--json", "--at", "1996-12-31")


def test_the_api_answers_each_day_as_that_day_could_know_it(api):
    oracle = Oracle(DEFAULT_UNION)
    client, issue = api(DEFAULT_UNION)
    for viewer in ("public", "FI", "LT", "secretariat"):
        auth = {} if viewer == "public" else issue(viewer)
        for day in ("1940-06-01", TODAY):
            for path in ("/api/timeline?at={}", "/api/compliance?at={}", "/api/treaties?at={}", "/api/state?at={}"):
                response = client.get(path.format(day), headers=auth)
                assert response.status_code == 200, (viewer, path, response.text)
                _assert_clean(response.text, oracle, viewer, path, day)
            for entry in ("declaration-1934-signed", "declaration-1934-published"):
                found = client.get(f"/api/events/{entry}?at={day}", headers=auth)
                shown = entry not in {e["id"] for e in oracle.hidden(viewer, day)}
                assert found.status_code == (200 if shown else 404), (viewer, day, entry)
                # Its proof in the viewer's log is there on exactly the days the entry is.
                proof = client.get(f"/api/proof/{entry}?at={day}", headers=auth)
                assert proof.status_code == found.status_code, (viewer, day, entry, proof.text)
                if shown:
                    assert proof.json()["entry"] == entry
    assert client.get("/api/proof/declaration-1934-signed?at=1940-13").status_code == 400
    # By default the day judged is the record's last, before the publication: nothing of the declaration.
    assert client.get("/api/events/declaration-1934-signed").status_code == 404
    assert not any(r["id"].startswith("declaration-1934") for r in client.get("/api/timeline").json())
    assert client.get("/api/proof/declaration-1934-signed").status_code == 404
    assert any(t["instrument"] == "declaration-1934" for t in client.get(f"/api/treaties?at={TODAY}").json())
