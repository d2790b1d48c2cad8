"""The Matrix bot end to end: `chaisevide matrix` against a real Synapse, workers on real clients.

Each test runs the bot as its own process (the log it writes is what an operator keeps) and
drives it with end-to-end encrypted nio clients, as a worker in Element or Tchap would.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from nio import MegolmEvent
from nio.api import Api
from nio.responses import RoomSendResponse

from bot.matrix import texts as matrix_texts
from tests.matrix.bot_process import BotProcess
from tests.matrix.conversation import (
    answer_until_verdict,
    body,
    content,
    from_bot,
    said,
)
from tests.matrix.people import MakePerson, Person
from tests.matrix.synapse import Synapse

POLICE_AT_A_SHELTER = {
    "jurisdiction": "fr",
    "profession": "social",
    "setting": "shelter",
    "requester": "police",
    "risk": "none",
    "consent": "not_asked",
}
"""tests/cases/fr/justice.yaml: the police ask a CHRS whether a man lives there, without any
requisition; the worker must keep the secret, CP 226-13."""
NAME_AND_PHONE = "Mme Isabelle Fauconnier, née le 12/03/1961, joignable au 06 12 34 56 78"
DISPLAY_NAME = "Camille Travailleuse-Sociale"


@pytest.fixture
def bot(synapse: Synapse, tmp_path: Path) -> Iterator[BotProcess]:
    """The Matrix bot, started for one test and stopped after it."""
    process = BotProcess(synapse, tmp_path)
    process.start()
    yield process
    process.stop()


@pytest.fixture
async def worker(people: MakePerson) -> AsyncIterator[Person]:
    """A worker with a display name (which must never reach a log or a file)."""
    person = await people("worker")
    await person.client.set_displayname(DISPLAY_NAME)
    return person


async def open_dm(worker: Person, bot: BotProcess, encrypted: bool = True) -> tuple[str, Any]:
    """Invite the bot to a direct chat; its welcome, then its first question."""
    room_id = await worker.create_dm(bot.user_id, encrypted=encrypted)
    await worker.wait_for(room_id, said(bot.user_id, "Bonjour"), timeout=20)
    question = await worker.wait_for(room_id, from_bot(bot.user_id))
    return room_id, question


async def test_an_encrypted_direct_chat_reaches_the_verdict_and_its_articles(
    bot: BotProcess, worker: Person
) -> None:
    """Typed numbers to the verdict; the card is encrypted, cites CP 226-13, is counted, and a
    👍 on it is counted as feedback on that row."""
    room_id, first = await open_dm(worker, bot)
    assert "1. " in body(first)
    worker.assert_came_encrypted(room_id, first)
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=first
    )
    worker.assert_came_encrypted(room_id, verdict)
    assert "Vous devez garder le secret" in body(verdict)
    assert "CP 226-13" in body(verdict)
    html = content(verdict)["formatted_body"]
    assert "<a href=" in html
    assert "vérifié le" in html
    await worker.react(room_id, verdict.event_id, "👍")
    await worker.wait_for(room_id, said(bot.user_id, "Merci pour votre retour"))
    rows = bot.rows(until=lambda found: any(row["feedback"] for row in found))
    completed = [row for row in rows if row["outcome"] == "completed"]
    assert len(completed) == 1
    assert completed[0]["channel"] == "matrix"
    assert completed[0]["requester"] == "police"
    assert completed[0]["feedback"] == "up"


async def test_an_unencrypted_room_gets_the_same_consultation(
    bot: BotProcess, worker: Person
) -> None:
    """The same answers in a direct chat without encryption give the same verdict."""
    room_id, first = await open_dm(worker, bot, encrypted=False)
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=first
    )
    assert "Vous devez garder le secret" in body(verdict)
    assert "CP 226-13" in body(verdict)
    assert not getattr(verdict, "decrypted", False)


async def test_keycap_reactions_answer_the_questions(bot: BotProcess, worker: Person) -> None:
    """1️⃣, 2️⃣… on each question lead to the same verdict as typed numbers."""
    room_id, first = await open_dm(worker, bot)
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, by_reaction=True, first=first
    )
    assert "Vous devez garder le secret" in body(verdict)
    assert "CP 226-13" in body(verdict)


async def test_typed_letters_go_back_help_and_give_the_note_for_the_file(
    bot: BotProcess, worker: Person
) -> None:
    """a shows the help, r goes back, d gives the note for the file at the verdict."""
    room_id, _first = await open_dm(worker, bot)
    await worker.send_text(room_id, "a")
    helped = await worker.wait_for(room_id, from_bot(bot.user_id))
    assert "❓" in body(helped)
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=helped
    )
    await worker.send_text(room_id, "d")
    note = await worker.wait_for(room_id, said(bot.user_id, "Note pour le dossier"))
    assert "CP 226-13" in body(note)
    assert "<pre>" in content(note)["formatted_body"]
    await worker.send_text(room_id, "r")
    again = await worker.wait_for(room_id, from_bot(bot.user_id))
    assert "1. " in body(again)
    assert body(again) != body(verdict)


async def test_a_restart_mid_consultation_loses_nothing(bot: BotProcess, worker: Person) -> None:
    """Half the answers, a restart of the bot, the other half: the same verdict, one row."""
    room_id, question = await open_dm(worker, bot)
    for _ in range(3):
        await answer_one(worker, room_id, bot, question)
        question = await worker.wait_for(room_id, from_bot(bot.user_id))
    bot.stop()
    bot.start()
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=question
    )
    assert "CP 226-13" in body(verdict)
    completed = [row for row in bot.rows() if row["outcome"] == "completed"]
    assert len(completed) == 1


async def answer_one(worker: Person, room_id: str, bot: BotProcess, question: Any) -> None:
    """Answer the question shown with the choice of POLICE_AT_A_SHELTER."""
    from tests.matrix.conversation import number_of, question_shown

    asked = question_shown(body(question))
    assert asked is not None
    choice = asked.choice(POLICE_AT_A_SHELTER[asked.id])
    assert choice is not None
    await worker.send_text(room_id, str(number_of(body(question), choice.label)))


async def test_a_lost_sync_token_never_answers_old_messages_twice(
    bot: BotProcess, worker: Person
) -> None:
    """The store loses its sync token: the bot reads history again but sends no second verdict."""
    room_id, first = await open_dm(worker, bot)
    await answer_until_verdict(worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=first)
    bot.stop()
    for database in bot.store.glob("*.db"):
        with sqlite3.connect(database) as connection:
            connection.execute("DELETE FROM synctokens")
    bot.start()
    await worker.send_text(room_id, "n")
    restarted = await worker.wait_for(room_id, from_bot(bot.user_id), timeout=15)
    assert "1. " in body(restarted), "the next message is the answer to « n », nothing older"
    assert not [event for event in worker.inbox.get(room_id, []) if event.sender == bot.user_id]


async def test_a_quick_check_in_a_room_moves_only_for_its_initiator(
    bot: BotProcess, people: MakePerson, worker: Person
) -> None:
    """!verif opens a thread; a colleague's numbers there are ignored; the verdict is compact."""
    colleague = await people("colleague")
    room_id = await worker.create_room([bot.user_id, colleague.user_id], name="Équipe")
    await colleague.wait_invited(room_id)
    await colleague.join(room_id)
    await worker.wait_for(room_id, said(bot.user_id, "!verif"), timeout=20)
    command = await worker.send_text(room_id, "!verif police")
    question = await worker.wait_for(room_id, from_bot(bot.user_id, thread=command))
    await colleague.send_text(room_id, "1", command)
    await asyncio.sleep(1.0)
    assert not [e for e in worker.inbox.get(room_id, []) if e.sender == bot.user_id]
    verdict = await answer_until_verdict(
        worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, thread=command, first=question
    )
    assert "CP 226-13" in body(verdict)
    seen = await colleague.wait_for(room_id, from_bot(bot.user_id, thread=command), timeout=15)
    assert seen.event_id
    rows = [row for row in bot.rows() if row["outcome"] == "completed"]
    assert [row["channel"] for row in rows] == ["matrix_room"]


