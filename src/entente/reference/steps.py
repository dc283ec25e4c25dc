"""The trace steps page: for every rule kind, each step its traces name and what it holds, from the code."""

from __future__ import annotations

from entente.reference.words import cell
from entente.views.trace_steps import COUNT, STEPS


def _table(steps: dict[str, str]) -> list[str]:
    rows = [f"| `{name}` | {cell(what)} |" for name, what in steps.items()]
    return ["| step | what it holds |", "| --- | --- |", *rows]


def page() -> str:
    out = ["# Trace steps", "",
           "What each rule kind's trace gives under `steps` (`entente why FINDING --json`, "
           "`GET /api/findings/{id}/trace`), so that its verdict can be worked out again from them alone. "
           "[Why a verdict](../why.md) says how each verdict follows from them.", ""]
    for kind, steps in STEPS.items():
        out += [f"## {kind}", "", *_table(steps), ""]
    out += ["## A vote count", "", "The step `count` of a proposal, a consultation's joint position or a consent:",
            "", *_table(COUNT)]
    return "\n".join(out)
