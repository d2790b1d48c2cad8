"""Recording off the hot path: callers enqueue, one background thread writes batches.

The caller's cost is a `put_nowait`. A missing, locked, read-only or corrupt file never blocks
nor fails the caller: the writer logs the problem once (its kind and the error type, never a
path or a value), keeps the rows in memory (up to a bound) and tries again later, so recording
resumes by itself when the file is usable again.

The writer also sweeps: rows still 'open' from an earlier day are consultations people left, and
become 'abandoned' — when the writer starts, then at most once an hour (on a write, or while
idle). `today` is the clock of record days and of the sweep (tests move it forward).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stats.record import Record

if TYPE_CHECKING:
    from sqlite_utils import Database

log = logging.getLogger("chaisevide.stats")

_STOP = object()


class StatsWriter:
    """A background thread writing records to the statistics file, in batches."""

    def __init__(
        self,
        path: Path,
        *,
        category: str = "CHAISEVIDE_DB",
        retry_seconds: float = 30.0,
        busy_seconds: float = 2.0,
        batch_size: int = 500,
        max_pending: int = 10_000,
        sweep_seconds: float = 3600.0,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.path = path
        self.sweep_seconds = sweep_seconds
        self.today = today
        self.swept = 0
        self._next_sweep = 0.0  # due at once: the first thing the thread does
        self._sweep_owed = False  # a sweep failed: the next write does it
        self.category = category
        self.retry_seconds = retry_seconds
        self.busy_seconds = busy_seconds
        self.batch_size = batch_size
        self.max_pending = max_pending
        self.written = 0
        self.dropped = 0
        self.unmatched_feedback = 0
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max_pending)
        self._pending: list[Record] = []
        self._db: Database | None = None
        self._failing = False
        self._next_try = 0.0
        self._closed = False
        self._full_logged = False
        self._thread = threading.Thread(target=self._run, name="chaisevide-stats", daemon=True)
        self._thread.start()

    # The caller's side: never blocks, never raises.

    def submit(self, item: Record) -> None:
        """Queue one record for writing; a full queue drops it (logged once)."""
        if self._closed:
            return
        try:
            self._queue.put_nowait(item)
        except queue.Full:
            self.dropped += 1
            if not self._full_logged:
                self._full_logged = True
                log.warning(
                    "statistics: queue full, rows dropped (the file has been unusable long)"
                )

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until what was submitted so far had a write attempt; True if nothing is pending."""
        done = threading.Event()
        try:
            self._queue.put(done, timeout=timeout)
        except queue.Full:
            return False
        return done.wait(timeout) and not self._pending and not self._failing

    def close(self, timeout: float = 2.0) -> bool:
        """Write what is left (one last attempt) and stop; True when everything was written."""
        if self._closed:
            return not self._pending
        self._closed = True
        try:
            self._queue.put(_STOP, timeout=timeout)
        except queue.Full:
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive() and not self._pending

    # The writer thread.

    def _run(self) -> None:
        """Collect batches, write them, retry later when the file is unusable; sweep hourly."""
        self._sweep_idle()
        while True:
            now = time.monotonic()  # with rows waiting, their next try also sweeps when due
            wait = max(0.0, (self._next_try if self._pending else self._next_sweep) - now)
            try:
                first = self._queue.get(timeout=wait)
            except queue.Empty:
                self._attempt()
                self._sweep_idle()
                continue
            items = [first]
            while len(items) < self.batch_size:
                try:
                    items.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = False
            flushes = []
            for item in items:
                if item is _STOP:
                    stop = True
                elif isinstance(item, threading.Event):
                    flushes.append(item)
                else:
                    self._keep(item)  # type: ignore[arg-type]
            if stop or flushes or time.monotonic() >= self._next_try:
                self._attempt(force=stop or bool(flushes))
            for flushed in flushes:
                flushed.set()
            if stop:
                self._disconnect()
                return

    def _keep(self, item: Record) -> None:
        """Hold a record until it is written; beyond the bound, the oldest are dropped."""
        self._pending.append(item)
        overflow = len(self._pending) - self.max_pending
        if overflow > 0:
            del self._pending[:overflow]
            self.dropped += overflow

    def _attempt(self, force: bool = False) -> None:
        """Try to write every pending record; on failure log once and schedule a retry."""
        if not self._pending or (not force and time.monotonic() < self._next_try):
            return
        from stats import store  # imported here: the caller's start-up never pays for sqlite-utils

        try:
            if self._db is None:
                self._db = store.open_store(self.path, busy_seconds=self.busy_seconds)
            if self._sweep_owed or time.monotonic() >= self._next_sweep:
                self._sweep(self._db)
            while self._pending:
                batch = self._pending[: self.batch_size]
                self.unmatched_feedback += store.write(self._db, batch)
                del self._pending[: len(batch)]  # a failed batch was rolled back: it stays
                self.written += len(batch)
        except Exception as error:
            self._fail(error)
            return
        if self._failing:
            self._failing = False
            log.warning("statistics: recording resumed, the %s file is usable again", self.category)

    def _sweep(self, db: Database) -> None:
        """Mark the open rows of earlier days abandoned (an error is the caller's to handle)."""
        from stats import store

        self.swept += store.sweep(db, self.today())
        self._next_sweep = time.monotonic() + self.sweep_seconds
        self._sweep_owed = False

    def _sweep_idle(self) -> None:
        """The sweep when nothing is being written: at start, then hourly.

        It never creates the file (it is created at the first consultation), and a file that
        cannot be swept now is left to the next write, which reports its problem once.
        """
        if self._pending or time.monotonic() < self._next_sweep:
            return
        self._next_sweep = time.monotonic() + self.sweep_seconds
        from stats import store

        try:
            if self._db is not None:
                self._sweep(self._db)
                return
            if not self.path.is_file():
                return
            db = store.open_store(self.path, create=False, busy_seconds=self.busy_seconds)
            try:
                self._sweep(db)
            finally:
                db.close()  # a file only swept is not held open
        except Exception:  # the next write sweeps (and logs its problem, if it has one)
            self._disconnect()
            self._sweep_owed = True
            self._next_sweep = time.monotonic() + self.retry_seconds  # or, idle, a retry

    def _fail(self, error: Exception) -> None:
        """Remember the failure, close the connection, log the first one of an episode."""
        from stats.faults import kind_of, log_line

        self._disconnect()
        self._next_try = time.monotonic() + self.retry_seconds
        if not self._failing:
            self._failing = True
            log.warning(
                "statistics: recording paused: %s (%s); consultations go on "
                "and recording resumes by itself when the file is usable",
                log_line(kind_of(error, self.path), self.category),
                type(error).__name__,
            )

    def _disconnect(self) -> None:
        """Close the connection (a replaced or repaired file is reopened on the next attempt)."""
        if self._db is not None:
            with contextlib.suppress(Exception):  # closing a broken connection may fail too
                self._db.close()
            self._db = None