async def test_an_invite_from_a_server_not_allowed_is_declined(
    synapse: Synapse, tmp_path: Path, people: MakePerson
) -> None:
    """Only the servers listed may invite the bot: it leaves, says nothing, logs one line."""
    process = BotProcess(synapse, tmp_path, CHAISEVIDE_MATRIX_ALLOWED_SERVERS="*.tchap.gouv.fr")
    process.start()
    try:
        outsider = await people("outsider")
        room_id = await outsider.create_dm(process.user_id)
        await outsider.until(
            lambda: "invite declined" in process.log(), "the bot's decline", timeout=15
        )
        await asyncio.sleep(0.5)
        room = outsider.client.rooms[room_id]
        assert process.user_id not in room.users
        assert not outsider.inbox.get(room_id)
    finally:
        process.stop()


async def test_free_text_with_a_name_gets_the_guard_and_is_kept_nowhere(
    bot: BotProcess, worker: Person
) -> None:
    """A name, a birth date and a phone number: the warning, never repeated, never stored."""
    room_id, first = await open_dm(worker, bot)
    await worker.send_text(room_id, NAME_AND_PHONE)
    warning = await worker.wait_for(room_id, said(bot.user_id, "⚠️"))
    assert "Fauconnier" not in body(warning)
    assert "06 12" not in body(warning)
    await answer_until_verdict(worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=first)
    bot.stop()
    assert_kept_nowhere(bot, ("Fauconnier", "06 12 34", "12/03/1961", DISPLAY_NAME))


