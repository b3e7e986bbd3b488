"""The clearance statistics of docs/analyst-guide.md in SQL, for the peers of compare-bench.

One query text, run by DuckDB (duckdb_peer.py) and by SQLite (run.sh, through the `sqlite3`
tool), over a relation of the events that each peer makes its own way:

    ev(seq, type, day, hazard, deadline, outcome, region, industry, discovered)

one row per event naming one hazard (`day`: the Asia/Shanghai business date of `occurredAt`;
`deadline`: a supervision's deadline or an extension's or reopening's new deadline; dates as
'YYYY-MM-DD' text in SQLite, DATE in DuckDB). The query gives one row per region and industry
(`qingling stats PERIOD --by both`): region, industry and the nine counted figures; the rates
and the total are derived from them (`answer`).

The definitions, as `ClearanceStatistics.figures(of:period:knowledge:)` applies them:
- a hazard counts when its (first) report happened by the as-of date A and it was not withdrawn;
- a hazard's state at a date D is the fold of its lifecycle events in log order, cut at the
  first one that happened after D: an event is in the prefix of D when the latest business date
  of its hazard's lifecycle events up to it (`reach`) is on or before D;
- stock: discovered before the start S and not closed at the end of S - 1; new: discovered in
  [S, E]; closed, extensions, failed verifications: such events in the prefix of M = min(E, A)
  that happened on or after S (a closure counts each time); closed on time: a closure whose
  latest passed verification before it fell on or before the deadline in force at that
  verification; open at end: discovered by E and not closed at M; overdue at end: open, with the
  deadline in force at M before M; stock closed: stock and closed at M.
"""

import datetime

LIFECYCLE = ("'HazardReported', 'HazardSupervised', 'DeadlineExtended', 'HazardRectified', "
             "'HazardVerified', 'HazardClosed', 'HazardReopened', 'HazardWithdrawn'")

FIGURES = ("stock", "new", "closed", "closedOnTime", "openAtEnd", "overdueAtEnd", "stockClosed",
           "extensions", "failedVerifications")


