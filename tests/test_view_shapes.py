"""Every read's output fits the shape the OpenAPI document gives it, field by field, nothing more or less: each
view as the API answers it, with the version of the record it was read from."""

from __future__ import annotations

import msgspec
import pytest

from entente.secretariat.clearance import PUBLIC, SECRETARIAT, Viewer
from entente.secretariat.service import Secretariat
from entente.views import coding, schedule, searching, shapes
from entente.views import reports as views
from entente.views.versioned import versioned

from .conftest import CONSORTIUM


@pytest.fixture(scope="module")
def baltic(tmp_path_factory):
    s = Secretariat.open(str(tmp_path_factory.mktemp("shapes") / "r.db"))
    yield s
    s.close()


@pytest.mark.parametrize("viewer", [SECRETARIAT, PUBLIC, Viewer("party", "LT")], ids=str)
@pytest.mark.parametrize("at", ["1935-06-01", "1939-12-31"])
def test_each_view_fits_its_documented_shape(baltic, viewer, at):
    s, events = baltic, baltic.events_for(viewer)
    cases = [
        (views.timeline(s.union, events), list[shapes.TimelineRow]),
        (views.conferences(s.union, events), list[shapes.ConferenceRow]),
        (views.union_state(s.union, events, at), shapes.UnionStateView),
        (views.compliance(s.union, s.treaties, events, at), list[shapes.FindingRow]),
        (views.due(s.union, s.treaties, events, at), list[shapes.DueRow]),
        (views.party(s.union, s.treaties, events, "LV", at), shapes.PartyView),
        (views.treaties(s.treaties, events), list[shapes.TreatyView]),
        (searching.search(s.union, events, "Vilnius"), list[shapes.SearchRow]),
        ([msgspec.to_builtins(p) for p in schedule.next_conference(s.union, s.treaties, events, at)],
         list[shapes.ProposalRow]),
        ([msgspec.to_builtins(c) for c in coding.coding(s.union, s.treaties, events)], list[shapes.CodingRow]),
    ]
    version = f"entente/{s.union.id}/{viewer} 12 {'ab' * 32}"
    for data, shape in cases:
        assert data, f"{shape} has nothing to check on {at}"
        msgspec.convert(versioned(data, version), shape, strict=True)
        with pytest.raises(msgspec.ValidationError, match="record_version"):  # the version is part of the shape
            msgspec.convert(data, shape, strict=True)


def test_the_openapi_document_describes_reads(api):
    client, _ = api(CONSORTIUM)
    doc = client.get("/schema/openapi.json").json()
    schemas = doc["components"]["schemas"]
    assert {"TimelineRow", "UnionStateView", "PartyView", "FindingRow", "DueRow", "TraceView"} <= set(schemas)
    timeline = doc["paths"]["/api/timeline"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert timeline["items"]["$ref"].endswith("/TimelineRow")
    assert "summary" in schemas["TimelineRow"]["properties"]
    for name in ("TimelineRow", "UnionStateView", "PartyView", "FindingRow", "DueRow", "TraceView"):
        assert "record_version" in schemas[name]["required"], name
    for path in ("/api/timeline", "/api/events/{event_id}", "/calendar.ics", "/api/findings/{finding_id}/trace"):
        assert "Entente-Record-Version" in doc["paths"][path]["get"]["responses"]["200"]["headers"], path
