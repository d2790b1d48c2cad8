"""The schema's history: each migration holds the literal SQL it ran when it was written.

Deployed files record the names of the migrations they ran; a new file runs them all. Both end
with the same schema only if a migration never changes once released, so none of them reads a
live list (questions, channels, verdicts…): when a list grows, a new migration says so, and
`tests/stats/test_schema.py` fails until it exists. The schema after every migration is
committed in `stats/schema.sql`.
"""

# ruff: noqa: E501 - the SQL is kept exactly as it ran, long CHECK lines included

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "chaisevide-stats"
migrations = Migrations(MIGRATION_SET)


@migrations(name="create_consultations_table")
def create_consultations_table(db: Database) -> None:
    """One row per consultation: a day, categorical ids and small counts; STRICT, checked."""
    db.execute("""
CREATE TABLE consultations (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 64 AND jurisdiction NOT GLOB '*[^a-z0-9_-]*'),
    channel TEXT NOT NULL CHECK (channel IN ('private', 'group', 'inline', 'terminal')),
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned')),
    profession TEXT CHECK (length(profession) BETWEEN 1 AND 64 AND profession NOT GLOB '*[^a-z0-9_-]*'),
    setting TEXT CHECK (length(setting) BETWEEN 1 AND 64 AND setting NOT GLOB '*[^a-z0-9_-]*'),
    requester TEXT CHECK (length(requester) BETWEEN 1 AND 64 AND requester NOT GLOB '*[^a-z0-9_-]*'),
    partner_bound TEXT CHECK (length(partner_bound) BETWEEN 1 AND 64 AND partner_bound NOT GLOB '*[^a-z0-9_-]*'),
    same_mission TEXT CHECK (length(same_mission) BETWEEN 1 AND 64 AND same_mission NOT GLOB '*[^a-z0-9_-]*'),
    risk TEXT CHECK (length(risk) BETWEEN 1 AND 64 AND risk NOT GLOB '*[^a-z0-9_-]*'),
    consent TEXT CHECK (length(consent) BETWEEN 1 AND 64 AND consent NOT GLOB '*[^a-z0-9_-]*'),
    rule TEXT CHECK (length(rule) BETWEEN 1 AND 64 AND rule NOT GLOB '*[^a-z0-9_-]*'),
    verdict TEXT CHECK (verdict IN ('must_keep_silent', 'may_share', 'must_share', 'must_act')),
    debated INTEGER NOT NULL DEFAULT 0 CHECK (debated IN (0, 1)),
    kb_version TEXT NOT NULL CHECK (length(kb_version) BETWEEN 1 AND 64 AND kb_version NOT GLOB '*[^a-z0-9_-]*'),
    back_steps INTEGER NOT NULL DEFAULT 0 CHECK (back_steps BETWEEN 0 AND 10000),
    stopped_at TEXT CHECK (stopped_at IN ('profession', 'setting', 'requester', 'partner_bound', 'same_mission', 'risk', 'consent'))
) STRICT
""")


@migrations(name="add_feedback_and_reason_columns")
def add_feedback_and_reason_columns(db: Database) -> None:
    """👍/👎 given after the verdict, and the reason chosen after a 👎."""
    db.execute(
        "ALTER TABLE consultations ADD COLUMN feedback TEXT CHECK (feedback IN ('up', 'down'))"
    )
    db.execute(
        "ALTER TABLE consultations ADD COLUMN feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'unclear', 'mismatch'))"
    )


@migrations(name="index_consultations_by_day_and_by_rule")
def index_consultations_by_day_and_by_rule(db: Database) -> None:
    """Periods and purges read by day; feedback finds its consultation by rule."""
    db.execute("""CREATE INDEX "consultations_by_day"
    ON "consultations" ("day");""")
    db.execute("""CREATE INDEX "consultations_by_rule"
    ON "consultations" ("rule", "day");""")


