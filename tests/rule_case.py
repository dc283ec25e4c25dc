"""A rule case (``tests/rule_cases/<kind>/<case>.yaml``) read as the rules take it: its union of the parties it
names, its treaty (written as a file and read as one, so the treaty file's own checks apply) and any other
treaties, and its entries."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import yaml

from entente.rules import read_treaty
from entente.vocabulary.events import AnyEvent, Event
from entente.vocabulary.treaty import Treaty
from entente.vocabulary.union import Party, Union
from entente.vocabulary.yamlfile import Located


@dataclass(frozen=True)
class RuleCase:
    case: dict[str, Any]
    union: Union
    treaties: dict[str, Treaty]
    events: list[Event]


def read_case(path: Path, folder: Path) -> RuleCase:
    """The case at ``path``; its treaty file written in ``folder``."""
    case = Located(path).data
    union = Union(id="case", name={"en": path.stem},
                  parties=tuple(Party(code=c, names={"en": c}) for c in case["parties"]))
    treaty_file = folder / "treaty.yaml"
    treaty_file.write_text(yaml.safe_dump(case["treaty"], allow_unicode=True), encoding="utf-8")
    treaties = {t.instrument: t for t in [read_treaty(treaty_file)] + [
        msgspec.convert(extra, Treaty) for extra in case.get("other_treaties", [])]}
    return RuleCase(case, union, treaties, [msgspec.convert(e, AnyEvent) for e in case["events"]])
