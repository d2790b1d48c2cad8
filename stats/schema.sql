-- The statistics file after every migration of stats/migrations.py (sqlite_master).
-- Written by `python -m stats.schema`; tests/stats/test_schema.py compares a new file.

CREATE TABLE "consultations" (
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
) STRICT;

CREATE INDEX "consultations_by_day"
    ON "consultations" ("day");

CREATE INDEX "consultations_by_rule"
    ON "consultations" ("rule", "day");

CREATE INDEX consultations_open ON consultations (day, channel) WHERE outcome = 'open';
