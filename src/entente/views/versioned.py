"""A read's answer naming the version of the record it was read from, as every export names it: the field
``record_version``, the viewer's log as signed (``entente/<union>/<viewer> <size> <root hash>``), in each row
of a list and once in an object.  A reader who cites the answer can then prove later which record it came from.

Pure: the version is given by the caller.
"""

from __future__ import annotations

from typing import Any

import msgspec

FIELD = "record_version"


def _plain(data: Any) -> Any:
    return data if isinstance(data, dict) else msgspec.to_builtins(data)


def versioned(data: Any, version: str | None) -> Any:
    """``data`` (rows, or one object) with ``version`` in each row, or in the object; None: the viewer's log
    could not be signed (it does not continue what was signed of it)."""
    if isinstance(data, list | tuple):
        return [{**_plain(row), FIELD: version} for row in data]
    return {**_plain(data), FIELD: version}
