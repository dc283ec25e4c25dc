"""Where each fact comes from, everywhere a fact is shown: the kind of its source and whether the record infers
it, as fields of the exports and the API and as a mark on every page and table; the bibliography."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner

from entente.cli import main
from entente.vocabulary.definition import DEFAULT_UNION, bundled_record
from entente.vocabulary.events import ClassificationAmended, OutsideEvent

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def record(baltic):
    # As the views show it on the record's last day, 1 July 1940: the publications of 1996 are not there yet.
    return {e.id: e for e in bundled_record(baltic)
            if not (isinstance(e, ClassificationAmended) and e.since and e.since > "1940")}


def _expected_kind(baltic, event) -> str:
    """What the record's own files say an entry's source is: an allegation, or its document's kind."""
    if isinstance(event, OutsideEvent) and event.category == "allegation":
        return "allegation"
    return baltic.documents[event.source.document].kind


def _run(db_url, *args: str) -> str:
    result = CliRunner().invoke(main, ["--db", db_url("s"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_json_and_csv_exports_carry_the_kind_of_source_and_inferred(db_url, baltic, record):
    rows = json.loads(_run(db_url, "timeline", "--json"))
    assert len(rows) == len(record)
    for row in rows:
        event = record[row["id"]]
        assert row["inferred"] is event.inferred, row["id"]
        assert row["source_kind"] == _expected_kind(baltic, event), row["id"]
        assert [c["document"] for c in row["cites"]] == [c.document for c in event.cites]
        assert all(c["kind"] == baltic.documents[c["document"]].kind for c in row["cites"])
    # Each kind the record uses is there, the inferred entries among them.
    assert {"seed", "treaty-text", "allegation"} <= {r["source_kind"] for r in rows}
    assert any(r["inferred"] for r in rows) and not all(r["inferred"] for r in rows)
    table = list(csv.DictReader(io.StringIO(_run(db_url, "timeline", "--csv"))))
    assert [(r["id"], r["source_kind"], r["inferred"]) for r in table] == \
        [(r["id"], r["source_kind"], "yes" if r["inferred"] else "no") for r in rows]
    assert all(r["kind"] == row["kind"] for r, row in zip(table, rows, strict=True))  # a source's kind clobbers none


def test_the_api_timeline_carries_them_too(api, record):
    client, _ = api(DEFAULT_UNION)
    rows = client.get("/api/timeline").json()
    assert rows and all({"source_kind", "inferred", "cites"} <= set(r) for r in rows)
    assert {r["id"] for r in rows if r["inferred"]} == {i for i, e in record.items() if e.inferred} & \
        {r["id"] for r in rows}


def test_every_cli_timeline_row_is_marked_with_its_origin(db_url, record):
    text = _run(db_url, "timeline")
    marks = re.findall(r"\[from ([^;\]]+)", " ".join(text.split()))
    assert len(marks) == len(record)
    assert " ".join(text.split()).count("inferred by the record, not stated by a source]") == \
        sum(e.inferred for e in record.values())


def test_every_web_row_is_marked_and_the_bibliography_lists_the_works(api, baltic, record):
    client, _ = api(DEFAULT_UNION)
    timeline = client.get("/timeline", headers=HTML).text
    assert timeline.count('<p class="origin">') == timeline.count("<tr id=")
    assert "an allegation, not a fact" in timeline
    conferences = client.get("/conferences", headers=HTML).text
    assert conferences.count('<p class="origin">') >= 11
    page = client.get("/bibliography", headers=HTML).text
    for key, doc in baltic.documents.items():
        assert f'id="{key}"' in page
        if doc.author:
            assert doc.author in page


def test_the_bibliography_names_each_works_entries_and_only_those_the_viewer_sees(db_url, record):
    works = {w["document"]: w for w in json.loads(_run(db_url, "bibliography", "--json"))}
    for event in record.values():
        for source in (event.source, *event.cites):
            assert event.id in [e["id"] for e in works[source.document]["entries"]], (event.id, source.document)
    # A work of history is cited as a bibliography cites it: author or publication, title, year where known.
    taurens = works["taurens-1996"]
    assert taurens["reference"].startswith("Jānis Taurēns, «Latvija un Baltijas Antantes izveidošanās 1934. gadā»")
    assert "Latvijas Vēsture" in taurens["reference"] and "82.–89." in taurens["reference"]
    public = {w["document"]: w for w in json.loads(_run(db_url, "--as", "public", "bibliography", "--json"))}
    restricted = {i for i, e in record.items() if e.classification != "public"}
    assert restricted
    for work in public.values():
        assert not {e["id"] for e in work["entries"]} & restricted, work["document"]
    assert set(public) == set(works)  # every work is listed; only the entries differ


def test_the_command_lines_exports_carry_the_version_of_the_record_as_signed(db_url):
    def version(*viewer: str) -> str:
        signed = json.loads(_run(db_url, *viewer, "checkpoint"))
        return f"{signed['log']} {signed['size']} {signed['root']}"

    rows = json.loads(_run(db_url, "timeline", "--json"))
    assert {r["record_version"] for r in rows} == {version()}
    table = list(csv.DictReader(io.StringIO(_run(db_url, "timeline", "--csv"))))
    assert {r["record_version"] for r in table} == {version()}
    works = json.loads(_run(db_url, "--as", "public", "bibliography", "--json"))
    assert works and {w["record_version"] for w in works} == {version("--as", "public")} != {version()}


def test_an_entry_citing_a_work_in_two_places_is_listed_once_with_both(db_url, record):
    # The American edition is cited for the Soviet entry into Lithuania twice: the announcement of the accepted
    # ultimatum and the minister's report of the crossing.  A bibliography lists the entry once, with both places.
    works = {w["document"]: w for w in json.loads(_run(db_url, "bibliography", "--json"))}
    cited = [e for e in works["frus-1940-i"]["entries"] if e["id"] == "occupation-1940"]
    places = [c.pages for c in record["occupation-1940"].cites if c.document == "frus-1940-i"]
    assert len(places) == 2
    assert [e["pages"] for e in cited] == ["; ".join(places)]
    for work in works.values():
        listed = [(e["id"], e["as"]) for e in work["entries"]]
        assert len(listed) == len(set(listed)), work["document"]


def test_an_entrys_page_names_each_work_it_rests_on_as_the_bibliography_does(api, db_url, record):
    # A reader of an entry resting on works the union does not ship sees each work as a bibliography writes it,
    # where in it, and what the record takes from it: not a key to look up.
    works = {w["document"]: w for w in json.loads(_run(db_url, "bibliography", "--json"))}
    client, _ = api(DEFAULT_UNION)
    event = record["germany-lithuania-treaty-1939"]
    page = client.get(f"/entries/{event.id}", headers=HTML).text
    for source in (event.source, *event.cites):
        assert works[source.document]["reference"] in page, source.document
        assert source.note in page, source.document
        if source.pages:
            assert source.pages in page
    # A shipped document is quoted, not named by its title (which may speak of what a viewer may not see): the
    # public page of the treaty's entry into force quotes the file of facts, and its title stays off the page.
    public = client.get("/entries/entente-1934-in-force", headers=HTML).text
    assert any(c.document == "treaty-1934-sources" for c in (record["entente-1934-in-force"].source,
                                                             *record["entente-1934-in-force"].cites))
    assert "confidential declaration" not in public


def test_the_calendar_and_the_alliance_coding_carry_the_version_of_the_record_too(db_url):
    signed = json.loads(_run(db_url, "--as", "LV", "checkpoint"))
    version = f"{signed['log']} {signed['size']} {signed['root']}"
    calendar = _run(db_url, "--as", "LV", "calendar")
    unfolded = re.sub(r"\r?\n[ \t]", "", calendar)  # RFC 5545 folds long lines
    assert f"X-ENTENTE-RECORD-VERSION:{version}" in unfolded.splitlines()
    coded = json.loads(_run(db_url, "--as", "LV", "code", "--json"))
    assert coded and {c["record_version"] for c in coded} == {version}


def test_what_the_pages_say_of_every_entrys_source_is_true_of_the_record(api, record):
    # Some entries rest on a work cited by its pages, with no words quoted from it: the pages may say that every
    # entry names its source, which each does, but not that each quotes it.
    assert all(e.source is not None for e in record.values())
    assert any(not e.source.quote for e in record.values())
    client, _ = api(DEFAULT_UNION)
    for path in ("/", "/timeline", "/bibliography"):
        page = " ".join(client.get(path, headers=HTML).text.split())
        assert "quoting its source" not in page and "quotes its source" not in page, path
        assert "naming its source" in page or "names its source" in page, path


def test_the_front_page_dates_a_binding_as_precisely_as_the_record_does(api, record):
    # The commitment of 1935 is dated to the year only: Latvia was bound by it "from 1935", not from 1 January.
    assert record["commitment-1935-given"].date == "1935"
    client, _ = api(DEFAULT_UNION)
    page = " ".join(client.get("/", headers=HTML).text.split())
    commitment = "Commitment not to conclude non-aggression pacts with Germany"
    assert re.search(re.escape(commitment) + r"[^;<]* from 1935 until 22 March 1939", page)
    assert "from 1 January 1935" not in page


def test_a_timeline_row_names_each_kind_of_work_once_with_its_works(db_url):
    # The request of March 1939 rests on two works of history and one primary document: the row says "from
    # general history" once, naming both works, and where in the primary document.
    text = " ".join(_run(db_url, "timeline").split())
    mark = re.search(r"\[from the seed; [^\]]*\]", text[text.index("Lithuania's need of help"):])
    assert mark is not None
    marked = mark[0]
    assert marked.count("from general history") == 1 and marked.count("from a primary document") == 1
    assert "(shirer-1960; enciclopedia-italiana-memel)" in marked.replace("- ", "-")
    assert "frus-1939-i, doc. 98" in marked


def test_a_web_row_names_each_kind_of_work_once_with_its_works(api):
    client, _ = api(DEFAULT_UNION)
    page = client.get("/timeline", headers=HTML).text
    row = page[page.index('id="klaipeda-1939-requested"'):]
    start = row.index('<p class="origin">')
    mark = " ".join(re.sub(r"<[^>]+>", " ", row[start:row.index("</p>", start)]).split())
    assert mark.count("from general history") == 1 and mark.count("from a primary document") == 1, mark
    assert "(shirer-1960; enciclopedia-italiana-memel)" in mark and "(frus-1939-i, doc. 98)" in mark
