"""The Matrix bot: invites, typed answers, keycap reactions and `!` commands, over `/sync`.

Each event is handled in its own task, in order within its conversation (a lock per room or
thread), so one slow homeserver answer never holds up other workers. The consultation's state is
read from the bot's own last message there (kept in a bounded memory, or read back from the
room's history after a restart); nothing names a person in memory longer than that, and nothing
on disk but the device and its crypto store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from nio import (
    AsyncClient,
    InviteMemberEvent,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RoomGetEventResponse,
    RoomMessagesResponse,
    RoomMessageText,
    SyncResponse,
)

from bot.codec import GROUP, PRIVATE, State
from bot.matrix import content as build
from bot.matrix import texts as matrix_texts
from bot.matrix.calls import MatrixCallError, call
from bot.matrix.content import ANSWERS_KEY, STATE_KEY, Content
from bot.matrix.settings import MatrixSettings, allowed
from bot.matrix.turns import Turn, Turns
from bot.pages import about, words_unknown
from bot.retrying import PRODUCTION, RetryPolicy
from flows.events import ConsultationEvents, ignore_events
from flows.words import prefilled

log = logging.getLogger("bot.matrix")
MAX_REMEMBERED = 10_000
"""Conversations (and bot messages) whose last state is kept in memory; older ones are read
back from the room's history when needed."""
HISTORY_LIMIT = 50
"""Events read back, at most, to find the bot's last message in a conversation."""
SYNC_TIMEOUT_MS = 30_000
JOIN_SYNC_SECONDS = 10.0
"""How long a room just joined may take to appear in a sync before the bot speaks in it."""
Key = tuple[str, str]
"""A conversation: (room id, thread root event id or "" outside a thread)."""


@dataclass(frozen=True)
class Shown:
    """The bot's last stateful message in a conversation: its id, state, time, what it answered."""

    event_id: str
    packed: str
    timestamp: int
    answers: str = ""


