"""Who is looking at the record: the secretariat, the public, or one party's delegation.

Read from ``--as`` and from a token; what each may see is decided by ``clearance``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from entente.vocabulary.viewer_words import VIEWER_WORDS


@dataclass(frozen=True)
class Viewer:
    """Who is looking: the secretariat (sees all), the public, or one party's delegation."""

    kind: str  # "secretariat" | "public" | "party"
    party: str | None = None

    @classmethod
    def parse(cls, text: str) -> Viewer:
        named = VIEWER_WORDS.get(text.strip().lower())
        if named is not None:
            return SECRETARIAT if named == "secretariat" else PUBLIC
        code = text.strip().upper()
        if re.fullmatch(r"[A-Z][A-Z0-9-]{1,15}", code):
            return cls("party", code)
        raise ValueError(f"unknown viewer {text!r}: use a party's code, 'public' or 'secretariat'")

    def __str__(self) -> str:
        return self.party if self.party else self.kind


SECRETARIAT = Viewer("secretariat")
PUBLIC = Viewer("public")
