"""Many entries at once, each checked as a write is, at a cost in proportion to their number.

Checking each entry of a file against the whole record before it, as a single
write is, costs the record's length for every entry: a file of N entries costs
N².  Here an entry's own checks look only at the entries they concern, found
by index (what it answers, the conference numbered before it, the acts of the
instruments), and the treaty's rules judge the whole batch once, before and
after, so each breach the batch brings about is found and blamed on the entry
named in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from entente.record.store import content
from entente.replay.dated import DatedState, fold
from entente.secretariat.admission import Problem, entry_problems, judge_added
from entente.vocabulary.events import (
    AssistanceRequested,
    ClassificationAmended,
    ConferenceConvened,
    ConferenceHeld,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    ProposalMade,
    QuestionRaised,
)
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Union

_ACTS = (InstrumentSigned, InstrumentRatified, InstrumentAcceded, InstrumentEnteredIntoForce, InstrumentTerminated)


class Related:
    """The record indexed by what a new entry's checks look for."""

    def __init__(self, events: Sequence[Event]) -> None:
        self.ids: set[str] = set()
        self.by_id: dict[str, Event] = {}
        self.acts: list[Event] = []  # every act of every instrument: few beside the record
        self._dated: DatedState | None = None  # the acts folded, made again when one is added
        self.threads: dict[str, Event] = {}  # questions, requests and proposals by the name answers use
        # Conferences held or convened, by (instrument, series, number).
        self.conferences: dict[tuple[str | None, str | None, int], list[Event]] = {}
        self.everything: list[Event] = []
        for event in events:
            self.add(event)

    def add(self, event: Event) -> None:
        self.ids.add(event.id)
        self.by_id[event.id] = event
        self.everything.append(event)
        if isinstance(event, _ACTS):
            self.acts.append(event)
            self._dated = None
        elif isinstance(event, QuestionRaised):
            self.threads.setdefault(f"question:{event.question}", event)
        elif isinstance(event, AssistanceRequested):
            self.threads.setdefault(f"request:{event.request}", event)
        elif isinstance(event, ProposalMade):
            self.threads.setdefault(f"proposal:{event.proposal}", event)
        elif isinstance(event, ConferenceHeld | ConferenceConvened) and event.number:
            self.conferences.setdefault((event.instrument, event.series, event.number), []).append(event)

    @property
    def dated(self) -> DatedState:
        """The instruments' acts folded: who is bound by what on each day."""
        if self._dated is None:
            self._dated = fold(self.acts)
        return self._dated

    def around(self, event: Event) -> list[Event]:
        """The entries the checks of ``event`` look at, in the order they were recorded."""
        if isinstance(event, ClassificationAmended):
            return self.everything  # rare: it looks at what follows from its target, wherever that is
        found = list(self.acts)
        for name in ("question", "request", "proposal"):
            if (target := getattr(event, name, None)) is not None and (e := self.threads.get(f"{name}:{target}")):
                found.append(e)
        if isinstance(event, ConferenceHeld | ConferenceConvened) and event.number:
            for number in (event.number - 1, event.number):  # the one before it, and any with its number
                found += self.conferences.get((event.instrument, event.series, number), [])
        if isinstance(event, ConferenceConvened) and (taken := self.by_id.get(event.conference)):
            found.append(taken)
        return found


class Loader:
    """Checks a batch of entries after a record: each entry's own checks as it comes, the rules once at the end."""

    def __init__(self, union: Union, treaties: Mapping[str, Treaty], record: Sequence[Event],
                 progress: Callable[[int], None] | None = None) -> None:
        self.union, self.treaties, self.record = union, treaties, record
        self.related = Related(record)
        self.progress = progress

    def check(self, event: Event) -> list[Problem]:
        """The problems of one entry, after the record and the entries of the batch checked before it."""
        related = self.related
        if (recorded := related.by_id.get(event.id)) is not None and content(recorded) == content(event):
            return []  # recorded already, as it is: loading a file again records nothing more
        problems = entry_problems(self.union, self.treaties, related.around(event), event, related.ids,
                                  related.dated)
        if not problems:
            self.related.add(event)
        if self.progress is not None:
            self.progress(1)
        return problems

    def judge(self, batch: Sequence[Event]) -> list[Problem]:
        """What a refusing rule finds in breach with the batch, each problem naming the entry it blames."""
        if not batch:
            return []
        return judge_added(self.union, self.treaties, self.record, batch).problems