def query(source, start, end, dialect, materialize_source=True):
    """The statistics of [start, end] (datetime.date) by region and industry over `source` (a
    SELECT giving the columns of `ev` for every event; `hazard` and the rest null where the
    event has none), as of the latest business date of any event, the end measured at the
    earlier of `end` and that date. `dialect`: "duckdb" (DATE literals) or "sqlite" (text);
    `materialize_source`: compute `source` once (for sources that extract from JSON)."""
    day_before = start - datetime.timedelta(days=1)
    literal = (lambda d: f"DATE '{d}'") if dialect == "duckdb" else (lambda d: f"'{d}'")
    S, E, B = literal(start), literal(end), literal(day_before)
    A = "(SELECT max(day) FROM ev)"
    M = f"(CASE WHEN {E} < {A} THEN {E} ELSE {A} END)"
    materialized = "MATERIALIZED " if materialize_source else ""
    return f"""
WITH ev AS {materialized}(
  {source}
),
life AS MATERIALIZED (
  SELECT hazard, seq, type, day, deadline, outcome,
         max(day) OVER w AS reach,
         max(CASE WHEN deadline IS NOT NULL THEN seq END) OVER w AS deadline_seq,
         max(CASE WHEN type = 'HazardVerified' AND outcome = 'passed' THEN seq END) OVER w AS passed_seq
  FROM ev
  WHERE type IN ({LIFECYCLE})
  WINDOW w AS (PARTITION BY hazard ORDER BY seq ROWS UNBOUNDED PRECEDING)
),
first_report AS (
  SELECT hazard, min(seq) AS seq FROM ev WHERE type = 'HazardReported' GROUP BY hazard
),
hz AS MATERIALIZED (
  SELECT ev.hazard, ev.region, ev.industry, ev.discovered
  FROM first_report f JOIN ev ON ev.seq = f.seq
  WHERE ev.day <= {A}
    AND ev.hazard NOT IN (SELECT hazard FROM life WHERE type = 'HazardWithdrawn' AND reach <= {A})
),
last_at_start AS (SELECT hazard, max(seq) AS seq FROM life WHERE reach <= {B} GROUP BY hazard),
last_at_end AS (SELECT hazard, max(seq) AS seq FROM life WHERE reach <= {M} GROUP BY hazard),
at_start AS (SELECT l.hazard, l.type FROM last_at_start s JOIN life l ON l.seq = s.seq),
at_end AS (
  SELECT l.hazard, l.type, d.deadline
  FROM last_at_end e JOIN life l ON l.seq = e.seq LEFT JOIN life d ON d.seq = l.deadline_seq
),
in_period AS (
  SELECT c.hazard,
         sum(CASE WHEN c.type = 'HazardClosed' THEN 1 ELSE 0 END) AS closed,
         sum(CASE WHEN c.type = 'HazardClosed' AND v.day <= d.deadline THEN 1 ELSE 0 END) AS closed_on_time,
         sum(CASE WHEN c.type = 'DeadlineExtended' THEN 1 ELSE 0 END) AS extensions,
         sum(CASE WHEN c.type = 'HazardVerified' AND c.outcome = 'failed' THEN 1 ELSE 0 END) AS failed
  FROM life c
  LEFT JOIN life v ON c.type = 'HazardClosed' AND v.seq = c.passed_seq
  LEFT JOIN life d ON d.seq = v.deadline_seq
  WHERE c.reach <= {M} AND c.day >= {S} AND c.type IN ('HazardClosed', 'DeadlineExtended', 'HazardVerified')
  GROUP BY c.hazard
),
per_hazard AS (
  SELECT hz.region, hz.industry,
         CASE WHEN hz.discovered < {S} AND coalesce(s.type, '') <> 'HazardClosed' THEN 1 ELSE 0 END AS stock,
         CASE WHEN hz.discovered >= {S} AND hz.discovered <= {E} THEN 1 ELSE 0 END AS new,
         coalesce(p.closed, 0) AS closed,
         coalesce(p.closed_on_time, 0) AS closed_on_time,
         CASE WHEN hz.discovered <= {E} AND coalesce(e.type, '') <> 'HazardClosed' THEN 1 ELSE 0 END AS open_at_end,
         CASE WHEN hz.discovered <= {E} AND coalesce(e.type, '') <> 'HazardClosed' AND e.deadline < {M} THEN 1 ELSE 0 END AS overdue_at_end,
         CASE WHEN hz.discovered < {S} AND coalesce(s.type, '') <> 'HazardClosed' AND e.type = 'HazardClosed' THEN 1 ELSE 0 END AS stock_closed,
         coalesce(p.extensions, 0) AS extensions,
         coalesce(p.failed, 0) AS failed
  FROM hz
  LEFT JOIN at_start s ON s.hazard = hz.hazard
  LEFT JOIN at_end e ON e.hazard = hz.hazard
  LEFT JOIN in_period p ON p.hazard = hz.hazard
)
SELECT region, industry, sum(stock), sum(new), sum(closed), sum(closed_on_time), sum(open_at_end),
       sum(overdue_at_end), sum(stock_closed), sum(extensions), sum(failed)
FROM per_hazard
GROUP BY region, industry
ORDER BY region, industry;
"""


def answer(rows):
    """The answer in the shape of `qingling stats --by both --format json` (the keys compared):
    `rows` of region, industry and the figures with their rates, and the `total`."""
    def figures(values):
        f = dict(zip(FIGURES, (int(v) for v in values)))
        f["onTimeRate"] = f["closedOnTime"] / f["closed"] if f["closed"] else None
        f["stockClearedRate"] = f["stockClosed"] / f["stock"] if f["stock"] else None
        return f
    out_rows = []
    totals = [0] * len(FIGURES)
    for row in rows:
        values = row[2:]
        totals = [t + int(v) for t, v in zip(totals, values)]
        out_rows.append({"region": row[0], "industry": row[1], **figures(values)})
    return {"rows": out_rows, "total": figures(totals)}


def period_dates(text):
    """A year (2025) or START..END (2025-01-01..2025-12-31) as its first and last day."""
    if ".." in text:
        start, end = text.split("..")
    elif text.isdigit() and len(text) == 4:
        start, end = f"{text}-01-01", f"{text}-12-31"
    else:
        raise SystemExit(f"period {text!r}: give a year or START..END")
    return datetime.date.fromisoformat(start), datetime.date.fromisoformat(end)


# The escalation ladder's default thresholds (days overdue) and levels, as `qingling overdue`.
LADDER = ((60, "exposure"), (30, "summons"), (15, "notice"), (1, "letter"))


