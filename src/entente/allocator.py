"""Memory a long-running process lets go of is given back to the system, not kept for good.

The C library's allocator (glibc's) takes a large block (a list of a million entries, a record's
bytes as read) from the system directly and gives it back when freed; but each time one is freed it
raises the size it counts as large, up to 32 MB, so after a start has read its snapshot every list
a fold makes and lets go is taken from the process's own heap, and what is freed there mostly stays
the process's.  A server that folds the record for each viewer kept a tenth of its memory that way.
Setting the threshold once fixes it where it starts; nothing changes where the C library is another.
"""

from __future__ import annotations

import ctypes
import ctypes.util

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters, from glibc's malloc.h
LARGE = 128 * 1024  # a block from the system directly from this size up: glibc's own default


def give_back_freed() -> bool:
    """Large blocks from the system and back to it, always; whether the C library took the setting."""
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc: its allocator decides alone
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, LARGE)) and bool(mallopt(_M_TRIM_THRESHOLD, 2 * LARGE))
