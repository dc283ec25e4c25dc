"""Host rotation: which party hosts each meeting of a series, read one of three ways.

``each_once_per_cycle``: in every run of N meetings (N parties) each party hosts once, in any order;
``strict_order``: hosts follow a fixed order (``order``, else the order of the first cycle);
``not_twice_in_a_row``: no party hosts two meetings running.
"""

from __future__ import annotations

from typing import Literal

import msgspec

from entente.replay.dated import instrument_on
from entente.rules.base import Context, Due, Finding, Series, Status, in_series, meeting_label
from entente.vocabulary import dates
from entente.vocabulary.events import ConferenceConvened, ConferenceHeld, Event, PartyCode
from entente.vocabulary.said import Said, Value, listed, said

_SAID_READINGS = {
    "each_once_per_cycle": said("in turn: in every run of as many meetings as there are parties, each party hosts "
                                "once"),
    "strict_order": said("in turn: the hosts follow one fixed order"),
    "not_twice_in_a_row": said("in turn: no party hosts two meetings running"),
}
_READINGS = {name: reading.text for name, reading in _SAID_READINGS.items()}


# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (ConferenceHeld, ConferenceConvened)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``host_rotation`` rule's ``settings`` may say in a treaty file.

    Fields:
        reading: in every run of as many meetings as parties each hosts once; or one fixed order; or no party twice
          running
        order: the fixed order (party codes); empty: the order of the first cycle
        series: the meetings whose hosts rotate; none: every meeting of the instrument
        count_extraordinary: whether extraordinary meetings take a turn
    """

    reading: Literal["each_once_per_cycle", "strict_order", "not_twice_in_a_row"] = "each_once_per_cycle"
    order: tuple[PartyCode, ...] = ()
    series: Series = None
    count_extraordinary: bool = False


def _meetings(ctx: Context) -> list[tuple[ConferenceHeld, Settings]]:
    """The meetings the rule judges, each with the settings in force on its day (none before the rule applied)."""
    out = []
    for e in ctx.state.conferences:
        if e.instrument != ctx.treaty.instrument or e.host is None or e.inferred:
            continue
        then = ctx.settings_on(dates.start(e.date))
        if then is not None and in_series(e, then.series) and (then.count_extraordinary or not e.extraordinary):
            out.append((e, then))
    return out


def _label(m: ConferenceHeld) -> Said:
    return meeting_label(m, m.host or "None")


def _parties(ctx: Context, s: Settings, day: str) -> list[str]:
    """The parties that take turns on ``day``: those bound then (before the entry into force, the signatories),
    in the fixed order where there is one."""
    bound = ctx.bound(day) or (ctx.instrument.signatories if ctx.instrument else [])
    return [p for p in s.order if p in bound] if s.order else sorted(bound)


def _after(order: list[str], previous: str | None, bound: list[str]) -> str:
    """The party after ``previous`` in ``order`` (the first, with none before), passing over any not bound.

    Where none of them is bound (before the entry into force) none is passed over.
    """
    start = order.index(previous) + 1 if previous in order else 0
    turn = order[start:] + order[:start]
    return next((p for p in turn if p in bound), turn[0])


def _walk(ctx: Context, s: Settings, judged: bool = True) -> tuple[list[Finding], list[str]]:
    """A finding per meeting (none, where not ``judged``), and the hosts the next meeting may have under ``s``,
    the settings in force."""
    findings: list[Finding] = []
    # The parties taking turns change only with who is bound: worked out once for each state of the instrument.
    turns: dict[tuple[int, tuple[str, ...]], list[str]] = {}

    def parties_on(s: Settings, day: str) -> list[str]:
        key = id(instrument_on(ctx.dated, ctx.treaty.instrument, day)), s.order  # each state is held by the dated state
        if (found := turns.get(key)) is None:
            found = turns[key] = _parties(ctx, s, day)
        return found

    now, order = s, list(s.order)
    cycle: list[str] = []
    previous: str | None = None
    current: Settings | None = None
    for m, then in _meetings(ctx):
        if then != current:  # a decision changed the rotation: it starts afresh under the new settings
            s, current, order, cycle, previous = then, then, list(then.order), [], None
        parties, reading = parties_on(s, dates.start(m.date)), ctx.spec.reading or _READINGS[s.reading]
        host = m.host or ""
        if all(p in cycle for p in parties):  # every party taking turns has hosted: a new cycle begins
            order = order or list(cycle)  # under strict order without a fixed one, the first cycle sets it
            cycle = []
        steps = {"settings_day": dates.start(m.date), "rotation": s.reading, "host": host, "previous_host": previous,
                 "hosted_in_cycle": list(cycle), "taking_turns": list(parties)}
        if s.reading == "not_twice_in_a_row":
            ok = host != previous
            why: Value = said("%(host)s also hosted the meeting before", host=host) if judged and not ok else ""
        elif s.reading == "strict_order":
            source = order or cycle
            expected = _after(order, previous, ctx.bound(dates.start(m.date))) if previous in order else None
            if not order and host in cycle:
                expected = next((p for p in parties if p not in cycle), None)
            ok = expected in (None, host)
            steps["expected_host"] = expected
            why = said("by the order %(order)s the host was %(expected)s", order=listed(source, "→"),
                       expected=str(expected)) if judged and not ok else ""
        else:
            ok = host not in cycle
            why = said("%(host)s already hosted in this cycle (%(cycle)s)", host=host, cycle=listed(cycle, ","))\
                if judged and not ok else ""
        if not ok:
            cycle = []  # a broken cycle starts again from this meeting
        cycle.append(host)
        previous = host
        if judged:
            status: Status = "met" if ok else "breach"
            detail = said("%(meeting)s hosted by %(host)s", meeting=_label(m), host=host) if ok else \
                said("%(meeting)s hosted by %(host)s: %(why)s", meeting=_label(m), host=host, why=why)
            findings.append(ctx.finding(status, detail, subject=_label(m), reading=reading, evidence=[m.id],
                                        parties=[host] if host else [], steps=steps))
    if current != now:  # changed since the last meeting: the next one starts the rotation afresh
        s, order, cycle, previous = now, list(now.order), [], None
    parties = _parties(ctx, s, ctx.at)
    remaining = [p for p in parties if p not in cycle]
    if s.reading == "not_twice_in_a_row":
        nxt = [p for p in parties if p != previous]
    elif s.reading == "strict_order" and (order or (cycle and not remaining)):
        nxt = [_after(order or cycle, previous, ctx.bound(ctx.at))]
    else:
        # A cycle just completed: the next begins with any party but the last host, so that the turns alternate
        # and no party hosts two meetings running.
        nxt = remaining or [p for p in parties if p != previous] or parties
    return findings, nxt


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings, _ = _walk(ctx, s)
    return findings or [ctx.finding("not_applicable", said("no meeting of the series is recorded yet"),
                                       steps={"meetings": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    _, nxt = _walk(ctx, s, judged=False)
    return [ctx.due("host", said("the next meeting is to be hosted by %(hosts)s (%(cite)s, %(reading)s)",
                                 hosts=listed(nxt, "or_each"), cite=ctx.cited(), reading=_SAID_READINGS[s.reading]),
                    host=nxt[0] if len(nxt) == 1 else None, parties=nxt, series=s.series)]