def overdue_query(source):
    """`qingling overdue`'s four lists as of the latest business date D of any event (DuckDB):
    overdue (open, deadline in force before D: days overdue and the level due by the default
    ladder), unsupervised (still reported more than 7 days after the report), awaiting
    verification more than 10 days after the rectification, due within 7 days (open, deadline
    on or after D and at most 7 days away, not verified). Each row: list, hazard, status, the
    date the list counts from, the days and (overdue) the level due; ordered by list and hazard.
    (Not computed: the escalation already issued and whether a higher one is due, and the lead
    department.)

    D being the latest business date of any event, every lifecycle event is in the prefix of D
    (its `reach` is on or before D), so a hazard's state at D is the fold of all its lifecycle
    events: its status is set by its last event other than an extension, its deadline by its
    last event that gives one, and it counts from the date of its first report and of its last
    rectification. One aggregate per hazard finds them (`arg_max`/`arg_min` by sequence,
    `state`): no window over the events and no join back to them."""
    level = "CASE " + " ".join(f"WHEN days >= {d} THEN '{name}'" for d, name in LADDER) + " END"
    return f"""
WITH ev AS ({source}),
D AS (SELECT max(day) AS d FROM ev),
state AS (
  SELECT hazard,
         arg_min(day, seq) FILTER (WHERE type = 'HazardReported') AS reported,
         arg_max(CASE type WHEN 'HazardReported' THEN 'reported' WHEN 'HazardSupervised' THEN 'rectifying'
                           WHEN 'HazardRectified' THEN 'awaiting-verification'
                           WHEN 'HazardVerified' THEN (CASE WHEN outcome = 'passed' THEN 'verified' ELSE 'rectifying' END)
                           WHEN 'HazardClosed' THEN 'closed' WHEN 'HazardReopened' THEN 'rectifying'
                           WHEN 'HazardWithdrawn' THEN 'withdrawn' END, seq)
           FILTER (WHERE type <> 'DeadlineExtended') AS status,
         arg_max(deadline, seq) FILTER (WHERE deadline IS NOT NULL) AS deadline,
         arg_max(day, seq) FILTER (WHERE type = 'HazardRectified') AS rectified
  FROM ev
  WHERE type IN ({LIFECYCLE})
  GROUP BY hazard
),
open AS (
  SELECT state.*, D.d AS today FROM state, D
  WHERE reported IS NOT NULL AND status NOT IN ('closed', 'withdrawn')
),
lists AS (
  SELECT 'overdue' AS list, hazard, status, deadline AS since, today - deadline AS days FROM open WHERE deadline < today
  UNION ALL
  SELECT 'dueSoon', hazard, status, deadline, deadline - today FROM open
    WHERE deadline >= today AND deadline - today <= 7 AND status <> 'verified'
  UNION ALL
  SELECT 'unsupervised', hazard, status, reported, today - reported FROM open WHERE status = 'reported' AND today - reported > 7
  UNION ALL
  SELECT 'awaitingVerification', hazard, status, rectified, today - rectified FROM open
    WHERE status = 'awaiting-verification' AND today - rectified > 10
)
SELECT list, hazard, status, CAST(since AS VARCHAR), days,
       CASE WHEN list = 'overdue' THEN {level} END AS level_due
FROM lists ORDER BY list, hazard;
"""


