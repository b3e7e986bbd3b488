#!/usr/bin/env python3
"""SQLite's side of compare-bench: the SQL the `sqlite3` tool runs (run.sh times that tool's
process), and its output turned into the answer compare_answers.py checks.

    sqlite_peer.py columns-table              the SQL that adds the table with the fields as columns
    sqlite_peer.py query json|columns PERIOD  the clearance statistics over one of the two tables
    sqlite_peer.py answer TSV                 sqlite3's tab-separated rows as the answer (JSON)

The database (SQLiteMeasures.load) holds `events(seq INTEGER PRIMARY KEY, json TEXT)`, one row
per exported event. `columns-table` adds what a county developer would build: `hazard_events`,
one row per event with the fields as columns, and indexes on the hazard (with the sequence) and
on the type and business date.
"""
import json
import sys

import clearance_sql

COLUMNS_TABLE = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
DROP TABLE IF EXISTS hazard_events;
CREATE TABLE hazard_events(
  seq INTEGER PRIMARY KEY,      -- the log sequence
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  day TEXT NOT NULL,            -- business date (YYYY-MM-DD, Asia/Shanghai)
  occurred_at TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  actor_organization TEXT,
  actor_person TEXT,
  hazard TEXT,                  -- hazardId of a lifecycle event
  region TEXT,
  industry TEXT,
  enterprise TEXT,              -- credit code
  discovered TEXT,
  deadline TEXT,                -- supervision's deadline, extension's or reopening's new deadline
  outcome TEXT,                 -- verification: passed / failed
  lead_department TEXT,
  level TEXT,                   -- escalation level
  kind TEXT,                    -- penalty kind
  amount_fen INTEGER,
  tip_off TEXT
);
BEGIN;
INSERT INTO hazard_events
SELECT json_extract(json, '$.sequence'), json_extract(json, '$.eventId'), json_extract(json, '$.type'),
       substr(json_extract(json, '$.occurredAt'), 1, 10), json_extract(json, '$.occurredAt'),
       json_extract(json, '$.recordedAt'), json_extract(json, '$.actor.organization.id'),
       json_extract(json, '$.actor.person.id'), json_extract(json, '$.data.hazardId'),
       json_extract(json, '$.data.region'), json_extract(json, '$.data.industry'),
       json_extract(json, '$.data.enterprise.creditCode'), json_extract(json, '$.data.discoveredOn'),
       coalesce(json_extract(json, '$.data.deadline'), json_extract(json, '$.data.newDeadline')),
       json_extract(json, '$.data.outcome'), json_extract(json, '$.data.leadDepartment.id'),
       json_extract(json, '$.data.level'), json_extract(json, '$.data.kind'),
       json_extract(json, '$.data.amountFen'), json_extract(json, '$.data.tipOffId')
FROM events ORDER BY seq;
COMMIT;
CREATE INDEX hazard_events_by_hazard ON hazard_events(hazard, seq);
CREATE INDEX hazard_events_by_type ON hazard_events(type, day);
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
"""

# The events as the statistics read them (clearance_sql's `ev`), from each table. The business
# date is the first ten characters of occurredAt, which the export writes at +08:00.
SOURCES = {
    "json": """SELECT seq, json_extract(json, '$.type') AS type,
         substr(json_extract(json, '$.occurredAt'), 1, 10) AS day,
         json_extract(json, '$.data.hazardId') AS hazard,
         coalesce(json_extract(json, '$.data.deadline'), json_extract(json, '$.data.newDeadline')) AS deadline,
         json_extract(json, '$.data.outcome') AS outcome,
         json_extract(json, '$.data.region') AS region,
         json_extract(json, '$.data.industry') AS industry,
         json_extract(json, '$.data.discoveredOn') AS discovered
  FROM events""",
    "columns": "SELECT seq, type, day, hazard, deadline, outcome, region, industry, discovered FROM hazard_events",
}


def main(arguments):
    if arguments == ["columns-table"]:
        print(COLUMNS_TABLE)
    elif len(arguments) == 3 and arguments[0] == "query" and arguments[1] in SOURCES:
        start, end = clearance_sql.period_dates(arguments[2])
        # The JSON is extracted once (materialized); the columns are read where they lie.
        print(".mode tabs")
        print(clearance_sql.query(SOURCES[arguments[1]], start, end, "sqlite", materialize_source=arguments[1] == "json"))
    elif len(arguments) == 2 and arguments[0] == "answer":
        with open(arguments[1], encoding="utf-8") as f:
            rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
        print(json.dumps(clearance_sql.answer(rows), ensure_ascii=False))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
