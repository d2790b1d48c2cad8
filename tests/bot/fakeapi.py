"""A fake Telegram Bot API on 127.0.0.1: records every call, answers like Telegram, injects faults.

Stdlib only (ThreadingHTTPServer in a thread), HTTP/1.1 keep-alive with Nagle disabled, so a
response costs well under a millisecond. Used by the end-to-end tests and by `bench/`.

Faults, as Telegram's front ends produce them: `fail(method, kind, times=n)` makes the next n
calls of a method fail (a burst), `hold(method)` keeps the next call waiting until released, and
`chaos(rate)` fails a share of all calls at random (bounded, seeded) for the chaos run.
"""

from __future__ import annotations

import json
import random
import socket
import struct
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TOKEN = "1234567:TEST-token_for-the-fake-api_0123456"  # noqa: S105 - fake; 7 digits: never real
BOT_ID = 123456789
BOT_USERNAME = "chaisevide_test_bot"
JSON_FIELDS = frozenset(
    {"reply_markup", "commands", "scope", "results", "button", "allowed_updates",
     "link_preview_options", "reply_parameters", "entities"}
)  # fmt: skip
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
KINDS = ("429", "500", "502", "timeout", "reset")
"""The failures of a Bot API under strain: flood control, server errors, bad gateway, a front end
that never answers in time, a connection reset."""
RESET = 0
"""Status meaning: close the connection without answering (a reset)."""
PASS = ""
"""A scripted call that succeeds (before a burst that starts later)."""
CHAOS_METHODS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery",
     "deleteMessage"}
)  # fmt: skip


@dataclass
class Call:
    """One request the bot made: the method, its parameters, and the fault injected if any."""

    method: str
    params: dict[str, Any]
    fault: str = ""


@dataclass
class Fault:
    """A failure to inject on a call: one of `KINDS`, '403', 'chat_not_found' or 'late' (done,
    but answered too late: a timeout after Telegram acted); `seconds` is the retry_after of a 429
    and how long a timeout keeps the call waiting."""

    kind: str
    seconds: float = 1.0
    chat: int | None = None
    """Only a call to this chat meets the fault (None: any call of the method)."""

    def meets(self, params: dict[str, Any]) -> bool:
        """Whether this call meets the fault."""
        return self.chat is None or str(params.get("chat_id")) == str(self.chat)


@dataclass
class Chaos:
    """Random faults on a share of the calls: seeded, and never more than `in_row` in a row for
    one method in one chat, so that every burst ends."""

    rate: float
    kinds: tuple[str, ...] = KINDS
    retry_after: float = 1.0
    hold: float = 1.0
    """How long a timed-out call is kept before its (unread) answer."""
    in_row: int = 3
    rng: random.Random = field(default_factory=lambda: random.Random(0))  # noqa: S311 - chance
    row: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))

    def draw(self, method: str, params: dict[str, Any]) -> Fault | None:
        """The fault for this call, if chance says so."""
        if method not in CHAOS_METHODS:
            return None
        key = (method, str(params.get("chat_id", "")))
        if self.row[key] >= self.in_row or self.rng.random() >= self.rate:
            self.row[key] = 0
            return None
        self.row[key] += 1
        kind = self.rng.choice(self.kinds)
        return Fault(kind, self.retry_after if kind == "429" else self.hold)


@dataclass
class Store:
    """What the fake Telegram remembers: messages by chat, pending updates, answered queries."""

    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    order: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    updates: list[dict[str, Any]] = field(default_factory=list)
    answered: set[str] = field(default_factory=set)
    next_message_id: int = 1000
    next_update_id: int = 1


