"""Where people give up, through the real bot: one row per consultation, no key, swept next day.

The real Application talks to the fake Bot API; its events go to the real recorder and writer,
whose clock (the day of rows and of the sweep) the tests move forward instead of waiting.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.codec import Action, question_char
from flows.consultation import Consultation
from flows.events import ConsultationEvent
from flows.outcome import Verdict
from stats.recorder import StatsRecorder
from stats.store import COLUMNS, TABLE, open_reader
from stats.summary import summary_text
from stats.writer import StatsWriter
from tests.bot.conftest import FAMILY_PATH, FAST, QUICK, WORKER, Harness, make_settings
from tests.bot.fakeapi import FakeBotApi
from tests.bot.updates import Person

DAY = dt.date(2025, 3, 12)
SAM = Person(2222, "Sam")
TEAM = -100555666
POLICE_PATH = {**FAMILY_PATH, "requester": "police"}
SHOWN = (
    *("day", "channel", "jurisdiction", "outcome", "profession", "setting", "requester", "risk"),
    *("consent", "rule", "back_steps", "stopped_at", "feedback", "feedback_reason"),
)


class Clock:
    """The statistics' today, moved forward by the test."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.date:
        return self.day

    def next_day(self) -> None:
        """Midnight passes."""
        self.day += dt.timedelta(days=1)


@dataclass
class Recorded:
    """A bot whose events are recorded to a file, and what the tests read back."""

    api: FakeBotApi
    path: Path
    clock: Clock
    bots: list[Harness] = field(default_factory=list)
    recorders: list[StatsRecorder] = field(default_factory=list)

    async def start(self, **settings: Any) -> Harness:
        """One more bot process (its own Application and its own writer, on the same file)."""
        index = len(self.recorders)
        self.recorders.append(self.recorder())
        events: list[ConsultationEvent] = []

        def tee(event: ConsultationEvent) -> None:
            """Keep the event for assertions, and record it with the process's recorder."""
            events.append(event)
            self.recorders[index](event)

        chosen = make_settings(self.api, db_path=self.path, **settings)
        app = build_application(chosen, events=tee, timeouts=FAST, retry=QUICK)
        await app.initialize()
        bot = Harness(self.api, app, events)
        self.bots.append(bot)
        return bot

    def recorder(self) -> StatsRecorder:
        """A recorder and its writer, on the test's clock."""
        return StatsRecorder(StatsWriter(self.path, retry_seconds=0.05, today=self.clock))

    def restart_recorder(self, index: int = -1) -> None:
        """A process's statistics writer stops and starts again (a new day may have begun)."""
        assert self.recorders[index].close(timeout=5)
        self.recorders[index] = self.recorder()

    def rows(self, columns: tuple[str, ...] = SHOWN) -> list[dict[str, Any]]:
        """The rows as the file holds them now (everything queued written first)."""
        for recorder in self.recorders:
            assert recorder.writer.flush(timeout=5)
        if not self.path.exists():
            return []  # created at the first row
        db = open_reader(self.path)
        try:
            sql = f"SELECT {', '.join(columns)} FROM {TABLE} ORDER BY id"  # noqa: S608
            return [dict(row) for row in db.query(sql)]
        finally:
            db.close()

    def outcomes(self) -> list[str]:
        """The outcome of each row, in order."""
        return [row["outcome"] for row in self.rows(("outcome",))]


@pytest.fixture
async def recorded(api: FakeBotApi, tmp_path: Path) -> AsyncIterator[Recorded]:
    """A French bot recording to a file in tmp_path, on DAY."""
    setup = Recorded(api, tmp_path / "statistiques.sqlite", Clock(DAY))
    yield setup
    for bot in setup.bots:
        await bot.app.shutdown()
        assert bot.unanswered() == [], "every button press must be answered"
    for recorder in setup.recorders:
        assert recorder.close(timeout=5)


def verdict_of(answers: dict[str, str]) -> Verdict:
    """What the flows answer for these answers."""
    outcome = Consultation(("fr",), answers).current()
    assert isinstance(outcome, Verdict)
    return outcome


def row(**values: Any) -> dict[str, Any]:
    """A row as `Recorded.rows` shows it: private, French, today, nothing but the values given."""
    empty = dict.fromkeys(SHOWN)
    base = {"day": DAY.isoformat(), "channel": "private", "jurisdiction": "fr", "back_steps": 0}
    return empty | base | values


async def press(bot: Harness, action: str) -> None:
    """The worker presses a tool of the question on screen (back, restart…)."""
    message = bot.question_message()
    await bot.press(message, bot.find(message, action))


