"""Matrix users for the tests: real nio clients, end-to-end encrypted, syncing in the background.

A `Person` registers on the test homeserver, logs in with its password (a new device with its own
crypto store), uploads its keys and keeps a `sync_forever` task running. What it receives (text,
notices, reactions, and Megolm events it could not decrypt yet) waits in an inbox per room that
`wait_for` reads. What it sends to an encrypted room is encrypted for every device of the room
without verification (`ignore_unverified_devices`), reactions included, as Element does (nio's
`room_send` would leave a reaction in clear).
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote
from uuid import uuid4

from nio import (
    AsyncClient,
    AsyncClientConfig,
    EncryptionError,
    Event,
    JoinError,
    KeysUploadError,
    LoginError,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RoomCreateError,
    RoomMessage,
    RoomPreset,
    RoomSendError,
    RoomSendResponse,
)
from nio.api import Api

from tests.matrix.synapse import Synapse

MEGOLM = "m.megolm.v1.aes-sha2"
ENCRYPTION_STATE = {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
TIMEOUT = 10.0  # seconds a wait gives the homeserver and the other clients
SYNC_TIMEOUT_MS = 30_000  # long polling: the task is cancelled on stop, never waited for
Received = RoomMessage | ReactionEvent | MegolmEvent  # what lands in an inbox
MakePerson = Callable[[str], Awaitable["Person"]]  # the `people` fixture


class HarnessError(AssertionError):
    """A helper did not get what it waited for; the message says what it saw instead."""


def client_config() -> AsyncClientConfig:
    """Encryption on, sync tokens kept, and errors surfaced instead of retried."""
    return AsyncClientConfig(
        encryption_enabled=True,
        store_sync_tokens=True,
        # nio retries a 429 forever by default: a test wants to see M_LIMIT_EXCEEDED.
        max_limit_exceeded=0,
        # and retries a dead connection forever: a test should fail, not hang.
        max_timeouts=2,
    )


def describe(event: Event) -> str:
    """One line about an event, for failure messages."""
    kind = type(event).__name__
    body = getattr(event, "body", None) or getattr(event, "key", "")
    return f"{kind} from {event.sender} {event.event_id}: {body!r}"


class Person:
    """One Matrix user with one encrypted device, driven by a test."""

    def __init__(self, homeserver: Synapse, localpart: str, store: Path) -> None:
        """Nothing happens on the homeserver until `start`."""
        self.homeserver = homeserver
        self.localpart = localpart
        self.password = secrets.token_hex(12)
        self.user_id = f"@{localpart}:{homeserver.server_name}"
        self.store = store
        self.client = AsyncClient(
            homeserver.url, self.user_id, store_path=str(store), config=client_config()
        )
        self.inbox: dict[str, list[Received]] = {}
        self._sync_task: asyncio.Task[None] | None = None
        self._retried_at: dict[str, str] = {}  # per room, the sync batch of the last retry

    async def start(self) -> None:
        """Register, log in (a new device), upload the device keys, sync once, then keep syncing."""
        self.store.mkdir(parents=True, exist_ok=True)
        self.homeserver.register(self.localpart, self.password)
        login = await self.client.login(self.password, device_name=f"test {self.localpart}")
        if isinstance(login, LoginError):
            raise HarnessError(f"{self.user_id} could not log in: {login}")
        if self.client.should_upload_keys:
            upload = await self.client.keys_upload()
            if isinstance(upload, KeysUploadError):
                raise HarnessError(f"{self.user_id} could not upload its keys: {upload}")
        self.client.add_event_callback(self._receive, (RoomMessage, ReactionEvent, MegolmEvent))
        await self.client.sync(timeout=0, full_state=True)
        self._sync_task = asyncio.create_task(
            self.client.sync_forever(timeout=SYNC_TIMEOUT_MS), name=f"sync {self.user_id}"
        )

    async def stop(self) -> None:
        """Stop syncing, close the HTTP session and the crypto store (the device stays)."""
        task, self._sync_task = self._sync_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.client.close()
        if self.client.store is not None:
            self.client.store.database.close()

    def _receive(self, room: MatrixRoom, event: Event) -> None:
        """Event callback: keep what others send, per room, in arrival order."""
        if event.sender != self.user_id:
            self.inbox.setdefault(room.room_id, []).append(event)

    async def until(
        self, condition: Callable[[], bool], what: str, timeout: float = TIMEOUT
    ) -> None:
        """Wait until the condition holds while the sync task runs; fail naming what was awaited."""
        deadline = time.monotonic() + timeout
        while not condition():
            if self._sync_task is not None and self._sync_task.done():
                raise HarnessError(f"{self.user_id} stopped syncing: {self._sync_task!r}")
            if time.monotonic() > deadline:
                raise HarnessError(f"{self.user_id}: no {what} within {timeout} s")
            await asyncio.sleep(0.02)

    def _member(self, room_id: str, user_id: str, invited: bool) -> bool:
        """Whether this client's view of the room has the user joined (or invited)."""
        room = self.client.rooms.get(room_id)
        user = room.users.get(user_id) if room else None
        return user is not None and user.invited == invited

    async def create_room(
        self,
        invitees: Iterable[str] = (),
        encrypted: bool = True,
        is_direct: bool = False,
        name: str | None = None,
    ) -> str:
        """A private room with these users invited, encrypted from its creation; its id."""
        answer = await self.client.room_create(
            name=name,
            is_direct=is_direct,
            preset=RoomPreset.trusted_private_chat if is_direct else RoomPreset.private_chat,
            invite=list(invitees),
            initial_state=[ENCRYPTION_STATE] if encrypted else [],
        )
        if isinstance(answer, RoomCreateError):
            raise HarnessError(f"{self.user_id} could not create a room: {answer}")
        room_id = answer.room_id
        await self.until(
            lambda: (
                self._member(room_id, self.user_id, invited=False)
                and self.client.rooms[room_id].encrypted == encrypted
            ),
            f"sync of the new room {room_id}",
        )
        return room_id

    async def create_dm(self, other_user_id: str, encrypted: bool = True) -> str:
        """A direct chat with one other user (invite with is_direct), encrypted by default."""
        return await self.create_room([other_user_id], encrypted=encrypted, is_direct=True)

    async def wait_invited(self, room_id: str, timeout: float = TIMEOUT) -> None:
        """Wait until this client has seen its invitation to the room."""
        await self.until(
            lambda: room_id in self.client.invited_rooms, f"invite to {room_id}", timeout
        )

    async def join(self, room_id: str) -> None:
        """Join a room this user was invited to, and wait until the sync shows it joined."""
        answer = await self.client.join(room_id)
        if isinstance(answer, JoinError):
            raise HarnessError(f"{self.user_id} could not join {room_id}: {answer}")
        await self.until(lambda: self._member(room_id, self.user_id, invited=False), "join sync")

    async def wait_joined(self, room_id: str, user_id: str, timeout: float = TIMEOUT) -> None:
        """Wait until this client has seen another user join (send after: keys follow members)."""
        await self.until(
            lambda: self._member(room_id, user_id, invited=False), f"join of {user_id}", timeout
        )

    async def share_room_key(self, room_id: str) -> None:
        """Make sure every device of the room can decrypt what this client sends next."""
        # As nio's room_send does: members, their device keys, then the Megolm session sent to
        # each device (one-time keys claimed on the way), unverified devices included.
        room = self.client.rooms[room_id]
        if not room.members_synced:
            await self.client.joined_members(room_id)
        if self.client.should_query_keys:
            await self.client.keys_query()
        if self.client.olm and self.client.olm.should_share_group_session(room_id):
            await self.client.share_group_session(room_id, ignore_unverified_devices=True)

    async def send(
        self, room_id: str, content: dict[str, Any], event_type: str = "m.room.message"
    ) -> RoomSendResponse | RoomSendError:
        """Send one event as it is, encrypted when the room is; nio's answer, error included."""
        await self.until(lambda: room_id in self.client.rooms, f"sync of {room_id} before sending")
        if not self.client.rooms[room_id].encrypted:
            return await self.client.room_send(room_id, event_type, content)
        await self.share_room_key(room_id)
        if event_type != "m.reaction":
            return await self.client.room_send(
                room_id, event_type, content, ignore_unverified_devices=True
            )
        # nio's room_send sends m.reaction in clear; encrypt it as Element does.
        encrypted_type, encrypted = self.client.encrypt(room_id, event_type, content)
        method, path, data = Api.room_send(
            self.client.access_token, room_id, encrypted_type, encrypted, uuid4()
        )
        return await self.client._send(RoomSendResponse, method, path, data, (room_id,))

    async def _sent(self, room_id: str, content: dict[str, Any], event_type: str) -> str:
        """Send and return the event id; fail on an error answer."""
        answer = await self.send(room_id, content, event_type)
        if isinstance(answer, RoomSendError):
            raise HarnessError(f"{self.user_id} could not send to {room_id}: {answer}")
        return answer.event_id

    async def send_text(
        self, room_id: str, body: str, thread_root: str | None = None, html: str | None = None
    ) -> str:
        """Send an m.text message (in a thread when given its root); its event id."""
        content: dict[str, Any] = {"msgtype": "m.text", "body": body}
        if html is not None:
            content |= {"format": "org.matrix.custom.html", "formatted_body": html}
        if thread_root is not None:
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread_root,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread_root},
            }
        return await self._sent(room_id, content, "m.room.message")

    async def react(self, room_id: str, event_id: str, key: str) -> str:
        """React to an event (m.reaction, m.annotation); the reaction's event id."""
        relation = {"rel_type": "m.annotation", "event_id": event_id, "key": key}
        return await self._sent(room_id, {"m.relates_to": relation}, "m.reaction")

    def _decrypt_late(self, room_id: str) -> None:
        """Retry the room's undecrypted events: their Megolm key may have come in a later sync."""
        if self._retried_at.get(room_id) == self.client.next_batch:
            return  # no sync since the last try: nothing new to decrypt with
        self._retried_at[room_id] = self.client.next_batch
        inbox = self.inbox.get(room_id, [])
        for index, event in enumerate(inbox):
            if isinstance(event, MegolmEvent):
                with contextlib.suppress(EncryptionError):
                    inbox[index] = self.client.decrypt_event(event)

    async def wait_for(
        self,
        room_id: str,
        predicate: Callable[[Received], bool] = lambda _: True,
        timeout: float = TIMEOUT,
    ) -> Received:
        """The first event from others in the room that matches, taken out of the inbox."""
        # Events that do not match stay for a later call. An event still undecryptable (a
        # MegolmEvent) is returned only if the predicate accepts it.
        found: list[Received] = []

        def take() -> bool:
            """Look through the inbox once; keep the first match."""
            self._decrypt_late(room_id)
            inbox = self.inbox.get(room_id, [])
            for index, event in enumerate(inbox):
                if predicate(event):
                    found.append(inbox.pop(index))
                    return True
            return False

        try:
            await self.until(take, f"matching event in {room_id}", timeout)
        except HarnessError as error:
            seen = "\n".join(describe(event) for event in self.inbox.get(room_id, []))
            raise HarnessError(f"{error}; in the inbox:\n{seen or '(nothing)'}") from None
        return found[0]

    def stored_event(self, room_id: str, event_id: str) -> dict[str, Any]:
        """The event as the homeserver stores and serves it (still encrypted if it was sent so)."""
        path = (
            f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/event/{quote(event_id, safe='')}"
        )
        return self.homeserver.request("GET", path, access_token=self.client.access_token)

    def assert_came_encrypted(self, room_id: str, event: Event) -> None:
        """The event reached this client as m.room.encrypted and nio decrypted it."""
        assert getattr(event, "decrypted", False), f"not decrypted by nio: {describe(event)}"
        stored = self.stored_event(room_id, event.event_id)
        assert stored["type"] == "m.room.encrypted", stored
        assert stored["content"]["algorithm"] == MEGOLM, stored
