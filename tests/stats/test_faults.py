"""Storage faults named plainly — disk full, read-only, corrupt, locked, missing folder — and
recording that starts or resumes by itself once the disk has room again (a real small tmpfs)."""

from __future__ import annotations

import errno
import logging
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from stats import faults
from stats.faults import StoreError, kind_of
from stats.store import open_reader, open_store
from stats.writer import StatsWriter
from tests.stats.conftest import record
from tests.stats.test_writer import LOGGER, count_rows, wait_for, warnings


def mount_tmpfs(where: Path, options: str) -> bool:
    """Mount a tmpfs (root only); False when this machine does not allow it."""
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 512 KiB file system, unmounted afterwards (skipped where mounting is refused)."""
    disk = tmp_path / "disk"
    if not mount_tmpfs(disk, "size=512k"):
        pytest.skip("mounting a small tmpfs needs root")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to its last byte; returns the filler file to delete."""
    filler = disk / "filler"
    full = False
    with filler.open("wb", buffering=0) as stream:
        while not full:
            try:
                stream.write(b"\0" * 4096)
            except OSError as error:
                full = error.errno == errno.ENOSPC
                if not full:
                    raise
    return filler


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (sqlite3.OperationalError("database or disk is full"), faults.DISK_FULL),
        (OSError(errno.ENOSPC, "No space left on device"), faults.DISK_FULL),
        (sqlite3.OperationalError("attempt to write a readonly database"), faults.READ_ONLY),
        (OSError(errno.EROFS, "Read-only file system"), faults.READ_ONLY),
        (sqlite3.DatabaseError("file is not a database"), faults.CORRUPT),
        (sqlite3.OperationalError("database is locked"), faults.LOCKED),
        (NotADirectoryError(20, "Not a directory"), faults.MISSING_FOLDER),
    ],
)
def test_each_fault_has_its_own_kind_and_plain_lines(error: Exception, kind: str) -> None:
    """Each fault is named, in the log (English) and for admins (French, with a next step)."""
    assert kind_of(error) == kind
    assert "CHAISEVIDE_DB" in faults.log_line(kind)
    assert faults.french(kind).endswith(".")
    assert not any(word in faults.french(kind) for word in faults.LOG_LINES)


def test_a_file_that_cannot_be_opened_says_whether_its_folder_is_missing(tmp_path: Path) -> None:
    """« unable to open »: no folder, a file where the folder should be, or just no file yet."""
    error = sqlite3.OperationalError("unable to open database file")
    assert kind_of(error, tmp_path / "nowhere" / "stats.sqlite") == faults.MISSING_FOLDER
    (tmp_path / "a-file").write_text("x")
    assert kind_of(error, tmp_path / "a-file" / "stats.sqlite") == faults.MISSING_FOLDER
    assert kind_of(error, tmp_path / "stats.sqlite") == faults.MISSING
    with pytest.raises(StoreError) as raised:
        open_reader(tmp_path / "nowhere" / "stats.sqlite")
    assert kind_of(raised.value) == faults.MISSING_FOLDER


def test_a_new_file_in_a_read_only_folder_is_called_read_only(tmp_path: Path) -> None:
    """A read-only mount: the file cannot be created there, and that is what the kind says."""
    folder = tmp_path / "ro"
    if not mount_tmpfs(folder, "ro,size=64k"):
        pytest.skip("mounting a read-only tmpfs needs root")
    try:
        with pytest.raises((sqlite3.Error, OSError)) as raised:
            open_store(folder / "stats.sqlite")
        assert kind_of(raised.value, folder / "stats.sqlite") == faults.READ_ONLY
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_pauses_recording_which_creates_the_file_once_space_is_freed(
    small_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A tiny full disk: the file cannot even be created; the log says the disk is full, once;
    when space comes back, the first write creates the file and nothing waiting is lost."""
    caplog.set_level(logging.WARNING, logger=LOGGER)
    path = small_disk / "stats.sqlite"
    filler = fill(small_disk)
    writer = StatsWriter(path, retry_seconds=0.05, busy_seconds=0.1)
    try:
        for _ in range(3):
            writer.submit(record())
        assert not writer.flush(timeout=2)
        logged = warnings(caplog)
        assert len(logged) == 1
        assert logged[0].startswith(
            "statistics: recording paused: the disk holding the CHAISEVIDE_DB file is full "
            "(OperationalError)"
        )
        assert str(small_disk) not in caplog.text
        filler.unlink()
        assert wait_for(lambda: writer.flush(timeout=2))
    finally:
        writer.close()
    assert count_rows(path) == 3
    assert "resumed" in warnings(caplog)[-1]


def test_a_disk_that_fills_up_later_resumes_without_losing_rows(
    small_disk: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The file exists; the disk fills; rows wait; space comes back; every row is written."""
    caplog.set_level(logging.WARNING, logger=LOGGER)
    path = small_disk / "stats.sqlite"
    writer = StatsWriter(path, retry_seconds=0.05, busy_seconds=0.1)
    try:
        writer.submit(record())
        assert writer.flush(timeout=2)
        filler = fill(small_disk)
        for _ in range(200):
            writer.submit(record())
        assert not writer.flush(timeout=2)
        assert "the disk holding the CHAISEVIDE_DB file is full" in warnings(caplog)[0]
        filler.unlink()
        assert wait_for(lambda: writer.flush(timeout=2))
    finally:
        writer.close()
    assert count_rows(path) == 201
