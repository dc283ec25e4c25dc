"""A realistic union of any size, the same for the same seed: the record the engine benchmark loads.

P parties over Y years under one council treaty: most sign it, the rest accede
over the years; foreign ministers meet twice a year, hosted in rotation;
questions are put and every bound party states its position; proposals are
made and voted on; assistance is asked and answered.  About 15% of the record
is classified: for the council's parties, or for one party alone.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Literal

from entente.vocabulary.events import (
    AssistanceRequested,
    AssistanceResponded,
    ConferenceHeld,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentSigned,
    PositionStated,
    ProposalDecided,
    ProposalMade,
    QuestionRaised,
    Restricted,
)

INSTRUMENT = "council-1950"
FIRST_YEAR = 1950
_UNION = """# A council of {parties} states over {years} years, made by bench/generate.py.
id: bench-council
name: {{en: Benchmark Council}}
# The record is appended to the store (entente load, the API), not kept in record.yaml.
recorded_elsewhere: true
documents: {{}}
# The history is recorded through the secretariat (entente load), not in record.yaml.
recorded_elsewhere: true
parties:
{party_lines}
"""
_TREATY = f"""instrument: {INSTRUMENT}
title: {{en: Council Treaty}}
decision: {{rule: unanimity}}
accession: open
articles:
  - article: "2"
    text: {{en: "The foreign ministers meet at least twice a year, in the territory of each party in turn."}}
    rules:
      - id: ministers-twice-yearly
        kind: periodic_meetings
        settings: {{minimum: 2, period: calendar_year, partial_periods: full}}
      - id: ministers-rotation
        kind: host_rotation
        settings: {{reading: not_twice_in_a_row}}
  - article: "3"
    text: {{en: "The parties come to an understanding on questions of common importance within ninety days."}}
    rules:
      - id: understanding
        kind: consultation
        settings: {{respond_within_days: 90}}
  - article: "4"
    text: {{en: "A party asked for assistance answers within thirty days."}}
    rules:
      - id: assistance
        kind: mutual_assistance
        settings: {{respond_within_days: 30, refusal: allowed}}
  - article: "5"
    text: {{en: "The council decides on proposals unanimously."}}
    rules:
      - id: proposals
        kind: proposals
        settings: {{}}
"""


def codes(parties: int) -> list[str]:
    """Party codes P00, P01, …: made up, so no real state is said to have done anything."""
    return [f"P{i:02d}" for i in range(parties)]


# Two readings of the meetings rule, for runs that pick one (the engine's figures are without them).
_READINGS = """        readings:
          - {name: calendar-year, reading: Twice in every calendar year.}
          - {name: any-twelve-months, settings: {period: rolling, window_days: 365},
             reading: "Twice in every twelve months, counted from any day."}
