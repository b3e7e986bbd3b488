#!/usr/bin/env python3
"""The analyst's alternative to Qingling's commands: the export (`qingling export`, JSON Lines)
loaded into a DuckDB table of the events, and the clearance statistics computed with SQL.
Driven by run.sh, which times each process from its start to its exit (process-to-output);
the time spent inside DuckDB (loading; a query, from its text to the rows fetched) is
printed on standard error as `name seconds` lines.

    duckdb_peer.py load JSONL DATABASE        the events into a table `events` of a new database file
    duckdb_peer.py stats DATABASE PERIOD      the statistics from that file (warm: loaded before)
    duckdb_peer.py cold JSONL PERIOD          load into memory and answer, in one process (cold)
    duckdb_peer.py overdue DATABASE           `qingling overdue`'s four lists (without the
                                              escalations issued and the lead department)
    duckdb_peer.py ranking DATABASE QUARTER   `qingling ranking`'s figures (regions, penalties)
    duckdb_peer.py targets DATABASE           `qingling targets`'s checks and breaches (without
                                              who answers for each)

PERIOD: a year (2025) or START..END (2025-01-01..2025-12-31). The answer (standard output) is
JSON in the shape of `qingling stats PERIOD --by both --format json` (region, industry and
the figures of each row; the total), as of the latest business date in the events, as
`qingling stats` answers on a log on the simulated clock.
"""
import datetime
import json
import os
import sys
import time

import duckdb

import clearance_sql

# Every column of the export, read as DuckDB finds it (`data`: a struct of every event type's
# fields), with the whole file sampled so that no rare field is missed.
READ = "SELECT * FROM read_json(?, format = 'newline_delimited', sample_size = -1)"

# The events of `events` as the statistics read them (clearance_sql's `ev`). DuckDB reads
# `occurredAt` as a TIMESTAMPTZ; the business date is its Asia/Shanghai date (ICU, built in).
SOURCE = """SELECT sequence AS seq, type, CAST(timezone('Asia/Shanghai', occurredAt) AS DATE) AS day,
         data.hazardId AS hazard, CAST(coalesce(data.deadline, data.newDeadline) AS DATE) AS deadline,
         data.outcome AS outcome, data.region AS region, data.industry AS industry,
         CAST(data.discoveredOn AS DATE) AS discovered
  FROM events"""


def note(name, seconds):
    print(f"{name} {seconds:.6f}", file=sys.stderr)


def load(connection, jsonl):
    start = time.perf_counter()
    connection.execute(f"CREATE TABLE events AS {READ}", [jsonl])
    connection.execute("CHECKPOINT")
    return time.perf_counter() - start


def statistics(connection, period, label):
    """The answer to `qingling stats PERIOD --by both`; the query's time on standard error."""
    start_time = time.perf_counter()
    start, end = clearance_sql.period_dates(period)
    sql = clearance_sql.query(SOURCE, start, end, "duckdb", materialize_source=False)
    rows = connection.execute(sql).fetchall()
    note(f"duckdb_{label}_query_engine_seconds", time.perf_counter() - start_time)
    return clearance_sql.answer(rows)


def overdue(connection):
    """`qingling overdue`'s lists (clearance_sql.overdue_query); the query's time on standard error."""
    start_time = time.perf_counter()
    rows = connection.execute(clearance_sql.overdue_query(SOURCE)).fetchall()
    note("duckdb_overdue_query_engine_seconds", time.perf_counter() - start_time)
    lists = {"overdue": [], "unsupervised": [], "awaitingVerification": [], "dueSoon": []}
    for name, hazard, status, since, days, level in rows:
        lists[name].append({"hazardId": hazard, "status": status, "since": since, "days": days, "levelDue": level})
    return lists


def targets(connection):
    """`qingling targets`'s checks and breaches (clearance_sql.targets_query); the query's time
    on standard error."""
    start_time = time.perf_counter()
    row = connection.execute(clearance_sql.targets_query(SOURCE)).fetchone()
    note("duckdb_targets_query_engine_seconds", time.perf_counter() - start_time)
    return clearance_sql.targets_answer(row)


def ranking(connection, quarter):
    """`qingling ranking QUARTER`'s figures: each region's overdue at the quarter's end, on-time
    rate, closures, new and open hazards (the clearance query by region and industry over the
    quarter, summed by region), and each department's penalties with a business date in the
    quarter; the query's time on standard error. (The ranks are checked against these figures
    by compare_answers.py; the reference data's region codes, which break ties, and the
    departments' enforcement duty are not the peer's.)"""
    start_time = time.perf_counter()
    year, q = quarter.split("Q")
    start = datetime.date(int(year), 3 * int(q) - 2, 1)
    end = (datetime.date(int(year) + (q == "4"), 1 if q == "4" else 3 * int(q) + 1, 1) - datetime.timedelta(days=1))
    rows = connection.execute(clearance_sql.query(SOURCE, start, end, "duckdb", materialize_source=False)).fetchall()
    penalties = connection.execute(
        "SELECT actor.organization.id, count(*) FROM events WHERE type = 'PenaltyImposed' "
        "AND CAST(timezone('Asia/Shanghai', occurredAt) AS DATE) BETWEEN ? AND ? GROUP BY 1", [start, end]).fetchall()
    note("duckdb_ranking_query_engine_seconds", time.perf_counter() - start_time)
    regions = {}
    for row in clearance_sql.answer(rows)["rows"]:
        r = regions.setdefault(row["region"], dict.fromkeys(("overdueAtEnd", "closed", "closedOnTime", "new", "openAtEnd"), 0))
        for key in r:
            r[key] += row[key]
    for r in regions.values():
        r["onTimeRate"] = r["closedOnTime"] / r["closed"] if r["closed"] else None
    return {"regions": regions, "penalties": dict(penalties)}


def main(arguments):
    if len(arguments) == 3 and arguments[0] == "load":
        jsonl, database = arguments[1:]
        for suffix in ("", ".wal"):
            if os.path.exists(database + suffix):
                os.remove(database + suffix)
        connection = duckdb.connect(database)
        note("duckdb_load_engine_seconds", load(connection, jsonl))
        events = connection.execute("SELECT count(*) FROM events").fetchone()[0]
        connection.close()
        note("duckdb_events", events)
        note("duckdb_bytes", os.path.getsize(database))
    elif len(arguments) == 3 and arguments[0] == "stats":
        connection = duckdb.connect(arguments[1], read_only=True)
        print(json.dumps(statistics(connection, arguments[2], "warm"), ensure_ascii=False))
    elif len(arguments) == 2 and arguments[0] == "overdue":
        connection = duckdb.connect(arguments[1], read_only=True)
        print(json.dumps(overdue(connection), ensure_ascii=False))
    elif len(arguments) == 2 and arguments[0] == "targets":
        connection = duckdb.connect(arguments[1], read_only=True)
        print(json.dumps(targets(connection), ensure_ascii=False))
    elif len(arguments) == 3 and arguments[0] == "ranking":
        connection = duckdb.connect(arguments[1], read_only=True)
        print(json.dumps(ranking(connection, arguments[2]), ensure_ascii=False))
    elif len(arguments) == 3 and arguments[0] == "cold":
        connection = duckdb.connect()
        note("duckdb_cold_load_engine_seconds", load(connection, arguments[1]))
        print(json.dumps(statistics(connection, arguments[2], "cold"), ensure_ascii=False))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
