"""Random people, ids, names and texts go through the real front ends: none of them reaches disk.

The terminal chat is driven line by line; the Telegram bot is the real Application talking to the
fake Bot API, its event seam wired to the statistics recorder. Consultations are finished, left
(open rows, continued press by press without any key), restarted and changed at the verdict.
Afterwards the database file and its -wal and -shm companions are searched byte by byte.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_application
from bot.codec import Action, question_char
from knowledge.loader import load_knowledge
from stats.recorder import StatsRecorder
from stats.store import TABLE, open_reader
from stats.writer import StatsWriter
from tests.bot.conftest import FAMILY_PATH, FAST, Harness, make_settings
from tests.bot.fakeapi import FakeBotApi
from tests.bot.updates import Person, chosen_result, inline_query
from tests.stats.conftest import files_bytes
from tests.stats.test_writer import FAMILY, consult

KNOWLEDGE = load_knowledge()
LETTERS = "abcdefghijklmnopqrstuvwxyzéèàçABCDEFGHIJKLMNOPQRSTUVWXYZ"
MARKED = st.text(LETTERS, min_size=4, max_size=12).map(lambda s: f"Zq{s}")
"""Names and words that cannot occur by chance in the file (a 'Zq' prefix, then anything)."""
TEXTS = st.lists(MARKED, min_size=1, max_size=4).map(" ".join)
USER_IDS = st.integers(min_value=10**9, max_value=2**40)
GROUP_IDS = st.integers(min_value=10**12, max_value=10**13 - 1).map(lambda n: -n)
PEOPLE = st.builds(Person, id=USER_IDS, first_name=MARKED, last_name=MARKED, username=MARKED)
SETTINGS = settings(max_examples=15, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip


def forms(value: int | str) -> list[bytes]:
    """How a value could appear in the file: its text, and an id as SQLite stores integers.

    Integer bytes with a zero byte in them (round numbers) occur everywhere in a SQLite file, so
    only the distinctive ones are searched.
    """
    found = [str(value).encode()]
    if isinstance(value, str):
        return [*found, value.encode("utf-16-le")]
    size = (value.bit_length() + 8) // 8
    for stored in (value.to_bytes(size, "big", signed=True), value.to_bytes(8, "big", signed=True)):
        if b"\x00" not in stored:
            found.append(stored)
    return found


def assert_nowhere(path: Path, values: list[int | str]) -> None:
    """None of the values, in any form, and no time of day, in the file or its companions."""
    data = files_bytes(path)
    assert data, "the consultations were recorded"
    for value in values:
        for form in forms(value):
            assert form not in data, f"{value!r} found on disk"
    assert not re.search(rb"\d\d:\d\d:\d\d", data), "a time of day found on disk"


def outcomes(path: Path) -> list[str]:
    """The outcome of every row, in order."""
    db = open_reader(path)
    try:
        return [row["outcome"] for row in db.query(f"SELECT outcome FROM {TABLE} ORDER BY id")]  # noqa: S608
    finally:
        db.close()


def recorder_in(folder: Path) -> tuple[StatsRecorder, Path]:
    """A recorder writing to a new file in the folder."""
    path = folder / "statistiques.sqlite"
    return StatsRecorder(StatsWriter(path, retry_seconds=0.05)), path


@SETTINGS
@given(typed=st.lists(TEXTS, min_size=1, max_size=5), back=st.booleans())
def test_terminal_typed_text_never_reaches_disk(
    tmp_path: Path, typed: list[str], back: bool
) -> None:
    """Whatever is typed at the prompt between answers, only categorical ids are stored."""
    recorder, path = recorder_in(Path(tempfile.mkdtemp(dir=tmp_path)))
    lines = [typed[0], *FAMILY[:2], *typed[1:], *(["r", FAMILY[1]] if back else []), *FAMILY[2:]]
    changed = ["m3", typed[0], FAMILY[2]]  # change an answer at the verdict, text typed meanwhile
    output = consult(recorder, [*lines, *changed, "n", "1", typed[0], "q"])
    assert "Vous devez garder le secret" in output
    assert recorder.close(timeout=5)
    assert_nowhere(path, list(typed))
    assert outcomes(path) == ["completed", "abandoned"]  # the change replaced the first verdict


async def telegram_session(
    api: FakeBotApi, path: Path, recorder: StatsRecorder, worker: Person, group: int,
    member: Person, typed: str,
) -> None:  # fmt: skip
    """Private consultation (typed text, feedback, a change at the verdict), a group check, an
    inline card, a restart and a consultation left half-way."""
    settings_ = make_settings(api, db_path=path, admins=frozenset({worker.id}))
    app = build_application(settings_, knowledge=KNOWLEDGE, events=recorder, timeouts=FAST)
    await app.initialize()
    bot = Harness(api, app, [])
    try:
        await bot.command("/start", worker)
        await bot.command(typed, worker)  # typed text: a reminder, never stored
        await bot.answer_all(FAMILY_PATH, worker)
        verdict = bot.messages(worker.id)[-1]
        first_verdict = verdict["message_id"]
        await bot.press(verdict, bot.find(verdict, Action.FEEDBACK, "0"), worker)
        verdict = api.message(worker.id, verdict["message_id"])
        await bot.press(verdict, bot.find(verdict, Action.REASON), worker)
        verdict = api.message(worker.id, first_verdict)  # ✏️ at the verdict, then a new one
        await bot.press(verdict, bot.find(verdict, Action.CHANGE_MENU), worker)
        menu = api.message(worker.id, verdict["message_id"])
        await bot.press(menu, bot.find(menu, Action.CHANGE, question_char("requester")), worker)
        await bot.command(typed, worker)
        await bot.answer_all({**FAMILY_PATH, "requester": "police"}, worker)
        await bot.command(f"/verif police {typed}", member, group)
        await bot.command("/verif", member, group)
        for _ in range(8):
            try:
                question = bot.asked(group)
            except AssertionError:
                break
            choice = {**FAMILY_PATH, "requester": "police"}.get(question, "ass")
            await bot.answer(question, choice, member, group)
        await bot.send(inline_query(member, typed))
        await bot.send(chosen_result(member, "fr-police", typed))
        await bot.command("/consulter", member)
        await bot.answer("profession", "ass", member)
        restart = bot.question_message(member.id)
        await bot.press(restart, bot.find(restart, Action.RESTART), member)
        await bot.answer("profession", "social", member)  # then walks away: an open row
        await bot.answer("setting", "shelter", member)
        back = bot.question_message(member.id)
        await bot.press(back, bot.find(back, Action.BACK), member)
    finally:
        await app.shutdown()


@SETTINGS
@given(worker=PEOPLE, member=PEOPLE, group=GROUP_IDS, typed=TEXTS)
def test_telegram_ids_names_and_texts_never_reach_disk(
    tmp_path: Path, worker: Person, member: Person, group: int, typed: str
) -> None:
    """Private, group and inline consultations by random people leave only categorical rows."""
    recorder, path = recorder_in(Path(tempfile.mkdtemp(dir=tmp_path)))
    api = FakeBotApi().start()
    try:
        asyncio.run(telegram_session(api, path, recorder, worker, group, member, typed))
    finally:
        api.stop()
    assert recorder.close(timeout=5)
    assert recorder.writer.written >= 4  # progress, completed, feedback, reason, abandoned…
    assert sorted(set(outcomes(path))) == ["abandoned", "completed", "open"]
    values: list[Any] = [worker.id, member.id, group, typed]
    values += [p.first_name for p in (worker, member)] + [p.last_name for p in (worker, member)]
    values += [p.username for p in (worker, member)]
    assert_nowhere(path, values)