async def change_at_verdict(bot: Harness, question_id: str, person: Person = WORKER) -> None:
    """✏️ on the latest verdict, then the answer to change."""
    verdict = bot.messages(person.id)[-1]
    await bot.press(verdict, bot.find(verdict, Action.CHANGE_MENU), person)
    menu = bot.api.message(person.id, verdict["message_id"])
    await bot.press(menu, bot.find(menu, Action.CHANGE, question_char(question_id)), person)


async def test_a_worker_who_walks_away_leaves_one_open_row_abandoned_the_next_day(
    recorded: Recorded,
) -> None:
    """Three answers then nothing: one open row today, stopped at the 4th question; the next day
    the recorder's start-up sweep marks it abandoned. Nothing about the worker is kept to do so."""
    bot = await recorded.start()
    await bot.command("/consulter")
    assert recorded.rows() == []  # the first question shown needs no row
    for question in ("profession", "setting", "requester"):
        await bot.answer(question, FAMILY_PATH[question])
    assert bot.asked() == "risk"
    answered = {"profession": "ass", "setting": "shelter", "requester": "family"}
    assert recorded.rows() == [row(outcome="open", stopped_at="risk", **answered)]
    recorded.clock.next_day()
    recorded.restart_recorder()  # the writer starts: rows still open from earlier days are swept
    assert recorded.rows() == [row(outcome="abandoned", stopped_at="risk", **answered)]
    db = open_reader(recorded.path)
    assert tuple(db[TABLE].columns_dict) == COLUMNS  # no column was added to link anything
    summary = summary_text(db, recorded.clock(), min_count=1)
    db.close()
    assert "Abandonnées" in summary
    assert "Danger" in summary.split("Abandons : question en cours")[1]


async def test_the_sweep_also_runs_while_the_bot_keeps_running(
    api: FakeBotApi, tmp_path: Path
) -> None:
    """A writer that stays up sweeps at most once per period (an hour; shortened here)."""
    clock = Clock(DAY)
    path = tmp_path / "statistiques.sqlite"
    writer = StatsWriter(path, retry_seconds=0.05, sweep_seconds=0.05, today=clock)
    recorder = StatsRecorder(writer)
    app = build_application(make_settings(api, db_path=path), events=recorder, timeouts=FAST)
    await app.initialize()
    bot = Harness(api, app, [])
    try:
        await bot.command("/consulter")
        await bot.answer("profession", "ass")
        assert writer.flush()
        clock.next_day()
        deadline = time.monotonic() + 5
        while writer.swept == 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)  # the writer's timer, not the day: the clock moved already
        assert writer.swept == 1
    finally:
        await app.shutdown()
        assert recorder.close(timeout=5)
    db = open_reader(path)
    assert [r["outcome"] for r in db.query(f"SELECT outcome FROM {TABLE}")] == ["abandoned"]  # noqa: S608
    db.close()


async def test_back_and_change_before_the_verdict_keep_one_row(recorded: Recorded) -> None:
    """↩️, a new answer, a change: still one open row, its back steps counted, where it stands."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer("profession", "ass")
    await bot.answer("setting", "shelter")
    await press(bot, Action.BACK)
    await bot.answer("setting", "social_aid")
    await bot.answer("requester", "family")
    await press(bot, Action.BACK)
    await bot.answer("requester", "colleague")
    assert bot.asked() == "partner_bound"
    message = bot.question_message()
    state = bot.read(bot.find(message, Action.BACK)).state
    change = bot.codec.pack(state, Action.CHANGE, question_char("profession"))
    await bot.press(message, change)  # a change before the verdict (the flows allow it)
    assert bot.asked() == "profession"
    answers = {"setting": "social_aid", "requester": "colleague"}
    assert recorded.rows() == [
        row(outcome="open", back_steps=2, stopped_at="profession", **answers)
    ]
    await bot.answer("profession", "health")
    assert recorded.rows() == [
        row(
            outcome="open", back_steps=2, stopped_at="partner_bound", profession="health", **answers
        )
    ]


async def test_a_verdict_completes_the_row_in_place(recorded: Recorded) -> None:
    """Five answers, one ↩️: one completed row with the rule, the answers and the back step."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer("profession", "ass")
    await press(bot, Action.BACK)
    await bot.answer_all(FAMILY_PATH)
    rule = verdict_of(FAMILY_PATH).rule.id
    assert recorded.rows() == [row(outcome="completed", rule=rule, back_steps=1, **FAMILY_PATH)]


