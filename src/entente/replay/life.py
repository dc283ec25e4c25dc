"""The life of an instrument: who it binds from when to when, as its acts and its final clauses say.

Each act (a signature, a deposit of ratification, an accession, the entry into force, a withdrawal, a
suspension of a member's rights) makes a new state from the one before.  Where the final clauses set days of
their own (``binding`` on the signature: entry into force some days after the n-th deposit, a later party bound
some days after its own, a withdrawal taking effect months after its notice) or a suspension ends on a set
day, the life is worked out from all the acts at once (``life``): those days are steps of it too.
"""

from __future__ import annotations

import heapq
from datetime import date, timedelta
from typing import Any

import msgspec

from entente.replay.model import InstrumentState
from entente.vocabulary import dates
from entente.vocabulary.events import (
    Binding,
    Event,
    InstrumentAcceded,
    InstrumentEnteredIntoForce,
    InstrumentRatified,
    InstrumentSigned,
    InstrumentTerminated,
    RightsRestored,
    RightsSuspended,
    WithdrawalNotified,
)
from entente.vocabulary.stored import with_twins

# A withdrawal from an instrument whose final clauses name no notice period takes effect after twelve months
# (Vienna Convention on the Law of Treaties, Art. 56(2)).
DEFAULT_NOTICE_MONTHS = 12


def _copy(i: InstrumentState) -> InstrumentState:
    return msgspec.structs.replace(i, signatories=list(i.signatories), parties=list(i.parties),
                                   withdrawn=list(i.withdrawn), ratified=list(i.ratified),
                                   on_notice=dict(i.on_notice), suspended=dict(i.suspended))


def _signed(_: InstrumentState | None, e: InstrumentSigned) -> InstrumentState:
    on_signature = e.in_force_on_signature or (e.binding is not None and e.binding.by == "signature")
    return InstrumentState(
        id=e.instrument, title=e.title, form=e.form, status="in_force" if on_signature else "signed",
        signed=e.date, signatories=list(e.parties), parties=list(e.parties) if on_signature else [],
        in_force=e.date if on_signature else None,
    )


def _bind(i: InstrumentState, party: str) -> None:
    if party not in i.parties:
        i.parties.append(party)


def _ratified(i: InstrumentState, e: InstrumentRatified) -> InstrumentState:
    if e.party not in i.ratified:
        i.ratified.append(e.party)
    return i


def _acceded(i: InstrumentState, e: InstrumentAcceded) -> InstrumentState:
    if e.party not in i.signatories:
        i.signatories.append(e.party)
    if i.status == "in_force":
        _bind(i, e.party)
    return i


def _in_force(i: InstrumentState, e: InstrumentEnteredIntoForce) -> InstrumentState:
    if i.status == "signed":
        i.status, i.in_force = "in_force", e.date
        for party in i.signatories:
            if party not in i.withdrawn:
                _bind(i, party)
    return i


def _terminated(i: InstrumentState, e: InstrumentTerminated) -> InstrumentState:
    if i.status in ("terminated", "never_in_force"):
        return i
    if e.party is not None:
        i.withdrawn.append(e.party)
        i.on_notice.pop(e.party, None)
        if e.party in i.parties:
            i.parties.remove(e.party)
        if i.status != "in_force" or len(i.parties) >= 2:
            return i
    i.status = "terminated" if i.status == "in_force" else "never_in_force"
    i.ended, i.parties = e.date, []
    return i


def _suspended(i: InstrumentState, e: RightsSuspended) -> InstrumentState:
    i.suspended[e.party] = list(e.rights)
    return i


def _restored(i: InstrumentState, e: RightsRestored) -> InstrumentState:
    i.suspended.pop(e.party, None)
    return i


def _notified(i: InstrumentState, e: WithdrawalNotified) -> InstrumentState:
    return i  # on notice: set by ``life``, which knows the notice period


_LIFE: dict[type, Any] = with_twins({
    InstrumentRatified: _ratified,
    InstrumentAcceded: _acceded,
    InstrumentEnteredIntoForce: _in_force,
    InstrumentTerminated: _terminated,
    WithdrawalNotified: _notified,
    RightsSuspended: _suspended,
    RightsRestored: _restored,
})


def timed(e: Event) -> bool:
    """Whether an act gives the instrument's life days of its own, so ``life`` works it out."""
    return (isinstance(e, InstrumentSigned) and e.binding is not None) or isinstance(e, WithdrawalNotified) or (
        isinstance(e, RightsSuspended) and e.until is not None)


