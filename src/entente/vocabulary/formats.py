"""The versions of the union files' format, and what each changed in what a file means.

A union folder says which version it is written for (``format:`` in ``union.yaml``).  A folder written for an
earlier one is read as written where no change since then touches it; where one does (a setting whose
absence now means something else), it is refused, naming the change, rather than read in the new sense.
"""

from __future__ import annotations

import msgspec

# The version this code writes and reads.
FORMAT = 2


class FormatChange(msgspec.Struct, frozen=True):
    """A change of meaning in a rule kind's settings: a rule of one of ``kinds`` that leaves out ``setting``
    meant ``before`` in the versions before ``version``, and means ``since`` from it on."""

    version: int
    kinds: tuple[str, ...]
    setting: str
    before: str
    since: str


CHANGES: tuple[FormatChange, ...] = (
    FormatChange(version=2, kinds=("periodic_meetings", "host_rotation", "presidency"), setting="series",
                 before="only the meetings recorded with no series", since="every meeting of the instrument"),
)


def changes_since(version: int) -> list[FormatChange]:
    """The changes of meaning a folder written for ``version`` has not seen."""
    return [c for c in CHANGES if c.version > version]


def affects(change: FormatChange, kind: str, settings: dict[str, object]) -> bool:
    return kind in change.kinds and change.setting not in settings


def refusal(change: FormatChange, written_for: int) -> str:
    """A change that touches a rule, said as the refusal names it."""
    return (f"written for format {written_for}, where a {'/'.join(change.kinds)} rule with no {change.setting} "
            f"counted {change.before}; since format {change.version} it counts {change.since}: give "
            f"{change.setting} as meant, then set format: {FORMAT} in union.yaml")
