"""A guard against double taps: the same button of the same message pressed twice in a row.

Only a salted hash of (message, button data) is kept, for a few seconds, in memory: nothing
that names a person, nothing on disk. A second process behind the same webhook does not see it;
the statistics then match rows by their values (see docs/stats.md).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import OrderedDict

WINDOW_SECONDS = 5.0
MAX_KEPT = 10_000


class RecentPresses:
    """Remembers which presses were just handled, by keyed hash, for WINDOW_SECONDS."""

    def __init__(self, window: float = WINDOW_SECONDS) -> None:
        self.window = window
        self.salt = os.urandom(16)
        self.seen: OrderedDict[bytes, float] = OrderedDict()

    def first_time(self, message_key: str, data: str) -> bool:
        """True the first time this press is seen within the window; False for a repeat."""
        now = time.monotonic()
        while self.seen and (
            len(self.seen) > MAX_KEPT or now - next(iter(self.seen.values())) > self.window
        ):
            self.seen.popitem(last=False)
        key = hashlib.blake2b(
            f"{message_key}|{data}".encode(), key=self.salt, digest_size=12
        ).digest()
        if key in self.seen:
            return False
        self.seen[key] = now
        return True