def _plus_days(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


class _Life:
    """The states of one instrument, step by step, with the steps its final clauses put on later days."""

    def __init__(self) -> None:
        self.days: list[str] = []
        self.states: list[InstrumentState] = []
        self.later: list[tuple[str, int, str, str | None]] = []  # (day, order, step, party), a heap
        self.binding = Binding(by="signature")
        self.deposits: list[str] = []  # the parties that deposited, in order
        self.explicit_entry = False

    def _step(self, day: str, change: Any, *args: Any) -> None:
        new = change(_copy(self.states[-1]), *args)
        self.days.append(day)
        self.states.append(new)

    def _then(self, day: str | None, step: str, party: str | None = None) -> None:
        if day is not None:
            heapq.heappush(self.later, (day, len(self.later), step, party))

    def upto(self, day: str | None) -> None:
        """The steps set for days up to ``day`` (None: all of them)."""
        while self.later and (day is None or self.later[0][0] <= day):
            when, _, step, party = heapq.heappop(self.later)
            if step == "in_force":
                self._step(when, self._enter, when)
            elif step == "bind":
                self._step(when, self._bind_deposited, party)
            elif step == "withdraw":
                self._step(when, _terminated, InstrumentTerminated(id="notice", date=when, instrument="",
                                                                   party=party))
            elif step == "restore":
                self._step(when, _restored, RightsRestored(id="until", date=when, instrument="", party=party or ""))

    def _enter(self, i: InstrumentState, day: str) -> InstrumentState:
        if i.status == "signed":
            i.status, i.in_force = "in_force", day
            for party in self.deposits:
                if party not in i.withdrawn:
                    _bind(i, party)
        return i

    def _bind_deposited(self, i: InstrumentState, party: str) -> InstrumentState:
        if i.status == "in_force" and party not in i.withdrawn:
            _bind(i, party)
        return i

    def act(self, e: Event) -> None:
        day = dates.start(e.date)
        self.upto(day)
        if isinstance(e, InstrumentSigned):
            self.binding = e.binding or Binding(by="signature")
            self.days.append(day)
            self.states.append(_signed(None, e))
            return
        if not self.states:
            return
        by_deposit = self.binding.by == "ratification"
        if by_deposit and isinstance(e, InstrumentRatified | InstrumentAcceded):
            self._deposit(e, day)
        elif by_deposit and isinstance(e, InstrumentEnteredIntoForce):
            self.explicit_entry = True
            self._step(day, self._enter, e.date)
        elif isinstance(e, WithdrawalNotified):
            effective = dates.add_months(day, self.binding.notice_months if self.binding.notice_months is not None
                                         else DEFAULT_NOTICE_MONTHS)
            self._step(day, _on_notice, e.party, effective)
            self._then(effective, "withdraw", e.party)
        else:
            self._step(day, _LIFE[type(e)], e)
            if isinstance(e, RightsSuspended) and e.until:
                self._then(dates.start(e.until), "restore", e.party)

    def _deposit(self, e: InstrumentRatified | InstrumentAcceded, day: str) -> None:
        if e.party in self.deposits:
            return
        self.deposits.append(e.party)
        change = _ratified if isinstance(e, InstrumentRatified) else _deposited_accession
        self._step(day, change, e)
        state, due = self.states[-1], _plus_days(day, self.binding.days_after)
        if state.status == "in_force":
            self._then(due, "bind", e.party)
        elif not self.explicit_entry and self.binding.deposits and len(self.deposits) == self.binding.deposits:
            self._then(due, "in_force")


def _deposited_accession(i: InstrumentState, e: InstrumentAcceded) -> InstrumentState:
    if e.party not in i.signatories:
        i.signatories.append(e.party)
    return _ratified(i, InstrumentRatified(id=e.id, date=e.date, instrument=e.instrument, party=e.party))


def _on_notice(i: InstrumentState, party: str, effective: str | None) -> InstrumentState:
    if party in i.parties and effective is not None:
        i.on_notice[party] = effective
    return i


def life(acts: list[Event]) -> tuple[list[str], list[InstrumentState]]:
    """An instrument's states from its acts (in the fold's order): ``states[i]`` holds from ``days[i]`` on."""
    worked = _Life()
    for e in acts:
        worked.act(e)
    worked.upto(None)
    return worked.days, worked.states