@migrations(name="allow_open_consultations")
def allow_open_consultations(db: Database) -> None:
    """Let `outcome` be 'open' (a consultation under way): rebuild the table, keeping every row.

    SQLite cannot change a CHECK constraint in place: the table is created anew, strict and
    checked as before, the rows are copied with their ids, the old table dropped and the new one
    renamed; its indexes are created again. It all happens in the migration's transaction.
    """
    db.execute("""
CREATE TABLE consultations_rebuilt (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 64 AND jurisdiction NOT GLOB '*[^a-z0-9_-]*'),
    channel TEXT NOT NULL CHECK (channel IN ('private', 'group', 'inline', 'terminal')),
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned', 'open')),
    profession TEXT CHECK (length(profession) BETWEEN 1 AND 64 AND profession NOT GLOB '*[^a-z0-9_-]*'),
    setting TEXT CHECK (length(setting) BETWEEN 1 AND 64 AND setting NOT GLOB '*[^a-z0-9_-]*'),
    requester TEXT CHECK (length(requester) BETWEEN 1 AND 64 AND requester NOT GLOB '*[^a-z0-9_-]*'),
    partner_bound TEXT CHECK (length(partner_bound) BETWEEN 1 AND 64 AND partner_bound NOT GLOB '*[^a-z0-9_-]*'),
    same_mission TEXT CHECK (length(same_mission) BETWEEN 1 AND 64 AND same_mission NOT GLOB '*[^a-z0-9_-]*'),
    risk TEXT CHECK (length(risk) BETWEEN 1 AND 64 AND risk NOT GLOB '*[^a-z0-9_-]*'),
    consent TEXT CHECK (length(consent) BETWEEN 1 AND 64 AND consent NOT GLOB '*[^a-z0-9_-]*'),
    rule TEXT CHECK (length(rule) BETWEEN 1 AND 64 AND rule NOT GLOB '*[^a-z0-9_-]*'),
    verdict TEXT CHECK (verdict IN ('must_keep_silent', 'may_share', 'must_share', 'must_act')),
    debated INTEGER NOT NULL DEFAULT 0 CHECK (debated IN (0, 1)),
    kb_version TEXT NOT NULL CHECK (length(kb_version) BETWEEN 1 AND 64 AND kb_version NOT GLOB '*[^a-z0-9_-]*'),
    back_steps INTEGER NOT NULL DEFAULT 0 CHECK (back_steps BETWEEN 0 AND 10000),
    stopped_at TEXT CHECK (stopped_at IN ('profession', 'setting', 'requester', 'partner_bound', 'same_mission', 'risk', 'consent')),
    feedback TEXT CHECK (feedback IN ('up', 'down')),
    feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'unclear', 'mismatch'))
) STRICT
""")
    db.execute("""
INSERT INTO consultations_rebuilt (id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason)
SELECT id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason FROM consultations
""")
    db.execute("DROP TABLE consultations")
    db.execute("ALTER TABLE consultations_rebuilt RENAME TO consultations")
    db.execute("""CREATE INDEX "consultations_by_day"
    ON "consultations" ("day");""")
    db.execute("""CREATE INDEX "consultations_by_rule"
    ON "consultations" ("rule", "day");""")


@migrations(name="index_open_consultations")
def index_open_consultations(db: Database) -> None:
    """Each press finds its open row, and the daily sweep its leftovers, through a small index."""
    db.execute(
        "CREATE INDEX consultations_open ON consultations (day, channel) WHERE outcome = 'open'"
    )


