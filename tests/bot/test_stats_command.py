"""`/stats` end to end: admins get the summary, the CSV and a chart; others a kind refusal."""

from __future__ import annotations

import datetime as dt
import email.parser
import email.policy
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.stats_command import REFUSAL, SENT_PRIVATELY, START_PRIVATELY, register
from stats.recorder import StatsRecorder
from stats.store import open_store, write
from stats.writer import StatsWriter
from tests.bot.conftest import FAMILY_PATH, FAST, Harness, make_settings
from tests.bot.fakeapi import FakeBotApi, QuietServer, error, make_handler, ok
from tests.bot.updates import Person
from tests.stats.conftest import record

ADMIN = Person(4242, "Dominique")
WORKER = Person(5151, "Camille")
TEAM = -100777888


def multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """Form fields of a multipart body; files as {'filename': …, 'content': bytes}."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    fields: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True)
        filename = part.get_filename()
        fields[name] = {"filename": filename, "content": content} if filename else content.decode()
    return fields


class FakeBotApiWithFiles(FakeBotApi):
    """The fake Bot API, also taking documents and photos (multipart uploads)."""

    private_blocked: set[int]

    def start(self) -> FakeBotApiWithFiles:
        """Listen with a handler that reads multipart bodies too."""
        import threading

        self.private_blocked = set()
        base = make_handler(self)
        api = self

        class Handler(base):  # type: ignore[valid-type, misc]
            """The fake's request handler, reading multipart uploads as well."""

            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                """Multipart calls are parsed here; the rest as the plain fake does."""
                kind = self.headers.get("Content-Type", "")
                if not kind.startswith("multipart/form-data"):
                    super().do_POST()
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.rsplit("/", 1)[-1]
                status, answer, _ = api.handle(method, multipart(kind, body))
                self.reply(status, answer)

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """Documents and photos are accepted; a private chat may refuse the bot (Forbidden)."""
        chat_id = int(params.get("chat_id", 0))
        if chat_id in self.private_blocked:
            return error(403, "Forbidden: bot can't initiate conversation with a user")
        if method in ("sendDocument", "sendPhoto"):
            return ok({"message_id": 1, "date": int(time.time()), "chat": {"id": chat_id,
                       "type": "private"}})  # fmt: skip
        return super()._answer(method, params)


@pytest.fixture
def files_api() -> Iterator[FakeBotApiWithFiles]:
    """The fake Bot API with uploads."""
    fake = FakeBotApiWithFiles().start()
    yield fake
    fake.stop()


@pytest.fixture
async def stats_bot(files_api: FakeBotApiWithFiles, tmp_path: Path) -> AsyncIterator[Harness]:
    """A bot recording to a file in tmp_path, with /stats registered and one admin."""
    path = tmp_path / "statistiques.sqlite"
    db = open_store(path)
    write(db, [record(day=dt.date.today()) for _ in range(6)])
    db.close()
    settings = make_settings(files_api, db_path=path, admins=frozenset({ADMIN.id}))
    recorder = StatsRecorder(StatsWriter(path, retry_seconds=0.05))
    app = build_application(settings, events=recorder, timeouts=FAST)
    register(app, settings, recorder)
    await app.initialize()
    yield Harness(files_api, app, [])
    await app.shutdown()
    recorder.close()


def texts_to(api: FakeBotApi, chat_id: int) -> list[str]:
    """Texts the bot sent to a chat."""
    return [c["text"] for c in api.calls_to("sendMessage") if int(c["chat_id"]) == chat_id]


async def test_an_admin_gets_the_summary_the_csv_and_a_chart(stats_bot: Harness) -> None:
    """In private: the table (with the consultation just made), a CSV document, a PNG photo."""
    await stats_bot.command("/start", ADMIN)
    await stats_bot.answer_all(FAMILY_PATH, ADMIN)
    await stats_bot.command("/stats", ADMIN)
    summary = texts_to(stats_bot.api, ADMIN.id)[-1]
    assert summary.startswith("<pre>Statistiques de Chaise vide")
    assert [
        line.split()[1:] for line in summary.splitlines() if line.startswith("Consultations")
    ] == [["7", "7"]]  # 6 seeded + the one just made, flushed before reading
    (document,) = stats_bot.api.calls_to("sendDocument")
    assert document["document"]["filename"].endswith(".csv")
    assert document["document"]["content"].startswith(b"period,breakdown,")
    (photo,) = stats_bot.api.calls_to("sendPhoto")
    assert photo["photo"]["content"].startswith(b"\x89PNG")
    assert "masqué" in photo["caption"]
    assert FAMILY_PATH["requester"] not in REFUSAL


async def test_anyone_else_gets_a_polite_refusal_in_private_and_in_groups(
    stats_bot: Harness,
) -> None:
    """A worker who is not an admin gets the refusal, and nothing is sent or leaked."""
    await stats_bot.command("/stats", WORKER)
    await stats_bot.command("/stats", WORKER, TEAM)
    await stats_bot.command("/stats@chaisevide_test_bot", WORKER, TEAM)
    assert texts_to(stats_bot.api, WORKER.id) == [REFUSAL]
    assert texts_to(stats_bot.api, TEAM) == [REFUSAL, REFUSAL]
    assert stats_bot.api.calls_to("sendDocument") == []
    assert stats_bot.api.calls_to("sendPhoto") == []


async def test_an_admin_asking_in_a_group_gets_them_in_private(stats_bot: Harness) -> None:
    """The team sees a short note; the statistics go to the admin's private chat."""
    await stats_bot.command("/stats", ADMIN, TEAM)
    assert texts_to(stats_bot.api, TEAM) == [SENT_PRIVATELY]
    assert texts_to(stats_bot.api, ADMIN.id)[0].startswith("<pre>")
    assert [int(c["chat_id"]) for c in stats_bot.api.calls_to("sendDocument")] == [ADMIN.id]


async def test_an_admin_who_never_opened_a_private_chat_is_told_how(
    stats_bot: Harness, files_api: FakeBotApiWithFiles
) -> None:
    """Telegram refuses to write first: the group gets the way to open the private chat."""
    files_api.private_blocked.add(ADMIN.id)
    await stats_bot.command("/stats", ADMIN, TEAM)
    assert texts_to(stats_bot.api, TEAM) == [START_PRIVATELY]


async def test_an_unreadable_file_is_explained_in_french_with_the_next_step(
    stats_bot: Harness, tmp_path: Path
) -> None:
    """A corrupt file: the admin reads what is wrong and what to do, all in French."""
    path = tmp_path / "statistiques.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    path.write_bytes(b"\x00garbage, not a database\xff" * 200)
    await stats_bot.command("/stats", ADMIN)
    answer = texts_to(stats_bot.api, ADMIN.id)[-1]
    assert answer.startswith("Le fichier de statistiques n'est pas une base SQLite lisible")
    assert "Restaurez une sauvegarde" in answer
    assert "(corrupt)" not in answer
    assert "corrupt" not in answer
