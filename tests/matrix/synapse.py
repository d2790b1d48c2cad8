"""A real Synapse homeserver on 127.0.0.1 for the Matrix tests: configured, started, stopped.

`Synapse(folder)` writes a closed configuration (no federation, no registration, every rate limit
raised high, SQLite and media in the folder, logs at WARNING in a file) and runs
`python -m synapse.app.homeserver` as a child process. Accounts are made through the
shared-secret admin registration; an admin account made on first need lifts or tightens one
user's message rate limit (`override_ratelimit`), so a test can make Synapse refuse with
M_LIMIT_EXCEEDED. Stdlib only (urllib), so it also serves outside an event loop.
"""

from __future__ import annotations

import ctypes
import hashlib
import hmac
import json
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple, Self
from urllib.parse import quote

SERVER_NAME = "localhost"
START_TIMEOUT = 60.0  # seconds; a cold start takes a few
STOP_TIMEOUT = 10.0
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never an *_proxy variable
HIGH = {"per_second": 10_000, "burst_count": 100_000}  # a rate limit no test reaches
RATE_LIMITS: dict[str, Any] = {
    "rc_message": HIGH,
    "rc_registration": HIGH,
    "rc_registration_token_validity": HIGH,
    "rc_login": {"address": HIGH, "account": HIGH, "failed_attempts": HIGH},
    "rc_admin_redaction": HIGH,
    "rc_joins": {"local": HIGH, "remote": HIGH},
    "rc_joins_per_room": HIGH,
    "rc_key_requests": HIGH,
    "rc_3pid_validation": HIGH,
    "rc_invites": {"per_room": HIGH, "per_user": HIGH, "per_issuer": HIGH},
    "rc_third_party_invite": HIGH,
    "rc_media_create": HIGH,
    "rc_presence": {"per_user": HIGH},
    "rc_delayed_event_mgmt": HIGH,
    "rc_room_creation": HIGH,
    "rc_reports": HIGH,
    "rc_user_directory": HIGH,
    "rc_profile": HIGH,
}


class Account(NamedTuple):
    """A registered user: its id, and the access token and device of the registration login."""

    user_id: str
    access_token: str
    device_id: str


class SynapseError(RuntimeError):
    """Synapse did not start, or answered an HTTP error to the harness."""