async def test_an_unknown_command_and_a_huge_message_get_kind_answers(
    bot: BotProcess, worker: Person
) -> None:
    """!bonjour gets the list of commands; 20 000 characters get the reminder, nothing breaks."""
    room_id, _ = await open_dm(worker, bot)
    await worker.send_text(room_id, "!bonjour")
    unknown = await worker.wait_for(room_id, said(bot.user_id, "commande"))
    assert "!consulter" in body(unknown)
    await worker.send_text(room_id, "texte " * 3334)
    reminder = await worker.wait_for(room_id, said(bot.user_id, "Tapez un numéro"))
    assert "texte" not in body(reminder)
    for command, piece in (("!aide", "Comment ça marche"), ("!apropos", "magasin de clés")):
        await worker.send_text(room_id, command)
        await worker.wait_for(room_id, said(bot.user_id, piece))
    await worker.send_text(room_id, "!urgence")
    urgent = await worker.wait_for(room_id, from_bot(bot.user_id))
    assert "112" in body(urgent)


async def test_rate_limits_are_honoured_and_the_worker_still_gets_the_question(
    synapse: Synapse, bot: BotProcess, worker: Person
) -> None:
    """M_LIMIT_EXCEEDED on the bot's messages: it waits as asked and delivers, one line logged."""
    synapse.override_ratelimit(bot.user_id, 1, 1)
    try:
        _room_id, first = await open_dm(worker, bot)
        assert "1. " in body(first)
    finally:
        synapse.delete_override_ratelimit(bot.user_id)
    assert "delivery method=send error=MatrixCallError" in bot.log()


async def test_an_undecryptable_message_gets_a_request_to_send_it_again(
    bot: BotProcess, worker: Person
) -> None:
    """A Megolm event whose key never reached the bot: one kind message, not silence."""
    room_id, _ = await open_dm(worker, bot)
    client = worker.client
    ciphertext = {
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "AwgAEnA",
        "sender_key": client.olm.account.identity_keys["curve25519"],
        "session_id": "une-session-jamais-partagee",
        "device_id": client.device_id,
    }
    method, path, data = Api.room_send(
        client.access_token, room_id, "m.room.encrypted", ciphertext, uuid4()
    )
    sent = await client._send(RoomSendResponse, method, path, data, (room_id,))
    assert isinstance(sent, RoomSendResponse)
    asked = await worker.wait_for(room_id, said(bot.user_id, "déchiffrer"))
    assert matrix_texts.UNDECRYPTABLE.split(".")[0] in body(asked)
    assert not isinstance(asked, MegolmEvent)


def assert_kept_nowhere(bot: BotProcess, secrets: tuple[str, ...]) -> None:
    """No secret in the log, the statistics file or any file of the store (bytes scanned)."""
    files = [bot.log_path, *bot.db_path.parent.glob("statistiques.sqlite*")]
    files += [path for path in bot.store.rglob("*") if path.is_file()]
    for path in files:
        data = path.read_bytes()
        for secret in secrets:
            assert secret.encode() not in data, f"{secret!r} found in {path.name}"


async def test_privacy_no_user_id_or_text_in_logs_or_statistics(
    bot: BotProcess, worker: Person
) -> None:
    """After a consultation: the log and the statistics hold no Matrix id and no message text;
    the store holds no text and no display name (it lists devices, as !apropos says)."""
    room_id, first = await open_dm(worker, bot)
    await answer_until_verdict(worker, room_id, bot.user_id, POLICE_AT_A_SHELTER, first=first)
    bot.stop()
    localpart = worker.user_id[1:].split(":")[0]
    for path in [bot.log_path, *bot.db_path.parent.glob("statistiques.sqlite*")]:
        data = path.read_bytes()
        for secret in (localpart, room_id, bot.user_id, DISPLAY_NAME, "garder le secret"):
            assert secret.encode() not in data, f"{secret!r} found in {path.name}"
    assert_kept_nowhere(bot, (DISPLAY_NAME, "garder le secret", "Vous devez"))


async def test_stats_go_to_admins_in_a_direct_chat_only(
    synapse: Synapse, tmp_path: Path, people: MakePerson
) -> None:
    """An admin of CHAISEVIDE_MATRIX_ADMINS gets the summary; anyone else a polite refusal."""
    admin = await people("responsable")
    process = BotProcess(synapse, tmp_path, CHAISEVIDE_MATRIX_ADMINS=admin.user_id)
    process.start()
    try:
        room_id, first = await open_dm(admin, process)
        await answer_until_verdict(
            admin, room_id, process.user_id, POLICE_AT_A_SHELTER, first=first
        )
        await admin.send_text(room_id, "!stats")
        summary = await admin.wait_for(room_id, said(process.user_id, "Consultations"), timeout=15)
        assert "<pre>" in content(summary)["formatted_body"]
        other = await people("curieux")
        other_room, _ = await open_dm(other, process)
        await other.send_text(other_room, "!stats")
        refused = await other.wait_for(other_room, said(process.user_id, "réservées"))
        assert "Consultations" not in body(refused)
    finally:
        process.stop()


def test_the_store_is_private_to_the_service_account(bot: BotProcess) -> None:
    """The store folder is 0700 and the device file 0600 (they hold keys and the token)."""
    assert bot.store.stat().st_mode & 0o777 == 0o700
    assert (bot.store / "device.json").stat().st_mode & 0o777 == 0o600
