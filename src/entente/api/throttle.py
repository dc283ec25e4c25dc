"""Failed sign-ins slowed down: an address that keeps presenting bad tokens is made to wait, longer each time.

A token is 256 random bits, so guessing one is hopeless; the wait is there so
that a flood of bad tokens costs its sender time and not the server work.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Record:
    failures: int
    until: float  # no token from this address is looked at before this moment


class Throttle:
    """Counts failed sign-ins per client address; after ``free`` of them each further one doubles the wait
    (one second, two, four… up to ``longest``).  A success clears the address."""

    def __init__(self, free: int = 20, longest: float = 300.0, addresses: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.free, self.longest, self.addresses, self.clock = free, longest, addresses, clock
        self._records: OrderedDict[str, _Record] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Seconds ``address`` must still wait before a token it presents is looked at (0: none)."""
        with self._lock:
            record = self._records.get(address)
            return 0.0 if record is None else max(0.0, record.until - self.clock())

    def failed(self, address: str) -> None:
        with self._lock:
            record = self._records.pop(address, None) or _Record(0, 0.0)
            record.failures += 1
            if record.failures >= self.free:
                record.until = self.clock() + min(self.longest, 2.0 ** (record.failures - self.free))
            self._records[address] = record
            while len(self._records) > self.addresses:  # the longest-quiet addresses are forgotten first
                self._records.popitem(last=False)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._records.pop(address, None)
