"""The whole consultation state in a button's callback data (≤ 64 bytes), signed, and in deep links.

Callback data, ASCII only:

    1 kkkk j aaaaaaaa s c [vvvvvvvv] [oooooooo] A[args] mmmmmmmm
    │ │    │ │        │ │  │          │          │        └ MAC: 6 bytes of HMAC-SHA256 (8)
    │ │    │ │        │ │  │          │          └ action char and its arguments (1 to 7)
    │ │    │ │        │ │  │          └ group only: keyed hash of the owner's user id (8)
    │ │    │ │        │ │  └ upper-case channel only: the answers of the verdict already shown,
    │ │    │ │        │ │    while the person changes an answer (like aaaaaaaa; see `settled`)
    │ │    │ │        │ └ channel: p private, i private opened from an inline card, g group;
    │ │    │ │        │   upper case (P, I, G) when a verdict was already shown
    │ │    │ │        └ back steps, base36 (capped at 35)
    │ │    │ └ one char per question of contract.QUESTION_ORDER: choice index in base36, '-' if none
    │ │    └ jurisdiction whose choices the indices refer to (index in contract.JURISDICTIONS)
    │ └ first 4 chars of KnowledgeBase.version
    └ format version

At most 1 + 4 + 1 + 8 + 1 + 1 + 8 + 8 + 7 + 8 = 47 bytes. A deep-link payload is the first 16
chars (format to channel, lower case) without the rest: it only carries answers, checked on
arrival.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from knowledge import contract

FORMAT = "1"
KB_CHARS = 4
MAC_CHARS = 8
OWNER_CHARS = 8
MAX_BYTES = 64
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
UNANSWERED = "-"
HEADER_CHARS = 1 + KB_CHARS + 1 + len(contract.QUESTION_ORDER) + 1 + 1
PAYLOAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

PRIVATE, INLINE, GROUP = "p", "i", "g"
CHANNELS = {PRIVATE: "private", INLINE: "inline", GROUP: "group"}
MAX_BACK_STEPS = len(DIGITS) - 1
"""The most back steps a button carries (one base36 char)."""
SETTLED_CHARS = len(contract.QUESTION_ORDER)


class Action:
    """One char per thing a button can ask for; arguments follow the char."""

    ANSWER = "a"  # + question char + choice char
    BACK = "b"
    CHANGE = "c"  # + question char
    CHANGE_MENU = "m"
    VERDICT_KEYS = "k"
    RESTART = "r"
    URGENCE = "u"
    HELP = "h"
    QUESTION = "q"
    FEEDBACK = "f"  # + '1' (👍) or '0' (👎)
    REASON = "w"  # + index in texts.FEEDBACK_REASONS
    START = "s"
    DELETE = "x"  # + message id in base36
    NOTHING = "n"


class BadButtonError(ValueError):
    """Callback data or a payload that is not ours, was altered, or cannot be read."""


@dataclass(frozen=True)
class State:
    """A consultation as buttons carry it: answers by id, back steps, channel and owner."""

    kb: str
    jurisdiction: str
    answers: Mapping[str, str] = field(default_factory=dict)
    back_steps: int = 0
    channel: str = PRIVATE
    owner: str = ""
    settled: Mapping[str, str] | None = None
    """The answers of the verdict already shown, while the person changes an answer (None
    before any verdict): statistics then update that verdict's row instead of counting anew."""


@dataclass(frozen=True)
class Press:
    """What a button asks: an action with its argument, on a state."""

    state: State
    action: str
    argument: str = ""


def to_base36(number: int) -> str:
    """A non-negative integer in base36."""
    text = ""
    while True:
        number, digit = divmod(number, 36)
        text = DIGITS[digit] + text
        if number == 0:
            return text


def from_base36(text: str) -> int:
    """Read a base36 integer; garbage is a BadButtonError."""
    if not text or any(char not in DIGITS for char in text):
        raise BadButtonError("not base36")
    return int(text, 36)


def choices_of(jurisdiction: str, question_id: str) -> tuple[str, ...]:
    """The choice ids a question's index refers to."""
    if question_id == "jurisdiction":
        return contract.JURISDICTIONS
    return contract.CHOICES[jurisdiction][question_id]


def encode_answers(jurisdiction: str, answers: Mapping[str, str]) -> str:
    """One char per question in contract order: the choice index, or '-'."""
    chars = []
    for question_id in contract.QUESTION_ORDER:
        choice = answers.get(question_id)
        chars.append(
            UNANSWERED
            if choice is None
            else DIGITS[choices_of(jurisdiction, question_id).index(choice)]
        )
    return "".join(chars)


def decode_answers(jurisdiction: str, text: str) -> dict[str, str]:
    """Back from one char per question to answers by id; out-of-range indices are errors."""
    answers = {}
    for question_id, char in zip(contract.QUESTION_ORDER, text, strict=True):
        if char == UNANSWERED:
            continue
        index = from_base36(char)
        choices = choices_of(jurisdiction, question_id)
        if index >= len(choices):
            raise BadButtonError("choice index out of range")
        answers[question_id] = choices[index]
    return answers


def encode_settled(state: State) -> str:
    """The settled answers, with the choices of their own country (it may have been changed)."""
    settled = state.settled or {}
    return encode_answers(settled.get("jurisdiction", state.jurisdiction), settled)