# The plan's dates (`PlanTargets`): the stock is what was discovered by STOCK_DISCOVERED and is
# judged on STOCK_DAY (or D, if earlier); the month ends of 2026 are the dynamic-zero checks.
STOCK_DISCOVERED = datetime.date(2023, 12, 31)
STOCK_DAY = datetime.date(2024, 12, 31)
NEW_YEARS = (2024, 2025)
MONTH_ENDS = tuple(datetime.date(2026 + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
                   for month in range(1, 13))
DYNAMIC_DAY = MONTH_ENDS[-1]


def targets_query(source):
    """`qingling targets`'s three checks as of the latest business date D of any event (DuckDB),
    in one row: D, the stock's check day min(2024-12-31, D), the counted hazards discovered in
    2024 and in 2025, the month ends of 2026 checked (those on or before D), and the breaches,
    a list of (target, on, hazardId, status, deadline) ordered by target, date and hazard.
    Counted: reported by D and not withdrawn at D. A hazard is measured on a date once its
    report happened by then, in the status and with the deadline in force that the fold of its
    lifecycle events in the prefix of that date gives (`reach`, as `query`): each
    lifecycle event's state holds from its reach until the next event's reach (`spans`).
    Breaches: stockCleared, a counted hazard discovered by 2023-12-31 open on the check day;
    dynamicZero, a counted hazard open at a month end with its deadline in force before it.
    (Not computed: the breaches' region, industry, discovery date, lead department and
    responsible persons.)"""
    months = ", ".join(f"(DATE '{m}')" for m in MONTH_ENDS)
    return f"""
WITH ev AS ({source}),
D AS (SELECT max(day) AS d FROM ev),
life AS (
  SELECT hazard, seq, type, deadline,
         CASE type WHEN 'HazardReported' THEN 'reported' WHEN 'HazardSupervised' THEN 'rectifying'
                   WHEN 'HazardRectified' THEN 'awaiting-verification'
                   WHEN 'HazardVerified' THEN (CASE WHEN outcome = 'passed' THEN 'verified' ELSE 'rectifying' END)
                   WHEN 'HazardClosed' THEN 'closed' WHEN 'HazardReopened' THEN 'rectifying'
                   WHEN 'HazardWithdrawn' THEN 'withdrawn' END AS sets_status,
         max(day) OVER (PARTITION BY hazard ORDER BY seq ROWS UNBOUNDED PRECEDING) AS reach
  FROM ev
  WHERE type IN ({LIFECYCLE})
),
spans AS MATERIALIZED (
  SELECT hazard, type, reach, lead(reach) OVER w AS until,
         last_value(sets_status IGNORE NULLS) OVER w AS status,
         last_value(deadline IGNORE NULLS) OVER w AS deadline
  FROM life
  WINDOW w AS (PARTITION BY hazard ORDER BY seq ROWS UNBOUNDED PRECEDING)
),
first_report AS (SELECT hazard, min(seq) AS seq FROM ev WHERE type = 'HazardReported' GROUP BY hazard),
hz AS MATERIALIZED (
  SELECT ev.hazard, ev.day AS reported, ev.discovered
  FROM first_report f JOIN ev ON ev.seq = f.seq, D
  WHERE ev.day <= D.d
    AND ev.hazard NOT IN (SELECT hazard FROM spans, D WHERE type = 'HazardWithdrawn' AND reach <= D.d)
),
dates AS (
  SELECT 'stockCleared' AS target, least(DATE '{STOCK_DAY}', D.d) AS on_day FROM D
  UNION ALL
  SELECT 'dynamicZero', m FROM (VALUES {months}) months(m), D WHERE m <= D.d
),
breaches AS (
  SELECT dates.target, dates.on_day, s.hazard, s.status, s.deadline
  FROM spans s JOIN hz ON hz.hazard = s.hazard
  JOIN dates ON s.reach <= dates.on_day AND (s.until IS NULL OR dates.on_day < s.until) AND hz.reported <= dates.on_day
  WHERE s.status NOT IN ('closed', 'withdrawn')
    AND (dates.target = 'stockCleared' AND hz.discovered <= DATE '{STOCK_DISCOVERED}'
         OR dates.target = 'dynamicZero' AND s.deadline < dates.on_day)
)
SELECT CAST(D.d AS VARCHAR),
       (SELECT CAST(on_day AS VARCHAR) FROM dates WHERE target = 'stockCleared'),
       (SELECT count(*) FROM hz WHERE year(discovered) = {NEW_YEARS[0]}),
       (SELECT count(*) FROM hz WHERE year(discovered) = {NEW_YEARS[1]}),
       (SELECT count(*) FROM dates WHERE target = 'dynamicZero'),
       (SELECT list([target, CAST(on_day AS VARCHAR), hazard, status, CAST(deadline AS VARCHAR)]
                    ORDER BY target DESC, on_day, hazard) FROM breaches)
FROM D;
"""


def targets_answer(row):
    """The answer in the shape the comparison reads from `qingling targets --format json`: `asOf`,
    each check's figures and verdict (as `PlanTargets` decides it from them and the date), and
    the breaches (target, on, hazardId, status, deadline)."""
    as_of, check_day, new_2024, new_2025, month_ends, rows = row
    breaches = [dict(zip(("target", "on", "hazardId", "status", "deadline"), r)) for r in rows or []]
    stock = sum(b["target"] == "stockCleared" for b in breaches)
    overdue = sum(b["target"] == "dynamicZero" for b in breaches)
    date = datetime.date.fromisoformat(as_of)
    return {
        "asOf": as_of,
        "checks": {
            "stockCleared": {"on": check_day, "open": stock,
                             "verdict": "pending" if date < STOCK_DAY else ("failed" if stock else "passed")},
            "newContained": {"in2024": new_2024, "in2025": new_2025,
                             "verdict": "pending" if date < datetime.date(2025, 12, 31) else ("passed" if new_2025 < new_2024 else "failed")},
            "dynamicZero": {"checked": month_ends, "overdue": overdue,
                            "verdict": "failed" if overdue else ("passed" if date >= DYNAMIC_DAY else "pending")},
        },
        "breaches": breaches,
    }