async def test_a_change_at_the_verdict_leaves_one_completed_row_with_the_new_answers(
    recorded: Recorded,
) -> None:
    """✏️ at the verdict, then a new verdict: the same row takes the new answers, not a second
    one; ↩️ from that verdict and the same answer again: still one row, one more back step."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    await change_at_verdict(bot, "requester")
    await bot.answer_all(POLICE_PATH)
    new_answers = dict(bot.events[-1].answers)
    police = verdict_of(new_answers).rule.id
    assert new_answers["requester"] == "police"
    assert recorded.rows() == [row(outcome="completed", rule=police, **new_answers)]
    verdict = bot.messages()[-1]
    await bot.press(verdict, bot.find(verdict, Action.BACK))  # ↩️ on the verdict
    await bot.answer_all(POLICE_PATH)
    assert recorded.rows() == [row(outcome="completed", rule=police, back_steps=1, **new_answers)]
    assert [e.kind for e in bot.events].count("completed") == 3  # three verdicts shown…
    assert len(recorded.rows()) == 1  # …one consultation


async def test_answers_brought_by_the_retry_button_are_counted_once(
    recorded: Recorded, api: FakeBotApi
) -> None:
    """Telegram fails past its tries at a question and at the verdict; « 🔁 » brings each: one
    row, open then completed, and one completed event — the taps report nothing more."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer("profession", "ass")
    api.fail("editMessageText", "502", times=3)
    await bot.answer("setting", "shelter")
    at_requester = row(outcome="open", profession="ass", setting="shelter", stopped_at="requester")
    assert recorded.rows() == [at_requester]
    await bot.again()
    assert bot.asked() == "requester"
    assert recorded.rows() == [at_requester]
    for question in ("requester", "risk"):
        await bot.answer(question, FAMILY_PATH[question])
    api.fail("sendMessage", "502", times=3)
    await bot.answer("consent", "refused")
    completed = row(outcome="completed", rule=verdict_of(FAMILY_PATH).rule.id, **FAMILY_PATH)
    assert recorded.rows() == [completed]
    await bot.again()
    assert len(bot.verdicts()) == 1
    assert recorded.rows() == [completed]
    kinds = [e.kind for e in bot.events]
    assert kinds == ["progress", "progress", "progress", "progress", "completed"]


async def test_changing_at_the_verdict_then_leaving_keeps_the_verdict(recorded: Recorded) -> None:
    """✏️ then nothing: the consultation did get its verdict; the row stays completed, as shown,
    and the sweep leaves it alone. Restarting mid-change is no abandon either."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer_all(FAMILY_PATH)
    rule = verdict_of(FAMILY_PATH).rule.id
    await change_at_verdict(bot, "requester")
    await press(bot, Action.BACK)  # ↩️ while changing: counted on the verdict's row
    assert bot.asked() == "setting"
    assert recorded.rows() == [row(outcome="completed", rule=rule, back_steps=1, **FAMILY_PATH)]
    await press(bot, Action.RESTART)
    assert recorded.rows() == [row(outcome="completed", rule=rule, back_steps=1, **FAMILY_PATH)]
    recorded.clock.next_day()
    recorded.restart_recorder()
    assert recorded.outcomes() == ["completed"]


async def test_two_workers_with_the_same_path_interleaved_count_as_two(
    recorded: Recorded,
) -> None:
    """Identical answers pressed in turn: two rows, whichever each press updates; one finishes,
    the other walks away: one completed, one open, then abandoned."""
    bot = await recorded.start()
    await bot.command("/consulter", WORKER)
    await bot.command("/consulter", SAM)
    for question in ("profession", "setting", "requester", "risk"):
        await bot.answer(question, FAMILY_PATH[question], WORKER)
        await bot.answer(question, FAMILY_PATH[question], SAM)
    assert recorded.outcomes() == ["open", "open"]
    await bot.answer("consent", "refused", SAM)
    rule = verdict_of(FAMILY_PATH).rule.id
    at_consent = {key: value for key, value in FAMILY_PATH.items() if key != "consent"}
    expected = [
        row(outcome="completed", rule=rule, **FAMILY_PATH),
        row(outcome="open", stopped_at="consent", **at_consent),
    ]
    assert sorted(recorded.rows(), key=str) == sorted(expected, key=str)
    recorded.clock.next_day()
    recorded.restart_recorder()
    assert sorted(recorded.outcomes()) == ["abandoned", "completed"]


async def test_feedback_lands_on_the_right_completed_row(recorded: Recorded) -> None:
    """Two verdicts (one after a change): 👍 and 👎 + reason go each to its own consultation."""
    bot = await recorded.start()
    await bot.command("/consulter", WORKER)
    await bot.answer_all(FAMILY_PATH, WORKER)
    await bot.command("/consulter", SAM)
    await bot.answer_all(FAMILY_PATH, SAM)
    await change_at_verdict(bot, "requester", SAM)
    await bot.answer_all(POLICE_PATH, SAM)
    sam_verdict = bot.messages(SAM.id)[-1]
    await bot.press(sam_verdict, bot.find(sam_verdict, Action.FEEDBACK, "0"), SAM)
    asking = bot.api.message(SAM.id, sam_verdict["message_id"])
    await bot.press(asking, bot.find(asking, Action.REASON, "2"), SAM)
    worker_verdict = bot.messages(WORKER.id)[-1]
    await bot.press(worker_verdict, bot.find(worker_verdict, Action.FEEDBACK, "1"), WORKER)
    shown = recorded.rows(("requester", "outcome", "feedback", "feedback_reason"))
    assert shown == [
        {"requester": "family", "outcome": "completed", "feedback": "up", "feedback_reason": None},
        {"requester": "police", "outcome": "completed", "feedback": "down",
         "feedback_reason": "mismatch"},
    ]  # fmt: skip


async def test_restarting_before_the_verdict_abandons_the_row_and_starts_a_new_one(
    recorded: Recorded,
) -> None:
    """🔄 mid-way: that row is abandoned at once; the next consultation gets its own row."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer("profession", "health")
    await bot.answer("setting", "hospital")
    await press(bot, Action.BACK)
    await press(bot, Action.RESTART)
    assert recorded.rows() == [
        row(outcome="abandoned", profession="health", back_steps=1, stopped_at="setting")
    ]
    await bot.answer("profession", "ass")
    assert recorded.rows()[1] == row(outcome="open", profession="ass", stopped_at="setting")