def decode_settled(jurisdiction: str, text: str) -> dict[str, str]:
    """Back from `encode_settled`: the country char first, then the answers in its choices."""
    if len(text) != SETTLED_CHARS:
        raise BadButtonError("settled answers cut short")
    if text[0] != UNANSWERED:
        index = from_base36(text[0])
        if index >= len(contract.JURISDICTIONS):
            raise BadButtonError("unknown jurisdiction")
        jurisdiction = contract.JURISDICTIONS[index]
    return decode_answers(jurisdiction, text)


def question_char(question_id: str) -> str:
    """A question as one char (its place in contract order)."""
    return DIGITS[contract.QUESTION_ORDER.index(question_id)]


def question_of(char: str) -> str:
    """Back from one char to a question id."""
    index = from_base36(char)
    if index >= len(contract.QUESTION_ORDER):
        raise BadButtonError("question index out of range")
    return contract.QUESTION_ORDER[index]


class Codec:
    """Packs and reads states; keys are derived from the bot token so every process agrees."""

    def __init__(self, token: str, kb_version: str) -> None:
        secret = token.encode()
        self._mac_key = hmac.new(secret, b"chaisevide/callback-mac/v1", hashlib.sha256).digest()
        self._owner_key = hmac.new(secret, b"chaisevide/owner/v1", hashlib.sha256).digest()
        self.kb = kb_version[:KB_CHARS].ljust(KB_CHARS, "0")

    def owner_tag(self, user_id: int) -> str:
        """A short keyed hash of a user id: recognises the owner, never reveals the id."""
        digest = hmac.new(self._owner_key, str(user_id).encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:6]).decode()

    def _mac(self, body: str) -> str:
        """The signature of a body."""
        digest = hmac.new(self._mac_key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:6]).decode()

    def _header(self, state: State, settled: bool = False) -> str:
        """Format to channel: the part shared by callback data and deep links."""
        law = DIGITS[contract.JURISDICTIONS.index(state.jurisdiction)]
        answers = encode_answers(state.jurisdiction, state.answers)
        back = DIGITS[min(state.back_steps, MAX_BACK_STEPS)]
        channel = state.channel.upper() if settled else state.channel
        return f"{FORMAT}{state.kb}{law}{answers}{back}{channel}"

    def pack(self, state: State, action: str, argument: str = "") -> str:
        """Callback data for one button."""
        owner = state.owner if state.channel == GROUP else ""
        settled = state.settled is not None
        header = self._header(state, settled) + (encode_settled(state) if settled else "")
        body = f"{header}{owner}{action}{argument}"
        data = body + self._mac(body)
        if len(data.encode()) > MAX_BYTES:  # pragma: no cover - the layout keeps well under
            raise ValueError("callback data over 64 bytes")
        return data

    def unpack(self, data: str | None) -> Press:
        """Read callback data; anything altered, foreign or garbled is a BadButtonError."""
        if not data or len(data.encode()) > MAX_BYTES or not data.isascii():
            raise BadButtonError("missing, oversized or not ASCII")
        body, mac = data[:-MAC_CHARS], data[-MAC_CHARS:]
        if not hmac.compare_digest(mac, self._mac(body)):
            raise BadButtonError("signature does not match")
        state = self._read_header(body, settled_allowed=True)
        rest = body[HEADER_CHARS:]
        if state.settled is not None:
            settled = decode_settled(state.jurisdiction, rest[:SETTLED_CHARS])
            state = replace(state, settled=settled)
            rest = rest[SETTLED_CHARS:]
        if state.channel == GROUP:
            state = replace(state, owner=rest[:OWNER_CHARS])
            rest = rest[OWNER_CHARS:]
        if not rest:
            raise BadButtonError("no action")
        return Press(state, rest[0], rest[1:])

    def payload(self, state: State) -> str:
        """A deep-link payload (`/start <payload>`) that prefills these answers."""
        return self._header(state)

    def read_payload(self, payload: str) -> State:
        """Read a deep-link payload; it is checked like typed answers, not signed."""
        if not PAYLOAD_PATTERN.match(payload) or len(payload) != HEADER_CHARS:
            raise BadButtonError("not a payload of ours")
        return self._read_header(payload)

    def _read_header(self, text: str, settled_allowed: bool = False) -> State:
        """Read format, knowledge version, jurisdiction, answers, back steps and channel.

        An upper-case channel (callback data only) announces settled answers: the state then has
        `settled` = {} until the caller reads them.
        """
        if len(text) < HEADER_CHARS or text[0] != FORMAT:
            raise BadButtonError("unknown format")
        law_index = from_base36(text[1 + KB_CHARS])
        if law_index >= len(contract.JURISDICTIONS):
            raise BadButtonError("unknown jurisdiction")
        jurisdiction = contract.JURISDICTIONS[law_index]
        start = 2 + KB_CHARS
        stop = start + len(contract.QUESTION_ORDER)
        channel = text[stop + 1]
        settled = settled_allowed and channel.isupper()
        channel = channel.lower() if settled else channel
        if channel not in CHANNELS:
            raise BadButtonError("unknown channel")
        return State(
            kb=text[1 : 1 + KB_CHARS],
            jurisdiction=jurisdiction,
            answers=decode_answers(jurisdiction, text[start:stop]),
            back_steps=from_base36(text[stop]),
            channel=channel,
            settled={} if settled else None,
        )
