"""`chaisevide matrix` as its own process against the test homeserver, as an operator runs it.

Its standard error is the log the privacy tests scan; its statistics file and its store are in a
temporary folder; stopping it is a SIGTERM, and starting it again reuses its device and store.
"""

from __future__ import annotations

import os
import secrets
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.matrix.synapse import Synapse

START_TIMEOUT = 30.0
READY_LINE = "Matrix mode, syncing"


class BotProcess:
    """The Matrix bot of one test: its account, folder, environment and process."""

    def __init__(self, homeserver: Synapse, folder: Path, **environment: str) -> None:
        """An account registered for the bot; nothing runs until `start`."""
        self.homeserver = homeserver
        self.folder = folder
        self.password = secrets.token_hex(12)
        localpart = f"chaisevide-{secrets.token_hex(3)}"
        self.user_id = homeserver.register(localpart, self.password).user_id
        self.db_path = folder / "statistiques.sqlite"
        self.store = folder / "store"
        self.log_path = folder / "bot.log"
        self.environment = {
            "MATRIX_HOMESERVER": homeserver.url,
            "MATRIX_USER_ID": self.user_id,
            "MATRIX_PASSWORD": self.password,
            "CHAISEVIDE_MATRIX_STORE": str(self.store),
            "CHAISEVIDE_MATRIX_STORE_KEY": secrets.token_urlsafe(24),
            "CHAISEVIDE_DB": str(self.db_path),
            "CHAISEVIDE_JURISDICTIONS": "fr,be",
            "CHAISEVIDE_CACHE_DIR": str(folder / "cache"),
            **environment,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Run `chaisevide matrix` and wait until it syncs (its log says so)."""
        env = {key: value for key, value in os.environ.items() if not key.startswith("MATRIX_")}
        env.pop("TELEGRAM_BOT_TOKEN", None)
        env |= self.environment
        started = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli.main", "matrix"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=Path(__file__).resolve().parents[2],
            )
        deadline = time.monotonic() + START_TIMEOUT
        while READY_LINE not in self.log()[started:]:
            if self.process.poll() is not None:
                raise AssertionError(f"the bot stopped: {self.log()[-2000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"the bot did not start: {self.log()[-2000:]}")
            time.sleep(0.05)

    def stop(self) -> int:
        """SIGTERM, as systemd and Docker stop it; its exit status."""
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            status = self.process.wait()
        self.process = None
        return status

    def log(self) -> str:
        """Everything the bot wrote so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def rows(
        self,
        timeout: float = 10.0,
        count: int = 1,
        until: Callable[[list[dict[str, object]]], bool] = lambda _: True,
    ) -> list[dict[str, object]]:
        """The statistics rows, once at least `count` are written and `until` holds (the writer
        is a thread): what is there at the timeout otherwise."""
        deadline = time.monotonic() + timeout
        while True:
            found: list[dict[str, object]] = []
            if self.db_path.exists():
                with sqlite3.connect(self.db_path) as connection:
                    connection.row_factory = sqlite3.Row
                    try:
                        found = [
                            dict(row) for row in connection.execute("SELECT * FROM consultations")
                        ]
                    except sqlite3.OperationalError:
                        found = []
            if (len(found) >= count and until(found)) or time.monotonic() > deadline:
                return found
            time.sleep(0.1)