def die_with_parent() -> None:
    """In the child before exec, on Linux: SIGTERM when the test process dies unannounced."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def logging_config(log_file: Path) -> dict[str, Any]:
    """Python logging for Synapse: WARNING and above, to one file, nothing on the console."""
    return {
        "version": 1,
        "formatters": {"plain": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
        "handlers": {
            "file": {
                "class": "logging.FileHandler",
                "formatter": "plain",
                "filename": str(log_file),
                "level": "WARNING",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def homeserver_config(folder: Path, port: int, shared_secret: str) -> dict[str, Any]:
    """A closed homeserver: one plain HTTP client listener on 127.0.0.1, no federation at all."""
    return {
        "server_name": SERVER_NAME,
        "public_baseurl": f"http://127.0.0.1:{port}/",
        "pid_file": str(folder / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(folder / "homeserver.db")}},
        "media_store_path": str(folder / "media_store"),
        "signing_key_path": str(folder / "signing.key"),  # generated at first start
        "log_config": str(folder / "log_config.yaml"),
        "report_stats": False,
        "enable_metrics": False,
        "url_preview_enabled": False,
        "enable_registration": False,
        "registration_shared_secret": shared_secret,
        "macaroon_secret_key": secrets.token_hex(32),
        "form_secret": secrets.token_hex(32),
        "bcrypt_rounds": 4,  # the minimum: registration and login stay fast
        "federation_domain_whitelist": [],
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "serve_server_wellknown": False,
        **RATE_LIMITS,
    }


class Synapse:
    """One Synapse homeserver process serving the client and admin APIs on 127.0.0.1."""

    def __init__(self, folder: Path) -> None:
        """Nothing runs yet: `start` writes the configuration and starts the process."""
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server_name = SERVER_NAME
        self.log_file = folder / "homeserver.log"
        self.output_file = folder / "homeserver.out"
        self.startup_seconds = 0.0
        self._shared_secret = secrets.token_hex(32)
        self._process: subprocess.Popen[bytes] | None = None
        self._admin_token: str | None = None

    def __enter__(self) -> Self:
        """Start on entering a `with` block."""
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        """Stop on leaving it, whatever happened."""
        self.stop()

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Write the configuration, start the process, return once the client API answers."""
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "homeserver.yaml"
        # JSON is YAML: no YAML writer needed.
        config.write_text(
            json.dumps(homeserver_config(self.folder, self.port, self._shared_secret))
        )
        (self.folder / "log_config.yaml").write_text(json.dumps(logging_config(self.log_file)))
        command = [
            sys.executable,
            "-m",
            "synapse.app.homeserver",
            "--config-path",
            str(config),
        ]  # by default Synapse generates the missing signing key, then runs
        started = time.monotonic()
        with self.output_file.open("wb") as output:
            self._process = subprocess.Popen(
                command,
                cwd=self.folder,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                preexec_fn=die_with_parent,  # a killed pytest leaves no homeserver behind
            )
        try:
            self._wait_until_ready(started + timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started

    def _wait_until_ready(self, deadline: float) -> None:
        """Poll GET /_matrix/client/versions until it answers; fail with the logs' tails."""
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise SynapseError(f"Synapse exited with {self._process.returncode}\n{self.tail()}")
            try:
                self.request("GET", "/_matrix/client/versions", timeout=1.0)
            except (OSError, SynapseError):
                time.sleep(0.05)
            else:
                return
        raise SynapseError(f"Synapse did not answer within the start timeout\n{self.tail()}")

    def tail(self, lines: int = 40) -> str:
        """The last lines of Synapse's log and of its console output, for failure messages."""
        parts = []
        for path in (self.log_file, self.output_file):
            text = path.read_text(errors="replace") if path.exists() else ""
            parts.append(f"--- {path.name}\n" + "\n".join(text.splitlines()[-lines:]))
        return "\n".join(parts)

    def stop(self) -> None:
        """Terminate the process, kill it if it lingers, and always reap it."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    @property
    def pid(self) -> int:
        """The homeserver's process id (0 when stopped)."""
        return self._process.pid if self._process is not None else 0

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        access_token: str | None = None,
        timeout: float = 10.0,
    ) -> dict[str, Any]:
        """One JSON request to the homeserver; an HTTP error raises SynapseError with its body."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if access_token:
            headers["Authorization"] = f"Bearer {access_token}"
        request = urllib.request.Request(  # noqa: S310 - always our http://127.0.0.1 URL
            self.url + path, data=data, headers=headers, method=method
        )
        try:
            with DIRECT.open(request, timeout=timeout) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")
            raise SynapseError(f"{method} {path}: HTTP {error.code} {detail}") from None

    def register(self, localpart: str, password: str, admin: bool = False) -> Account:
        """A new account through the shared-secret admin registration (nonce, then HMAC-SHA1)."""
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(self._shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, localpart, password):
            mac.update(part.encode() + b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        answer = self.request("POST", "/_synapse/admin/v1/register", body)
        return Account(answer["user_id"], answer["access_token"], answer["device_id"])

    def admin_token(self) -> str:
        """The access token of the harness's admin account, registered on first need."""
        if self._admin_token is None:
            account = self.register("harness-admin", secrets.token_hex(16), admin=True)
            self._admin_token = account.access_token
        return self._admin_token

    def override_ratelimit(self, user_id: str, messages_per_second: int, burst_count: int) -> None:
        """Give one user its own message rate limit (0 and 0 lift it: no limit at all)."""
        body = {"messages_per_second": messages_per_second, "burst_count": burst_count}
        self.request("POST", self._ratelimit_path(user_id), body, self.admin_token())

    def delete_override_ratelimit(self, user_id: str) -> None:
        """Give the user back the configured message rate limit."""
        self.request("DELETE", self._ratelimit_path(user_id), None, self.admin_token())

    @staticmethod
    def _ratelimit_path(user_id: str) -> str:
        """The admin API path of a user's rate limit override."""
        return f"/_synapse/admin/v1/users/{quote(user_id, safe='')}/override_ratelimit"
