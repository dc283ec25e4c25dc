"""Sequences held in another form than a list, equal to any sequence of the same items in the same order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ListLike(Sequence[Any]):
    """Compared item by item with any sequence (not a string), as a list is; unhashable, as a list is."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]