@migrations(name="check_stopped_at_as_a_short_id")
def check_stopped_at_as_a_short_id(db: Database) -> None:
    """Check `stopped_at` as a short id, like the answer columns: rebuild, keeping every row.

    Each new question is a value of `stopped_at`; as a closed list in a CHECK, each would need
    this rebuild again. Now a new question is one `ADD COLUMN`. The list of questions stays in
    `stats/record.py`, which refuses any other value before it reaches the file; the table still
    refuses anything that is not a short lowercase id, so no free text can ever be stored.
    """
    db.execute("""
CREATE TABLE consultations_rebuilt (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 64 AND jurisdiction NOT GLOB '*[^a-z0-9_-]*'),
    channel TEXT NOT NULL CHECK (channel IN ('private', 'group', 'inline', 'terminal')),
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned', 'open')),
    profession TEXT CHECK (length(profession) BETWEEN 1 AND 64 AND profession NOT GLOB '*[^a-z0-9_-]*'),
    setting TEXT CHECK (length(setting) BETWEEN 1 AND 64 AND setting NOT GLOB '*[^a-z0-9_-]*'),
    requester TEXT CHECK (length(requester) BETWEEN 1 AND 64 AND requester NOT GLOB '*[^a-z0-9_-]*'),
    partner_bound TEXT CHECK (length(partner_bound) BETWEEN 1 AND 64 AND partner_bound NOT GLOB '*[^a-z0-9_-]*'),
    same_mission TEXT CHECK (length(same_mission) BETWEEN 1 AND 64 AND same_mission NOT GLOB '*[^a-z0-9_-]*'),
    risk TEXT CHECK (length(risk) BETWEEN 1 AND 64 AND risk NOT GLOB '*[^a-z0-9_-]*'),
    consent TEXT CHECK (length(consent) BETWEEN 1 AND 64 AND consent NOT GLOB '*[^a-z0-9_-]*'),
    rule TEXT CHECK (length(rule) BETWEEN 1 AND 64 AND rule NOT GLOB '*[^a-z0-9_-]*'),
    verdict TEXT CHECK (verdict IN ('must_keep_silent', 'may_share', 'must_share', 'must_act')),
    debated INTEGER NOT NULL DEFAULT 0 CHECK (debated IN (0, 1)),
    kb_version TEXT NOT NULL CHECK (length(kb_version) BETWEEN 1 AND 64 AND kb_version NOT GLOB '*[^a-z0-9_-]*'),
    back_steps INTEGER NOT NULL DEFAULT 0 CHECK (back_steps BETWEEN 0 AND 10000),
    stopped_at TEXT CHECK (length(stopped_at) BETWEEN 1 AND 64 AND stopped_at NOT GLOB '*[^a-z0-9_-]*'),
    feedback TEXT CHECK (feedback IN ('up', 'down')),
    feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'unclear', 'mismatch'))
) STRICT
""")
    db.execute("""
INSERT INTO consultations_rebuilt (id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason)
SELECT id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason FROM consultations
""")
    db.execute("DROP TABLE consultations")
    db.execute("ALTER TABLE consultations_rebuilt RENAME TO consultations")
    db.execute("""CREATE INDEX "consultations_by_day"
    ON "consultations" ("day");""")
    db.execute("""CREATE INDEX "consultations_by_rule"
    ON "consultations" ("rule", "day");""")
    db.execute(
        "CREATE INDEX consultations_open ON consultations (day, channel) WHERE outcome = 'open'"
    )


@migrations(name="add_follow_up_question_columns")
def add_follow_up_question_columns(db: Database) -> None:
    """The answers to the follow-up questions: legal_basis, serious_danger, self_request."""
    db.execute(
        "ALTER TABLE consultations ADD COLUMN legal_basis TEXT CHECK (length(legal_basis) BETWEEN 1 AND 64 AND legal_basis NOT GLOB '*[^a-z0-9_-]*')"
    )
    db.execute(
        "ALTER TABLE consultations ADD COLUMN serious_danger TEXT CHECK (length(serious_danger) BETWEEN 1 AND 64 AND serious_danger NOT GLOB '*[^a-z0-9_-]*')"
    )
    db.execute(
        "ALTER TABLE consultations ADD COLUMN self_request TEXT CHECK (length(self_request) BETWEEN 1 AND 64 AND self_request NOT GLOB '*[^a-z0-9_-]*')"
    )