class FakeBotApi:
    """The fake server: start(), inject faults, push updates, read calls, stop()."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.store = Store()
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self.gates: dict[str, list[tuple[Fault, threading.Event]]] = defaultdict(list)
        self.random_faults: Chaos | None = None
        self.lock = threading.Lock()
        self.updates_ready = threading.Condition(self.lock)
        self.server: ThreadingHTTPServer | None = None
        self.thread: threading.Thread | None = None

    # Life cycle.

    def start(self) -> FakeBotApi:
        """Listen on a free port of 127.0.0.1 in a background thread."""
        self.server = QuietServer(("127.0.0.1", 0), make_handler(self))
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close the socket."""
        if self.server:
            with self.updates_ready:
                self.updates_ready.notify_all()
            for gates in self.gates.values():
                for _, gate in gates:
                    gate.set()
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(timeout=5)
            self.server = None

    @property
    def port(self) -> int:
        """The port the fake listens on."""
        return self.server.server_address[1]

    @property
    def base_url(self) -> str:
        """What TELEGRAM_API_BASE_URL should be: the token and method are appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    # Test helpers.

    def fail(
        self,
        method: str,
        kind: str,
        seconds: float = 1.0,
        times: int = 1,
        after: int = 0,
        chat: int | None = None,
    ) -> None:
        """Make `times` calls of `method` fail, once `after` more have succeeded: one of `KINDS`
        ('429' retries after `seconds`, 'timeout' answers only after `seconds`), '403' or
        'chat_not_found'; only calls to `chat` when one is given."""
        with self.lock:
            queue = self.faults[method]
            queue.extend(Fault(PASS, chat=chat) for _ in range(after))
            queue.extend(Fault(kind, seconds, chat) for _ in range(times))

    def hold(self, method: str, chat: int | None = None) -> threading.Event:
        """Keep the next call of `method` (to `chat`, if given) waiting until the returned event
        is set."""
        gate = threading.Event()
        with self.lock:
            self.gates[method].append((Fault(PASS, chat=chat), gate))
        return gate

    def chaos(self, rate: float, chaos: Chaos | None = None) -> None:
        """Fail about `rate` of the consultation's calls at random, as `chaos` says (0: stop)."""
        with self.lock:
            self.random_faults = replace(chaos or Chaos(rate), rate=rate) if rate else None

    def faulty_calls(self) -> list[Call]:
        """Every call that got an injected fault, in order."""
        with self.lock:
            return [call for call in self.calls if call.fault]

    def push_update(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (polling)."""
        with self.updates_ready:
            update = {"update_id": self.store.next_update_id, **update}
            self.store.next_update_id += 1
            self.store.updates.append(update)
            self.updates_ready.notify_all()

    def calls_to(self, method: str, with_faults: bool = False) -> list[dict[str, Any]]:
        """Parameters of every successful call of a method, in order."""
        with self.lock:
            return [
                c.params for c in self.calls if c.method == method and (with_faults or not c.fault)
            ]

    def chat_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """The bot's messages in a chat as they are now (after edits), oldest first."""
        with self.lock:
            ids = self.store.order[chat_id]
            return [dict(self.store.messages[(chat_id, mid)], message_id=mid) for mid in ids]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """One bot message as it is now."""
        with self.lock:
            return dict(self.store.messages[(chat_id, message_id)], message_id=message_id)

    def add_user_message(self, chat_id: int, message_id: int) -> None:
        """Remember a message the user sent (so that deleting it works like Telegram)."""
        with self.lock:
            self.store.messages[(chat_id, message_id)] = {"text": "", "from_user": True}

    # Request handling.

    def handle(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """Record a call and return (HTTP status, JSON body, seconds to wait before answering)."""
        with self.lock:
            gate = next((g for g in self.gates[method] if g[0].meets(params)), None)
            if gate is not None:
                self.gates[method].remove(gate)
        if gate is not None:
            gate[1].wait()
        with self.lock:
            queue = self.faults[method]
            fault = next((f for f in queue if f.meets(params)), None)
            if fault is not None:
                queue.remove(fault)
            if fault is not None and fault.kind == PASS:
                fault = None
            elif fault is None and self.random_faults is not None:
                fault = self.random_faults.draw(method, params)
            self.calls.append(Call(method, params, fault.kind if fault else ""))
            if fault and fault.kind == "429":
                retry = int(fault.seconds) if fault.seconds == int(fault.seconds) else fault.seconds
                body = {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry}",
                    "parameters": {"retry_after": retry},
                }
                return 429, body, 0.0
            if fault and fault.kind == "500":
                return error(500, "Internal Server Error")
            if fault and fault.kind == "502":
                return error(502, "Bad Gateway")
            if fault and fault.kind == "403":
                return error(403, "Forbidden: bot was blocked by the user")
            if fault and fault.kind == "chat_not_found":
                return error(400, "Bad Request: chat not found")
            if fault and fault.kind == "timeout":
                status, body, _ = error(504, "Gateway Timeout")
                return status, body, fault.seconds
            if fault and fault.kind == "reset":
                return RESET, {}, 0.0
            if fault and fault.kind == "late":  # done, but the answer comes after the client left
                status, body, _ = self._answer(method, params)
                return status, body, fault.seconds
            if method == "getUpdates":
                return self._get_updates(params)
            return self._answer(method, params)

    def _get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """Long polling: pending updates from the offset, waiting a little when there are none."""
        offset = int(params.get("offset") or 0)
        self.store.updates = [u for u in self.store.updates if u["update_id"] >= offset]
        if not self.store.updates:
            wait = min(float(params.get("timeout") or 0), 0.5)
            self.updates_ready.wait(wait)
        return 200, {"ok": True, "result": list(self.store.updates)}, 0.0

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """What Telegram would answer to a successful call."""
        if method == "getMe":
            return ok(bot_user())
        if method in ("sendMessage", "editMessageText", "editMessageReplyMarkup"):
            return self._message(method, params)
        if method == "answerCallbackQuery":
            query_id = str(params.get("callback_query_id"))
            if query_id in self.store.answered:
                return error(400, QUERY_TOO_OLD)
            self.store.answered.add(query_id)
            return ok(True)
        if method == "deleteMessage":
            key = (int(params["chat_id"]), int(params["message_id"]))
            if self.store.messages.pop(key, None) is None:
                return error(400, "Bad Request: message to delete not found")
            return ok(True)
        if method in KNOWN_TRUE:
            return ok(True)
        return error(404, "Not Found: method not found")

    def _message(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """Send or edit a message, refusing an edit that changes nothing, as Telegram does."""
        chat_id = int(params["chat_id"])
        markup = params.get("reply_markup")
        if method == "sendMessage":
            message_id = self.store.next_message_id
            self.store.next_message_id += 1
            self.store.order[chat_id].append(message_id)
            self.store.messages[(chat_id, message_id)] = {
                "text": params["text"],
                "reply_markup": markup,
            }
        else:
            message_id = int(params["message_id"])
            current = self.store.messages.get((chat_id, message_id))
            if current is None:
                return error(400, "Bad Request: message to edit not found")
            new = {"text": params.get("text", current["text"]), "reply_markup": markup}
            if new == current:
                return error(400, NOT_MODIFIED)
            self.store.messages[(chat_id, message_id)] = new
        stored = self.store.messages[(chat_id, message_id)]
        return ok(message_json(chat_id, message_id, stored["text"], stored["reply_markup"]))


KNOWN_TRUE = frozenset(
    {"setMyCommands", "deleteMyCommands", "answerInlineQuery", "setWebhook", "deleteWebhook",
     "close", "logOut"}
)  # fmt: skip


def ok(result: Any) -> tuple[int, dict[str, Any], float]:
    """A successful answer."""
    return 200, {"ok": True, "result": result}, 0.0


def error(code: int, description: str) -> tuple[int, dict[str, Any], float]:
    """A refusal, as Telegram words it."""
    return code, {"ok": False, "error_code": code, "description": description}, 0.0


def bot_user() -> dict[str, Any]:
    """The bot as getMe describes it."""
    return {
        "id": BOT_ID,
        "is_bot": True,
        "first_name": "Chaise vide (test)",
        "username": BOT_USERNAME,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
    }


def chat_json(chat_id: int) -> dict[str, Any]:
    """A chat object: positive ids are private chats, negative ones supergroups."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private"}
    return {"id": chat_id, "type": "supergroup", "title": "Équipe"}


def message_json(chat_id: int, message_id: int, text: str, markup: Any = None) -> dict[str, Any]:
    """A message sent by the bot."""
    message = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat_json(chat_id),
        "from": bot_user(),
        "text": text,
    }
    if markup:
        message["reply_markup"] = markup
    return message


def parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Form or JSON parameters; JSON-valued fields (reply_markup…) decoded."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    params: dict[str, Any] = dict(parse_qsl(body.decode(), keep_blank_values=True))
    for key in JSON_FIELDS & params.keys():
        params[key] = json.loads(params[key])
    return params


class QuietServer(ThreadingHTTPServer):
    """A threading server whose client disconnections are not printed."""

    daemon_threads = True
    request_queue_size = 256  # many keep-alive clients connect at once (bench)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away (a timeout test) is expected: stay quiet."""


def make_handler(api: FakeBotApi) -> type[BaseHTTPRequestHandler]:
    """The request handler class bound to one fake."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            """Answer one Bot API call."""
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            prefix = f"/bot{api.token}/"
            if not self.path.startswith(prefix):
                self.reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            params = parse_body(self.headers.get("Content-Type", ""), body)
            status, answer, delay = api.handle(self.path[len(prefix) :], params)
            if status == RESET:
                self.reset()
                return
            if delay:
                time.sleep(delay)
            self.reply(status, answer)

        def reset(self) -> None:
            """Drop the connection without an answer: the client reads a reset (RST)."""
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        def reply(self, status: int, answer: dict[str, Any]) -> None:
            """Write headers and body in one send."""
            payload = json.dumps(answer).encode()
            head = (
                f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n"
            ).encode()
            try:
                self.wfile.write(head + payload)
                self.wfile.flush()
            except OSError:  # the client gave up (timeout test)
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:
            """No access log (it would print request paths containing the token)."""

    return Handler
