"""The whole consultation state in a button's callback data (≤ 64 bytes), signed, and in deep links.

Callback data, ASCII only (format 2):

    A 2 kkkk j n aaaaaaaaaaa b c [aaaaaaaaaaa] [oooooooo] [args] mmmmmmmm
    │ │ │    │ │ │           │ │  │             │          │      └ MAC: 6 bytes of HMAC-SHA256
    │ │ │    │ │ │           │ │  │             │          │        over all that precedes (8)
    │ │ │    │ │ │           │ │  │             │          └ the action's arguments (0 to 7)
    │ │ │    │ │ │           │ │  │             └ group only: keyed hash of the owner's id (8)
    │ │ │    │ │ │           │ │  └ upper-case channel only: the answers of the verdict already
    │ │ │    │ │ │           │ │    shown, while the person changes an answer (n chars, the same
    │ │ │    │ │ │           │ │    layout; see `settled`)
    │ │ │    │ │ │           │ └ channel: p private, i private opened from an inline card,
    │ │ │    │ │ │           │   g group; upper case (P, I, G) when a verdict was already shown
    │ │ │    │ │ │           └ back steps, base36 (capped at 35)
    │ │ │    │ │ └ one char per slot of knowledge/codes.yaml: the choice's stable code, '-' if none
    │ │ │    │ └ how many slots follow (base36): a button made before a question was added
    │ │ │    │   carries fewer, and the missing ones read as unanswered
    │ │ │    └ code of the jurisdiction whose choice codes the slots hold
    │ │ └ first 4 chars of KnowledgeBase.version
    │ └ format version
    └ action char (`Action`), first so that handlers are routed by a pattern on it

With 11 slots: at most 1 + 1 + 4 + 1 + 1 + 11 + 1 + 1 + 11 + 8 + 7 + 8 = 55 bytes. Codes never
move (the knowledge check holds them to the registry), so inserting or reordering a choice
cannot remap an old button. A deep-link payload is the part from the format to the channel
(lower case), without the rest: it only carries answers, checked on arrival.

Format 1 (before stable codes: eight slots, no count, the action after the owner) is still
read: its choice indices were the codes the registry recorded first.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from knowledge import shape
from knowledge.codes import registry

FORMAT = "2"
LEGACY_FORMAT = "1"
LEGACY_SLOTS = 8
"""Format 1 carried the first eight slots, always."""
KB_CHARS = 4
MAC_CHARS = 8
OWNER_CHARS = 8
MAX_BYTES = 64
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
UNANSWERED = "-"
PAYLOAD_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
COUNTRY = shape.COUNTRY_QUESTION

PRIVATE, INLINE, GROUP = "p", "i", "g"
CHANNELS = {PRIVATE: "private", INLINE: "inline", GROUP: "group"}
MAX_BACK_STEPS = len(DIGITS) - 1
"""The most back steps a button carries (one base36 char)."""


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
    VARIANT = "v"  # + question char + choice char: jump to « what would change the answer »
    NOTE = "d"  # send « 📝 Note pour le dossier » as its own message
    AGAIN = "e"  # + first part to send (base36): « 🔁 Afficher la réponse » Telegram lost


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


def slots() -> tuple[str, ...]:
    """The questions in button order (knowledge/codes.yaml)."""
    return registry().slots


def choices_of(jurisdiction: str, question_id: str) -> tuple[str, ...]:
    """Every choice id a question has ever had in a country (in the registry)."""
    return tuple(registry().codes(jurisdiction, question_id))


def choice_code(jurisdiction: str, question_id: str, choice_id: str) -> str:
    """The stable one-char code of a choice."""
    return registry().codes(jurisdiction, question_id)[choice_id]


def choice_of_code(jurisdiction: str, question_id: str, code: str) -> str:
    """Back from a code to the choice id; a code never recorded is a BadButtonError."""
    for choice_id, recorded in registry().codes(jurisdiction, question_id).items():
        if recorded == code:
            return choice_id
    raise BadButtonError("unknown choice code")


def encode_answers(jurisdiction: str, answers: Mapping[str, str]) -> str:
    """One char per slot: the choice's code, or '-'."""
    return "".join(
        choice_code(jurisdiction, question_id, answers[question_id])
        if question_id in answers
        else UNANSWERED
        for question_id in slots()
    )


def decode_answers(jurisdiction: str, text: str) -> dict[str, str]:
    """Back from one char per slot to answers by id; slots beyond the text are unanswered."""
    if len(text) > len(slots()):
        raise BadButtonError("more slots than this version knows")
    return {
        question_id: choice_of_code(jurisdiction, question_id, char)
        for question_id, char in zip(slots(), text, strict=False)
        if char != UNANSWERED
    }


def jurisdiction_of(char: str) -> str:
    """The jurisdiction a code names."""
    return choice_of_code(COUNTRY, COUNTRY, char)


def encode_settled(state: State) -> str:
    """The settled answers, with the codes of their own country (it may have been changed)."""
    settled = state.settled or {}
    return encode_answers(settled.get(COUNTRY, state.jurisdiction), settled)


def decode_settled(jurisdiction: str, text: str) -> dict[str, str]:
    """Back from `encode_settled`: the country slot first, then the answers in its codes."""
    if text and text[0] != UNANSWERED:
        jurisdiction = jurisdiction_of(text[0])
    return decode_answers(jurisdiction, text)