@migrations(name="check_channel_as_a_short_id")
def check_channel_as_a_short_id(db: Database) -> None:
    """Check `channel` as a short id, as `stopped_at` is: rebuild, keeping every row.

    Matrix brought two channels (`matrix`, a direct chat; `matrix_room`, a quick check in a
    room's thread); as a closed list in a CHECK, each new messenger would need this rebuild
    again. The list stays in `flows/events.py` (`Channel`), which `stats/record.py` holds every
    row to before it reaches the file; the table still refuses anything but a short lowercase id.
    """
    db.execute("""
CREATE TABLE consultations_rebuilt (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    jurisdiction TEXT NOT NULL CHECK (length(jurisdiction) BETWEEN 1 AND 64 AND jurisdiction NOT GLOB '*[^a-z0-9_-]*'),
    channel TEXT NOT NULL CHECK (length(channel) BETWEEN 1 AND 64 AND channel NOT GLOB '*[^a-z0-9_-]*'),
    outcome TEXT NOT NULL CHECK (outcome IN ('completed', 'abandoned', 'open')),
    profession TEXT CHECK (length(profession) BETWEEN 1 AND 64 AND profession NOT GLOB '*[^a-z0-9_-]*'),
    setting TEXT CHECK (length(setting) BETWEEN 1 AND 64 AND setting NOT GLOB '*[^a-z0-9_-]*'),
    requester TEXT CHECK (length(requester) BETWEEN 1 AND 64 AND requester NOT GLOB '*[^a-z0-9_-]*'),
    partner_bound TEXT CHECK (length(partner_bound) BETWEEN 1 AND 64 AND partner_bound NOT GLOB '*[^a-z0-9_-]*'),
    same_mission TEXT CHECK (length(same_mission) BETWEEN 1 AND 64 AND same_mission NOT GLOB '*[^a-z0-9_-]*'),
    risk TEXT CHECK (length(risk) BETWEEN 1 AND 64 AND risk NOT GLOB '*[^a-z0-9_-]*'),
    consent TEXT CHECK (length(consent) BETWEEN 1 AND 64 AND consent NOT GLOB '*[^a-z0-9_-]*'),
    rule TEXT CHECK (length(rule) BETWEEN 1 AND 64 AND rule NOT GLOB '*[^a-z0-9_-]*'),
    verdict TEXT CHECK (verdict IN ('must_keep_silent', 'may_share', 'must_share', 'must_act')),
    debated INTEGER NOT NULL DEFAULT 0 CHECK (debated IN (0, 1)),
    kb_version TEXT NOT NULL CHECK (length(kb_version) BETWEEN 1 AND 64 AND kb_version NOT GLOB '*[^a-z0-9_-]*'),
    back_steps INTEGER NOT NULL DEFAULT 0 CHECK (back_steps BETWEEN 0 AND 10000),
    stopped_at TEXT CHECK (length(stopped_at) BETWEEN 1 AND 64 AND stopped_at NOT GLOB '*[^a-z0-9_-]*'),
    feedback TEXT CHECK (feedback IN ('up', 'down')),
    feedback_reason TEXT CHECK (feedback_reason IN ('wrong', 'unclear', 'mismatch')),
    legal_basis TEXT CHECK (length(legal_basis) BETWEEN 1 AND 64 AND legal_basis NOT GLOB '*[^a-z0-9_-]*'),
    serious_danger TEXT CHECK (length(serious_danger) BETWEEN 1 AND 64 AND serious_danger NOT GLOB '*[^a-z0-9_-]*'),
    self_request TEXT CHECK (length(self_request) BETWEEN 1 AND 64 AND self_request NOT GLOB '*[^a-z0-9_-]*')
) STRICT
""")
    db.execute("""
INSERT INTO consultations_rebuilt (id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason, legal_basis, serious_danger, self_request)
SELECT id, day, jurisdiction, channel, outcome, profession, setting, requester, partner_bound, same_mission, risk, consent, rule, verdict, debated, kb_version, back_steps, stopped_at, feedback, feedback_reason, legal_basis, serious_danger, self_request FROM consultations
""")
    db.execute("DROP TABLE consultations")
    db.execute("ALTER TABLE consultations_rebuilt RENAME TO consultations")
    db.execute("""CREATE INDEX "consultations_by_day"
    ON "consultations" ("day");""")
    db.execute("""CREATE INDEX "consultations_by_rule"
    ON "consultations" ("rule", "day");""")
    db.execute(
        "CREATE INDEX consultations_open ON consultations (day, channel) WHERE outcome = 'open'"
    )
