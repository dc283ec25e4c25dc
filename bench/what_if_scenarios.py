"""One scenario of each kind a what-if run is asked, on a council made by ``generate.py``.

Shared by ``bench/what_if.py`` (each timed beside a full replay) and ``tests/test_what_if.py`` (each run both
ways must find the same differences).  Each names entries the public sees, so every viewer can run it.
"""

from __future__ import annotations

from collections.abc import Sequence

from entente.vocabulary.events import ConferenceHeld, Event, InstrumentAcceded, PositionStated, QuestionRaised

INSTRUMENT = "council-1950"  # as generate.INSTRUMENT
_HEAD = "title: {title}\nwhy: A benchmark, not a question from the sources.\nchanges:\n"


def scenarios(events: Sequence[Event]) -> dict[str, str]:
    """Each kind of scenario (its name) and its text, made for ``events``."""
    public = [e for e in events if e.classification == "public"]
    conference = next(e for e in public if isinstance(e, ConferenceHeld))
    later = [e for e in public if isinstance(e, ConferenceHeld)][len(events) // 20_000 + 3]
    question = next(e for e in public if isinstance(e, QuestionRaised) and e.date > later.date)
    positions = [e for e in public if isinstance(e, PositionStated) and e.question == question.id]
    accession = next(e for e in public if isinstance(e, InstrumentAcceded))
    last = events[-1].date
    out = {
        "entries": [f"  - remove: {conference.id}",
                    f'  - add: {{kind: outside_event, id: bench-added, date: "{last}", category: other, '
                    "title: {en: An added entry}}"],
        "a rule": [f"  - settings: {{instrument: {INSTRUMENT}, rule: ministers-twice-yearly, set: {{minimum: 4}}}}"],
        "a reading": [f"  - reading: {{instrument: {INSTRUMENT}, rule: ministers-twice-yearly, "
                      "name: any-twelve-months}"],
        "a classification": [f"  - classify: {{entry: {later.id}, classification: {{instrument: {INSTRUMENT}}}}}"],
        "positions": [f"  - remove: {positions[0].id}",
                      f"  - replace: {{kind: position_stated, id: {positions[1].id}, date: \"{positions[1].date}\", "
                      f"question: {question.id}, party: {positions[1].party}, stance: "
                      f"{'oppose' if positions[1].stance != 'oppose' else 'support'}}}"],
        "acts": [f"  - remove: {accession.id}"],
        "a decision": [f'  - add: {{kind: rule_changed, id: bench-decision, date: "{later.date}", '
                       f"instrument: {INSTRUMENT}, rule: ministers-twice-yearly, settings: {{minimum: 3}}}}"],
    }
    return {name: _HEAD.format(title=f"One kind of change ({name})") + "\n".join(lines) + "\n"
            for name, lines in out.items()}