class Remembered(OrderedDict[Any, Any]):
    """A dict that forgets its oldest entries beyond MAX_REMEMBERED."""

    def remember(self, key: Any, value: Any) -> None:
        """Keep the value, dropping the oldest entry when full."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > MAX_REMEMBERED:
            self.popitem(last=False)


def thread_of(source: dict[str, Any]) -> str:
    """The thread root an event belongs to ("" outside any thread)."""
    relates = source.get("content", {}).get("m.relates_to") or {}
    if isinstance(relates, dict) and relates.get("rel_type") == "m.thread":
        return str(relates.get("event_id") or "")
    return ""


class MatrixBot:
    """One bot account: its client, how it plays turns, and where the statistics go."""

    def __init__(
        self,
        client: AsyncClient,
        settings: MatrixSettings,
        turns: Turns,
        events: ConsultationEvents = ignore_events,
        policy: RetryPolicy = PRODUCTION,
        admin_stats: Callable[[], Awaitable[Content]] | None = None,
    ) -> None:
        self.client = client
        self.settings = settings
        self.turns = turns
        self.events = events
        self.policy = policy
        self.admin_stats = admin_stats
        self.latest: Remembered = Remembered()
        self.by_event: Remembered = Remembered()
        self.handled: Remembered = Remembered()
        self.joining: set[str] = set()
        """Rooms whose invite is being answered (a second sync may show the invite again)."""
        self.locks: dict[Key, asyncio.Lock] = {}
        self.pending: dict[Key, int] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.answering = False
        """False during a first sync without a stored token: its events are history."""
        self.stopping = asyncio.Event()
        self.synced = asyncio.Event()
        """Set once the first sync is read: from then on, what arrives is answered."""

    # Wiring.

    def wire(self) -> None:
        """Register the callbacks the sync loop triggers."""
        self.client.add_event_callback(self.on_invite, InviteMemberEvent)
        self.client.add_event_callback(self.on_text, RoomMessageText)
        self.client.add_event_callback(self.on_reaction, ReactionEvent)
        self.client.add_event_callback(self.on_undecryptable, MegolmEvent)

    def spawn(self, key: Key, work: Coroutine[Any, Any, None]) -> None:
        """Run the work in its own task, after earlier work of the same conversation; a
        conversation's lock is forgotten once nothing of it is pending (memory stays bounded)."""
        lock = self.locks.setdefault(key, asyncio.Lock())
        self.pending[key] = self.pending.get(key, 0) + 1

        async def in_order() -> None:
            try:
                async with lock:
                    await work
            except Exception as error:
                log.warning("matrix step=handle error=%s", type(error).__name__)
            finally:
                self.pending[key] -= 1
                if not self.pending[key]:
                    del self.pending[key], self.locks[key]

        task = asyncio.create_task(in_order())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    # Events.

    async def on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        """Join when the inviter's server is allowed, else decline; greet once joined."""
        if event.state_key != self.client.user_id or event.membership != "invite":
            return
        if room.room_id in self.client.rooms or room.room_id in self.joining:
            return  # already joined, or being joined: the same invite seen again
        self.joining.add(room.room_id)
        direct = bool((event.content or {}).get("is_direct"))
        self.spawn((room.room_id, ""), self.answer_invite(room.room_id, event.sender, direct))

    async def answer_invite(self, room_id: str, inviter: str, direct: bool) -> None:
        """Join and greet, or decline (one log line, no id)."""
        try:
            await self.join_or_decline(room_id, inviter, direct)
        finally:
            self.joining.discard(room_id)

    async def join_or_decline(self, room_id: str, inviter: str, direct: bool) -> None:
        """Join and greet when the inviter's server is allowed, else leave."""
        if not allowed(inviter, self.settings.allowed_servers):
            log.info("matrix invite declined reason=server_not_allowed")
            await call(self.policy, "leave", lambda: self.client.room_leave(room_id))
            return
        joined = await call(self.policy, "joined_rooms", self.client.joined_rooms)
        if room_id in joined.rooms:
            return  # an invite from a stale sync (Synapse caches a first sync for minutes)
        await call(self.policy, "join", lambda: self.client.join(room_id))
        log.info("matrix invite accepted direct=%s", direct)
        if not direct:
            await self.send(room_id, build.text_message(matrix_texts.ROOM_HELLO))
            return
        await self.send(room_id, build.text_message(matrix_texts.WELCOME))
        consultation = prefilled([], self.turns.served, self.turns.knowledge)[0]
        await self.deliver(room_id, "", self.turns.opening(consultation))

    async def on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        """A typed message: a command, an answer in a consultation, or something else."""
        if not self.fresh(event.sender, event.event_id):
            return
        thread = thread_of(event.source)
        work = self.read_text(room, event.sender, event.event_id, event.body or "", thread)
        self.spawn((room.room_id, thread), work)

    async def on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        """A keycap reaction on one of the bot's questions answers it."""
        if not self.fresh(event.sender, event.event_id):
            return
        work = self.read_reaction(room, event.sender, event.event_id, event.reacts_to, event.key)
        self.spawn((room.room_id, ""), work)

    async def on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        """A message the bot cannot decrypt: ask kindly to send it again, and ask for its key."""
        if not self.fresh(event.sender, event.event_id):
            return
        log.info("matrix event undecryptable")
        thread = thread_of(event.source)
        self.spawn((room.room_id, thread), self.ask_again(room.room_id, event, thread))

    async def ask_again(self, room_id: str, event: MegolmEvent, thread: str) -> None:
        """The kind message about an undecryptable event, and a key request."""
        try:
            await self.client.request_room_key(event)
        except Exception as error:
            log.info("matrix step=request_room_key error=%s", type(error).__name__)
        await self.send(room_id, build.notice(matrix_texts.UNDECRYPTABLE), thread)

    def fresh(self, sender: str, event_id: str) -> bool:
        """True for a new event from someone else, while answering (never twice the same)."""
        if sender == self.client.user_id or not self.answering or event_id in self.handled:
            return False
        self.handled.remember(event_id, True)
        return True

    # Reading what was typed.

    async def read_text(
        self, room: MatrixRoom, sender: str, event_id: str, body: str, thread: str
    ) -> None:
        """Route a typed message: `!` commands anywhere, answers where a consultation runs."""
        text = body.strip()
        in_room = room.member_count > 2
        if text.startswith("!"):
            await self.command(room, sender, event_id, text, thread)
            return
        if in_room and not thread:
            return  # a team's own conversation: the bot only speaks when called
        shown = await self.last_shown(room.room_id, thread)
        if shown is None:
            if not in_room:
                await self.send(room.room_id, build.notice(matrix_texts.NOTHING_TO_ANSWER))
            return
        await self.play(room.room_id, thread, sender, event_id, shown, text)

    async def read_reaction(
        self, room: MatrixRoom, sender: str, event_id: str, target: str, key: str
    ) -> None:
        """A keycap answers the reacted question; 👍 or 👎 on a verdict says whether it helped;
        other reactions mean nothing."""
        keycap = self.turns.number(key) is not None
        if not keycap and not key.startswith(tuple(matrix_texts.FEEDBACK)):
            return
        found = await self.shown_at(room.room_id, target)
        if found is None:
            return
        shown, thread = found
        if keycap:
            await self.play(room.room_id, thread, sender, event_id, shown, key)
            return
        state = self.turns.read(shown.packed)
        if state is not None and self.owns(state, sender):
            await self.deliver(room.room_id, thread, self.turns.feedback(state, key))

    async def play(
        self, room_id: str, thread: str, sender: str, event_id: str, shown: Shown, typed: str
    ) -> None:
        """One turn on the state shown, by its owner only, never twice for the same event."""
        state = self.turns.read(shown.packed)
        if state is None:
            return
        if not self.owns(state, sender):
            return  # a quick check moves only for the member who started it
        if shown.answers == event_id:
            return  # already answered (a replayed event)
        await self.deliver(room_id, thread, self.turns.play(state, typed, after=event_id))

    def owns(self, state: State, sender: str) -> bool:
        """True when the sender may act on this state (anyone in a direct chat)."""
        return state.channel != GROUP or state.owner == self.turns.codec.owner_tag(sender)

    async def command(
        self, room: MatrixRoom, sender: str, event_id: str, text: str, thread: str
    ) -> None:
        """`!consulter`, `!verif`, `!urgence`, `!aide`, `!apropos`, `!stats`, or an unknown one."""
        name, _, rest = text[1:].partition(" ")
        name, words = name.lower(), rest.split()
        room_id, in_room = room.room_id, room.member_count > 2
        if name == "aide":
            await self.send(room_id, build.help_message(), thread)
        elif name == "apropos":
            await self.send(room_id, self.about(), thread)
        elif name == "stats":
            await self.stats(room_id, sender, in_room, thread)
        elif name == "urgence":
            channel, owner = self.where(in_room, sender)
            root = event_id if in_room and not thread else thread
            await self.deliver(room_id, root, self.turns.urgence(channel, owner, event_id))
        elif name in ("consulter", "verif"):
            await self.consult(room_id, sender, event_id, words, in_room, thread)
        else:
            await self.send(room_id, build.notice(matrix_texts.UNKNOWN_COMMAND), thread)

    async def consult(
        self,
        room_id: str,
        sender: str,
        event_id: str,
        words: list[str],
        in_room: bool,
        thread: str,
    ) -> None:
        """A consultation prefilled with the words; in a room, in a thread on the command."""
        consultation, some_unknown = prefilled(words, self.turns.served, self.turns.knowledge)
        channel, owner = self.where(in_room, sender)
        root = (thread or event_id) if in_room else ""
        if some_unknown:
            law = consultation.jurisdiction.id
            unknown = words_unknown(self.turns.knowledge, self.turns.served, law)
            await self.send(room_id, build.notice(build.plain(unknown)), root)
        turn = self.turns.opening(consultation, channel, owner, event_id)
        await self.deliver(room_id, root, turn)

    def where(self, in_room: bool, sender: str) -> tuple[str, str]:
        """The codec channel and owner of a consultation opened here."""
        if in_room:
            return GROUP, self.turns.codec.owner_tag(sender)
        return PRIVATE, ""

    def about(self) -> Content:
        """!apropos: the same promise as Telegram's, and what the crypto store holds."""
        carried, devices = matrix_texts.CARRIED_IN_MESSAGES, matrix_texts.ABOUT_MATRIX
        page = about(self.turns.knowledge, self.turns.served, carried, devices)
        return build.text_message(build.plain(page))

    async def stats(self, room_id: str, sender: str, in_room: bool, thread: str) -> None:
        """!stats: the summary for an admin in a direct chat; a polite refusal otherwise."""
        if sender not in self.settings.admins or self.admin_stats is None:
            await self.send(room_id, build.notice(matrix_texts.STATS_REFUSED), thread)
        elif in_room:
            await self.send(room_id, build.notice(matrix_texts.STATS_ONLY_DIRECT), thread)
        else:
            await self.send(room_id, await self.admin_stats())

    # Finding the state a message answers.

    async def last_shown(self, room_id: str, thread: str) -> Shown | None:
        """The bot's last stateful message in this conversation (memory, else history: after a
        restart, the room is read back from the latest sync token)."""
        known = self.latest.get((room_id, thread))
        if known is not None:
            return known
        start = self.client.next_batch  # /messages reads back from a sync token too
        if not start:
            return None
        response = await call(
            self.policy,
            "messages",
            lambda: self.client.room_messages(room_id, start, limit=HISTORY_LIMIT),
        )
        if not isinstance(response, RoomMessagesResponse):
            return None
        for event in response.chunk:  # newest first
            source = getattr(event, "source", {}) or {}
            if event.sender == self.client.user_id and thread_of(source) == thread:
                shown = self.shown_of(source)
                if shown is not None:
                    self.latest.remember((room_id, thread), shown)
                    return shown
        return None

    async def shown_at(self, room_id: str, event_id: str) -> tuple[Shown, str] | None:
        """The state of one bot message (a reacted question) and its thread."""
        known = self.by_event.get(event_id)
        if known is not None:
            return known
        try:
            response = await call(
                self.policy, "event", lambda: self.client.room_get_event(room_id, event_id)
            )
        except MatrixCallError:
            return None
        if not isinstance(response, RoomGetEventResponse):
            return None
        event = response.event
        source = getattr(event, "source", {}) or {}
        shown = self.shown_of(source) if event.sender == self.client.user_id else None
        if shown is None:
            return None
        found = (shown, thread_of(source))
        self.by_event.remember(event_id, found)
        return found

    @staticmethod
    def shown_of(source: dict[str, Any]) -> Shown | None:
        """The state a bot event carries, when it carries one."""
        body = source.get("content") or {}
        packed = body.get(STATE_KEY)
        if not isinstance(packed, str):
            return None
        answers = body.get(ANSWERS_KEY)
        return Shown(
            str(source.get("event_id", "")),
            packed,
            int(source.get("origin_server_ts", 0) or 0),
            answers if isinstance(answers, str) else "",
        )

    # Sending.

    async def deliver(self, room_id: str, thread: str, turn: Turn) -> None:
        """Send a turn's messages in order, then report its events (once delivered)."""
        for item in turn.contents:
            await self.send(room_id, item, thread)
        for event in turn.events:
            self.events(event)

    async def send(self, room_id: str, item: Content, thread: str = "") -> str:
        """Send one message (in the thread when given); remember the state it carries."""
        await self.known(room_id)
        body = dict(item)
        if thread:
            body["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread},
            }
        response = await call(
            self.policy,
            "send",
            lambda: self.client.room_send(
                room_id, "m.room.message", body, ignore_unverified_devices=True
            ),
        )
        event_id = str(response.event_id)
        packed = body.get(STATE_KEY)
        if isinstance(packed, str):
            shown = Shown(event_id, packed, int(time.time() * 1000), body.get(ANSWERS_KEY, ""))
            self.latest.remember((room_id, thread), shown)
            self.by_event.remember(event_id, (shown, thread))
        return event_id

    async def known(self, room_id: str, timeout: float = JOIN_SYNC_SECONDS) -> None:
        """Wait until a sync has shown the room (nio encrypts only for rooms it knows)."""
        deadline = time.monotonic() + timeout
        while room_id not in self.client.rooms and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    # The loop.

    async def sync_forever(self) -> None:
        """Long-poll `/sync` until stopped; failures wait with backoff and try again.

        A first sync without a stored token reads history only (nothing in it is answered);
        later syncs answer what is new — a gap in a timeline is never filled with old answers.
        """
        self.answering = bool(self.client.loaded_sync_token)
        failures = 0
        first = True
        while not self.stopping.is_set():
            try:
                response = await self.client.sync(
                    timeout=0 if first else SYNC_TIMEOUT_MS, full_state=first
                )
            except (TimeoutError, OSError) as error:
                response = error
            if not isinstance(response, SyncResponse):
                failures += 1
                pause = self.policy.wait(min(failures, 5))
                log.warning(
                    "matrix step=sync error=%s failures=%d retry_in=%.1fs",
                    type(response).__name__,
                    failures,
                    pause,
                )
                await self.pause(pause)
                continue
            failures, first, self.answering = 0, False, True
            self.synced.set()
            await self.keys()

    async def keys(self) -> None:
        """What nio's own sync loop does after each sync: keys and to-device messages."""
        client = self.client
        try:
            await client.send_to_device_messages()
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())
        except Exception as error:
            log.warning("matrix step=keys error=%s", type(error).__name__)

    async def pause(self, seconds: float) -> None:
        """Wait, unless the bot is stopped meanwhile."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stopping.wait(), seconds)

    async def drain(self, timeout: float = 5.0) -> None:
        """Let the events being handled finish (at most `timeout` seconds)."""
        if self.tasks:
            await asyncio.wait(set(self.tasks), timeout=timeout)