async def test_a_prefilled_check_has_its_row_from_the_start(recorded: Recorded) -> None:
    """/verif with words: the answers typed make a row at once; the presses continue it."""
    bot = await recorded.start()
    await bot.command("/verif famille", WORKER, TEAM)
    expected = row(channel="group", outcome="open", requester="family", stopped_at="profession")
    assert recorded.rows() == [expected]
    await bot.answer("profession", "ass", WORKER, TEAM)
    assert recorded.rows() == [expected | {"profession": "ass", "stopped_at": "setting"}]


async def test_any_process_continues_the_row_another_one_started(recorded: Recorded) -> None:
    """Two bot processes, each with its own writer on the file, take turns: still one row."""
    first = await recorded.start()
    second = await recorded.start()
    await first.command("/consulter")
    await first.answer("profession", "ass")
    assert recorded.rows()  # written by the first process
    await second.answer("setting", "shelter")
    await second.answer("requester", "family")
    assert recorded.rows() == [
        row(outcome="open", profession="ass", setting="shelter", requester="family",
            stopped_at="risk")
    ]  # fmt: skip


async def test_a_consultation_across_midnight_counts_twice(recorded: Recorded) -> None:
    """The known limit: rows are continued on their own day only. Started before midnight and
    finished after, it leaves yesterday's row (abandoned) and today's (completed)."""
    bot = await recorded.start()
    await bot.command("/consulter")
    await bot.answer("profession", "ass")
    recorded.clock.next_day()
    await bot.answer_all(FAMILY_PATH)
    rows = recorded.rows(("day", "outcome"))
    assert rows == [
        {"day": DAY.isoformat(), "outcome": "open"},
        {"day": recorded.clock().isoformat(), "outcome": "completed"},
    ]
    db = open_reader(recorded.path)
    summary = summary_text(db, recorded.clock(), min_count=1)  # not swept yet: read as abandoned
    db.close()
    lines = summary.splitlines()
    assert next(line for line in lines if "Abandonnées" in line).split()[-1] == "1"
    assert next(line for line in lines if "Terminées" in line).split()[-1] == "1"


async def test_a_country_chosen_first_is_the_rows_country(recorded: Recorded) -> None:
    """Serving France and Belgium: the country answered moves the row to its column."""
    bot = await recorded.start(jurisdictions=("fr", "be"))
    await bot.command("/consulter")
    await bot.answer("jurisdiction", "be")
    await bot.answer("profession", "as")
    assert recorded.rows() == [
        row(jurisdiction="be", outcome="open", profession="as", stopped_at="setting")
    ]