def question_char(question_id: str) -> str:
    """A question as one char (its slot)."""
    return DIGITS[slots().index(question_id)]


def question_of(char: str) -> str:
    """Back from one char to a question id."""
    index = from_base36(char)
    if index >= len(slots()):
        raise BadButtonError("question index out of range")
    return slots()[index]


def answer_argument(jurisdiction: str, question_id: str, choice_id: str) -> str:
    """The argument of an answer button: the question's slot and the choice's code."""
    return question_char(question_id) + choice_code(jurisdiction, question_id, choice_id)


def read_answer(jurisdiction: str, argument: str) -> tuple[str, str]:
    """Back from an answer button's argument to (question id, choice id)."""
    if len(argument) != 2:
        raise BadButtonError("not an answer")
    question_id = question_of(argument[0])
    return question_id, choice_of_code(jurisdiction, question_id, argument[1])


class Codec:
    """Packs and reads states; keys are derived from the bot token so every process agrees."""

    def __init__(self, token: str, kb_version: str) -> None:
        secret = token.encode()
        self._mac_key = hmac.new(secret, b"chaisevide/callback-mac/v1", hashlib.sha256).digest()
        self._owner_key = hmac.new(secret, b"chaisevide/owner/v1", hashlib.sha256).digest()
        self.kb = kb_version[:KB_CHARS].ljust(KB_CHARS, "0")

    def owner_tag(self, user_id: int | str) -> str:
        """A short keyed hash of a user id: recognises the owner, never reveals the id."""
        digest = hmac.new(self._owner_key, str(user_id).encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:6]).decode()

    def _mac(self, body: str) -> str:
        """The signature of a body."""
        digest = hmac.new(self._mac_key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:6]).decode()

    def _header(self, state: State, settled: bool = False) -> str:
        """Format to channel: the part shared by callback data and deep links."""
        law = choice_code(COUNTRY, COUNTRY, state.jurisdiction)
        answers = encode_answers(state.jurisdiction, state.answers)
        back = DIGITS[min(state.back_steps, MAX_BACK_STEPS)]
        channel = state.channel.upper() if settled else state.channel
        return f"{FORMAT}{state.kb}{law}{DIGITS[len(answers)]}{answers}{back}{channel}"

    def pack(self, state: State, action: str, argument: str = "") -> str:
        """Callback data for one button."""
        owner = state.owner if state.channel == GROUP else ""
        settled = state.settled is not None
        header = self._header(state, settled) + (encode_settled(state) if settled else "")
        body = f"{action}{header}{owner}{argument}"
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
        if body.startswith(LEGACY_FORMAT):
            return self._unpack_legacy(body)
        if len(body) < 2:
            raise BadButtonError("no action")
        action = body[0]
        state, rest, count = self._read_header(body[1:], settled_allowed=True)
        if state.settled is not None:
            if len(rest) < count:
                raise BadButtonError("settled answers cut short")
            settled, rest = decode_settled(state.jurisdiction, rest[:count]), rest[count:]
            state = replace(state, settled=settled)
        if state.channel == GROUP:
            state = replace(state, owner=rest[:OWNER_CHARS])
            rest = rest[OWNER_CHARS:]
        return Press(state, action, rest)

    def _unpack_legacy(self, body: str) -> Press:
        """Read format 1 (signed, already checked): eight slots, the action after the owner."""
        state, rest, _ = self._read_header(body, settled_allowed=True)
        if state.settled is not None:
            if len(rest) < LEGACY_SLOTS:
                raise BadButtonError("settled answers cut short")
            settled = decode_settled(state.jurisdiction, rest[:LEGACY_SLOTS])
            state = replace(state, settled=settled)
            rest = rest[LEGACY_SLOTS:]
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
        if not PAYLOAD_PATTERN.match(payload):
            raise BadButtonError("not a payload of ours")
        state, rest, _ = self._read_header(payload)
        if rest:
            raise BadButtonError("not a payload of ours")
        return state

    def _read_header(self, text: str, settled_allowed: bool = False) -> tuple[State, str, int]:
        """Read format, knowledge version, jurisdiction, answers, back steps and channel; return
        the state, what follows and the number of slots.

        An upper-case channel (callback data only) announces settled answers: the state then has
        `settled` = {} until the caller reads them.
        """
        if text[:1] == FORMAT:
            start = 3 + KB_CHARS
            count = from_base36(text[start - 1 : start])
        elif text[:1] == LEGACY_FORMAT:
            start, count = 2 + KB_CHARS, LEGACY_SLOTS
        else:
            raise BadButtonError("unknown format")
        stop = start + count
        if len(text) < stop + 2:
            raise BadButtonError("cut short")
        jurisdiction = jurisdiction_of(text[1 + KB_CHARS])
        channel = text[stop + 1]
        settled = settled_allowed and channel.isupper()
        channel = channel.lower() if settled else channel
        if channel not in CHANNELS:
            raise BadButtonError("unknown channel")
        state = State(
            kb=text[1 : 1 + KB_CHARS],
            jurisdiction=jurisdiction,
            answers=decode_answers(jurisdiction, text[start:stop]),
            back_steps=from_base36(text[stop]),
            channel=channel,
            settled={} if settled else None,
        )
        return state, text[stop + 2 :], count
