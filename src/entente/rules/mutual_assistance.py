"""Mutual assistance: every addressee bound when a party asks for assistance under the instrument answers it.

``form`` and ``trigger`` say what kind of assistance the article promises (a
military one on attack makes a defence pact); they code the alliance and name
the assistance in findings, while the record's requests are judged alike.  A
request on a subject that another rule (of kind ``excluded_subjects``) puts
outside this instrument's undertaking for the requester owes nothing.
"""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from entente.replay.model import RequestState
from entente.rules import excluded_subjects
from entente.rules.base import INFERRED_SAID, Context, Due, Finding, Status, entry_named, titled
from entente.rules.decision import deadline, overdue
from entente.vocabulary import dates
from entente.vocabulary.events import AssistanceRequested, AssistanceResponded, Event, english
from entente.vocabulary.said import Said, Value, listed, parties, said, say, word
from entente.vocabulary.said import day as on_day
from entente.vocabulary.treaty import RuleSpec, Treaty

# The kinds of entry this rule reads beyond those every rule reads (``concerns.EVERY_RULE``): a write of
# another kind is not judged by it.
READS: tuple[type[Event], ...] | None = (AssistanceRequested, AssistanceResponded)


class Settings(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    """What a ``mutual_assistance`` rule's ``settings`` may say in a treaty file.

    Fields:
        form: the assistance promised (names it in findings; codes the alliance)
        trigger: what calls for it (codes the alliance)
        respond_within_days: days within which each addressee answers; none: no deadline
        refusal: whether a refusal breaks the undertaking
    """

    form: Literal["diplomatic", "military"] = "diplomatic"
    trigger: Literal["request", "attack"] = "request"
    respond_within_days: int | None = None
    refusal: Literal["breach", "allowed"] = "breach"


def _requests(ctx: Context, owed: bool = False) -> list[RequestState]:
    """The instrument's requests with every addressee's latest answer (``owed``: those an answer may be owed on)."""
    names = ctx.owed("requests") if owed else None
    return [r for r in ctx.items(ctx.state.requests, names) if r.request.instrument == ctx.treaty.instrument]


def consults(instrument: str, treaty: Treaty, spec: RuleSpec) -> bool:
    """Whether a rule of this kind in ``instrument`` reads the settings of ``spec`` (of ``treaty``): an exception
    from its undertaking, under any reading.  It is judged under each reading of every rule it reads."""
    return spec.kind == "excluded_subjects" and any(
        (read.settings.get("applies_to") or treaty.instrument) == instrument
        for read in (spec, *(spec.read_as(r) for r in spec.readings)))


def _exclusion(ctx: Context, subject: str, requester: str, day: str) -> Said | None:
    """The article (of any treaty in force that day) that puts the subject outside this undertaking, if any."""
    for treaty in ctx.treaties.values():
        for article, spec in treaty.rules():
            if not consults(ctx.treaty.instrument, treaty, spec) or not ctx.bound(day, treaty.instrument):
                continue
            rule = ctx.settings_of(treaty, spec, excluded_subjects.Settings, day)
            if rule is not None and (rule.applies_to or treaty.instrument) == ctx.treaty.instrument \
                    and excluded_subjects.excluded(rule, subject, requester):
                return said("Article %(article)s of %(instrument)s", article=article.article,
                            instrument=treaty.instrument)
    return None


def _judge(ctx: Context, r: RequestState) -> Finding:
    req = r.request
    day = dates.start(req.date)
    s = ctx.settings_for(day)
    bound = ctx.bound(day)
    owing = [a for a in req.addressees if a in bound]
    answers = {p: a for p, a in r.responses.items() if p in owing}
    asked = {"requester": req.requester, "addressees": parties(req.addressees), "form": word(s.form),
             "day": on_day(req.date)}
    # Named by its title where it has one: its id is the finding's subject, a link's target.
    head = said("request “%(title)s”: %(requester)s asked %(addressees)s for %(form)s assistance on %(day)s",
                title=titled(req.title, req.request), **asked) if english(req.title) else \
        said("request %(request)s (%(title)s): %(requester)s asked %(addressees)s for %(form)s assistance on "
             "%(day)s", request=req.request, title=titled(req.title, req.subject), **asked)
    evidence = [req.id] + [a.id for a in answers.values()]
    by = deadline(req.date, s.respond_within_days)
    ended = ctx.instrument.ended if ctx.instrument else None
    # The steps a trace shows, made only for one: a compliance run pays nothing for them.
    steps: dict[str, Any] = {} if not ctx.traced else {
        "settings_day": day, "inferred": req.inferred, "requester": req.requester,
        "requester_bound": req.requester in bound, "owing": owing, "excluded_by": None, "deadline": by,
        "at": ctx.at, "instrument_ended": ended, "refusal": s.refusal,
        "answers": {p: {"response": a.response, "date": a.date} for p, a in answers.items()}}

    def finding(status: Status, detail: Value, concerned: list[str] | None = None) -> Finding:
        return ctx.finding(status, said("%(head)s; %(detail)s", head=head, detail=detail), subject=req.request,
                           about=entry_named(req.title, req.request), evidence=evidence, parties=concerned or [],
                           steps=steps)

    if req.inferred:
        return finding("not_applicable", INFERRED_SAID)
    if req.requester not in bound or not owing:
        who = req.requester if req.requester not in bound else parties(req.addressees)
        return finding("not_applicable", said("not bound by %(instrument)s at the time: %(who)s",
                                              instrument=ctx.treaty.instrument, who=who))
    if (where := _exclusion(ctx, req.subject, req.requester, day)) is not None:
        steps["excluded_by"] = say(where)
        return finding("not_applicable", said("its subject %(subject)s is outside the undertaking by %(where)s",
                                              subject=repr(req.subject), where=where))
    refused = [p for p, a in answers.items() if a.response == "refused"]
    late = [p for p, a in answers.items() if by is not None and dates.start(a.date) > by]
    missing = [p for p in owing if p not in answers]
    unanswered = missing if overdue(by, ctx.at, ended) else []
    problems: list[Value] = [said("%(parties)s refused", parties=parties(refused))] \
        if refused and s.refusal == "breach" else []
    problems += [said("%(parties)s answered only after the deadline %(day)s", parties=parties(late),
                      day=on_day(str(by)))] if late else []
    problems += [said("no answer from %(parties)s by %(day)s", parties=parties(unanswered),
                      day=on_day(str(by), "until"))] if unanswered else []
    if problems:
        at_fault = set(late) | set(unanswered) | (set(refused) if s.refusal == "breach" else set())
        return finding("breach", listed(problems, ";"), [p for p in owing if p in at_fault])
    if missing:
        if ended:
            return finding("not_applicable", said("the record holds no answer of %(parties)s; %(instrument)s ended "
                                                  "on %(day)s", parties=parties(missing),
                                                  instrument=ctx.treaty.instrument, day=on_day(ended)))
        return finding("pending", said("answers of %(parties)s outstanding, due by %(day)s", parties=parties(missing),
                                       day=on_day(by, "until")) if by else
                       said("answers of %(parties)s outstanding", parties=parties(missing)), missing)
    given = [p for p in owing if p not in refused]
    done = said("%(parties)s gave assistance", parties=parties(given)) if given else said("no assistance was given")
    if refused:
        return finding("met", said("%(done)s; %(parties)s refused, which the article allows", done=done,
                                   parties=parties(refused)))
    return finding("met", done)


def evaluate(ctx: Context, s: Settings) -> list[Finding]:
    findings = [_judge(ctx, r) for r in _requests(ctx)]
    return findings or [ctx.finding("not_applicable", said("no assistance has been requested under %(instrument)s",
                                                           instrument=ctx.treaty.instrument),
                                    subject=said("requests"), steps={"requests": 0})]


def due(ctx: Context, s: Settings) -> list[Due]:
    if ctx.instrument is None or ctx.instrument.status != "in_force":
        return []
    items = []
    for r in _requests(ctx, owed=True):
        req = r.request
        bound = ctx.bound(dates.start(req.date))
        owing = [a for a in req.addressees if a in bound and a not in r.responses]
        if not owing or _judge(ctx, r).status == "not_applicable":
            continue
        by = deadline(req.date, ctx.settings_for(dates.start(req.date)).respond_within_days)
        items.append(ctx.due("response", said("answers to request %(request)s (%(title)s) owed by %(parties)s "
                                              "(%(cite)s)", request=req.request, title=titled(req.title, req.subject),
                                              parties=parties(owing), cite=ctx.cited()),
                             by=by, parties=owing, evidence=[req.id]))
    return items
