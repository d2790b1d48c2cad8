"""The Matrix harness works end to end: real Synapse, real nio clients, real encryption."""

from __future__ import annotations

import asyncio

from nio import ReactionEvent, RoomMessageText, RoomSendError

from tests.matrix.people import MakePerson
from tests.matrix.synapse import Synapse


async def test_encrypted_dm_text_and_reaction(people: MakePerson) -> None:
    """Alice opens an encrypted DM, Bob joins and reads her text, Alice sees his reaction."""
    alice, bob = await people("alice"), await people("bob")
    room_id = await alice.create_dm(bob.user_id)
    await bob.wait_invited(room_id)
    await bob.join(room_id)
    await alice.wait_joined(room_id, bob.user_id)

    sent = await alice.send_text(room_id, "Bonjour", html="<b>Bonjour</b>")
    received = await bob.wait_for(room_id, lambda event: isinstance(event, RoomMessageText))

    assert received.event_id == sent
    assert received.body == "Bonjour"
    assert received.source["content"]["formatted_body"] == "<b>Bonjour</b>"
    bob.assert_came_encrypted(room_id, received)

    reaction_id = await bob.react(room_id, sent, "👍")
    reaction = await alice.wait_for(room_id, lambda event: isinstance(event, ReactionEvent))

    assert reaction.event_id == reaction_id
    assert (reaction.reacts_to, reaction.key) == (sent, "👍")
    assert reaction.source["content"]["m.relates_to"]["rel_type"] == "m.annotation"
    alice.assert_came_encrypted(room_id, reaction)


async def test_thread_reply_keeps_its_relation(people: MakePerson) -> None:
    """A reply in a thread reaches the other side with its m.thread relation, decrypted."""
    alice, bob = await people("alice"), await people("bob")
    room_id = await alice.create_room([bob.user_id])
    await bob.join(room_id)
    await alice.wait_joined(room_id, bob.user_id)
    root = await alice.send_text(room_id, "Question")

    await bob.wait_for(room_id, lambda event: event.event_id == root)
    await bob.send_text(room_id, "Réponse", thread_root=root)
    reply = await alice.wait_for(room_id)

    relation = reply.source["content"]["m.relates_to"]
    assert (relation["rel_type"], relation["event_id"]) == ("m.thread", root)
    alice.assert_came_encrypted(room_id, reply)


async def test_override_makes_synapse_refuse_a_burst(synapse: Synapse, people: MakePerson) -> None:
    """With one message a second and a burst of one, Bob's burst gets M_LIMIT_EXCEEDED; then not."""
    alice, bob = await people("alice"), await people("bob")
    room_id = await alice.create_dm(bob.user_id)
    await bob.join(room_id)
    await bob.share_room_key(room_id)  # once, before the concurrent sends
    synapse.override_ratelimit(bob.user_id, messages_per_second=1, burst_count=1)
    try:
        # Concurrent: Synapse holds each refusal half a second, in parallel they cost one.
        answers = await asyncio.gather(
            *(bob.send(room_id, {"msgtype": "m.text", "body": f"{n}"}) for n in range(4))
        )
    finally:
        synapse.delete_override_ratelimit(bob.user_id)

    refused = [answer for answer in answers if isinstance(answer, RoomSendError)]
    assert len(refused) >= 3, answers
    assert all(answer.status_code == "M_LIMIT_EXCEEDED" for answer in refused)
    assert all(answer.retry_after_ms and answer.retry_after_ms > 0 for answer in refused)
    after = await bob.send(room_id, {"msgtype": "m.text", "body": "after"})
    assert not isinstance(after, RoomSendError), after