"""


def write_union(folder: Path, parties: int, years: int, readings: bool = False) -> Path:
    (folder / "treaties").mkdir(parents=True, exist_ok=True)
    lines = "\n".join(f"  - {{code: {c}, names: {{en: State {c}}}}}" for c in codes(parties))
    (folder / "union.yaml").write_text(_UNION.format(parties=parties, years=years, party_lines=lines))
    treaty = _TREATY
    if readings:
        rule = "settings: {minimum: 2, period: calendar_year, partial_periods: full}\n"
        treaty = treaty.replace(rule, rule + _READINGS)
    (folder / "treaties" / f"{INSTRUMENT}.yaml").write_text(treaty)
    (folder / "record.yaml").write_text("events: []\n")
    return folder


def _day(year: int, day_of_year: int) -> str:
    month, day = divmod(min(day_of_year, 359), 30)
    return f"{year:04d}-{month + 1:02d}-{min(day + 1, 28):02d}"


def record(size: int, parties: int = 30, years: int = 100, seed: int = 1) -> list[Event]:
    """About ``size`` events, in the order a secretariat would enter them."""
    rng = random.Random(seed)
    everyone = codes(parties)
    founders, later = everyone[: parties - parties // 6], everyone[parties - parties // 6:]
    events: list[Event] = [
        InstrumentSigned(id="council-signed", date=f"{FIRST_YEAR}-01-10", instrument=INSTRUMENT,
                         title={"en": "Council Treaty"}, parties=tuple(founders)),
        InstrumentEnteredIntoForce(id="council-in-force", date=f"{FIRST_YEAR}-02-01", instrument=INSTRUMENT),
    ]
    bound = list(founders)
    accede_in = {FIRST_YEAR + (i + 1) * years // (len(later) + 1): p for i, p in enumerate(later)}
    # Events a year beyond the two conferences, carried over from year to year so the whole comes to
    # about ``size``: each question brings a position from every party bound.
    per_year = max(size - 2 * years, 0) / years
    carried = 0.0
    secret = Restricted(instrument=INSTRUMENT)
    number = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        if year in accede_in:
            bound.append(accede_in[year])
            events.append(InstrumentAcceded(id=f"accession-{year}", date=f"{year}-01-05", instrument=INSTRUMENT,
                                            party=accede_in[year]))
        for half in (0, 1):
            number += 1
            host = bound[number % len(bound)]
            events.append(ConferenceHeld(id=f"conference-{number}", date=_day(year, 60 + 180 * half),
                                         number=number, instrument=INSTRUMENT, host=host,
                                         place={"en": f"the capital of {host}"}))
        carried += per_year
        budget = int(carried)
        carried -= budget
        thread = 0
        while budget > 0:
            thread += 1
            start = rng.randrange(40, 240)  # after the treaty is signed, in its first year too
            c: Restricted | Literal["public"] = secret if rng.random() < 0.15 else "public"
            what = rng.random()
            if what < 0.7:  # a question and the position of every party bound
                q = f"q-{year}-{thread}"
                events.append(QuestionRaised(id=q, date=_day(year, start), question=q, instrument=INSTRUMENT,
                                             subject=rng.choice(["trade", "borders", "minorities", "transit"]),
                                             title={"en": f"Question {thread} of {year}"},
                                             actor=rng.choice(bound), classification=c))
                for party in bound:
                    events.append(PositionStated(id=f"{q}-{party.lower()}", date=_day(year, start + rng.randrange(90)),
                                                 question=q, party=party,
                                                 stance=rng.choice(["support", "oppose", "abstain"]),
                                                 classification=c))
                budget -= 1 + len(bound)
            elif what < 0.85:  # a proposal and the vote on it
                p = f"proposal-{year}-{thread}"
                votes = {party: "yes" if rng.random() < 0.9 else "no" for party in bound}
                events += [
                    ProposalMade(id=p, date=_day(year, start), proposal=p, instrument=INSTRUMENT,
                                 proposer=rng.choice(bound), title={"en": f"Proposal {thread}"}, classification=c),
                    ProposalDecided(id=f"{p}-decided", date=_day(year, start + 30), proposal=p,
                                    outcome="accepted" if all(v == "yes" for v in votes.values()) else "rejected",
                                    votes=votes, classification=c),  # type: ignore[arg-type]
                ]
                budget -= 2
            else:  # a request for assistance and the answers to it
                r = f"request-{year}-{thread}"
                requester = rng.choice(bound)
                asked = tuple(rng.sample([p for p in bound if p != requester], 3))
                events.append(AssistanceRequested(id=r, date=_day(year, start), request=r, instrument=INSTRUMENT,
                                                  requester=requester, addressees=asked, subject="transit",
                                                  classification=c))
                for party in asked:
                    events.append(AssistanceResponded(
                        id=f"{r}-{party.lower()}", date=_day(year, start + rng.randrange(30)), request=r, party=party,
                        response="given" if rng.random() < 0.8 else "refused", classification=c))
                budget -= 4
        carried += min(budget, 0)  # what a year overspent, the next spends less
    return events
