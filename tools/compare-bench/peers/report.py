#!/usr/bin/env python3
"""The tables of docs/performance.md from the results run.sh wrote.

    report.py WORK-DIR

Reads WORK-DIR/results-SIZE.txt (`name value` lines; `name_N` for round N, `name_0` for what
was measured once). A figure is the median of its rounds; a ratio is the median of the rounds'
own ratios (its two sides measured in the same round).
"""
import glob
import os
import re
import statistics
import sys


def read(path):
    values = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2:
                try:
                    values[parts[0]] = float(parts[1])
                except ValueError:
                    values[parts[0]] = parts[1]
    return values


def median(xs):
    xs = sorted(x for x in xs if x is not None)
    return xs[(len(xs) - 1) // 2] if xs else None


class Size:
    def __init__(self, label, values):
        self.label, self.v = label, values
        self.rounds = int(values.get("rounds", 0))

    def round(self, key, n):
        return self.v.get(f"{key}_{n}")

    def each(self, f):
        """f(n) for every round n, where all its figures exist."""
        out = []
        for n in range(1, self.rounds + 1):
            try:
                out.append(f(n))
            except (TypeError, ZeroDivisionError):
                pass
        return out

    def med(self, key):
        """The median of `key` over the rounds, else its one measurement."""
        m = median(self.each(lambda n: self.round(key, n) + 0))
        if m is not None:
            return m
        return self.v.get(f"{key}_0", self.v.get(key))

    def ratio(self, a, b):
        """The median of the rounds' a(n) / b(n), with their values."""
        values = self.each(lambda n: a(n) / b(n))
        return median(values), values

    def s(self, key):
        return lambda n: self.round(key, n)

    def sqlite_best(self, n):
        return min(self.round("sqlite_json_seconds", n), self.round("sqlite_columns_seconds", n))

    @property
    def events(self):
        return self.med("events")


def fmt_s(x):
    if x is None:
        return "—"
    if x < 0.01:
        return f"{x * 1000:.2f} ms"
    if x < 1:
        return f"{x * 1000:.0f} ms"
    return f"{x:.2f} s"


def fmt_ratio(x):
    if x is None:
        return "—"
    return f"{x:.3f}×" if x < 0.1 else f"{x:.2f}×"


def fmt_int(x):
    return "—" if x is None else f"{x:,.0f}"


def answers_table(z):
    rows = []

    def row(name, ours, peer_name, peer, ratio_values, target=""):
        ratio, values = ratio_values if ratio_values else (None, [])
        each = ", ".join(f"{r:.3g}" for r in values)
        rows.append(f"| {name} | {fmt_s(ours)} | {peer_name} | {fmt_s(peer)} | {fmt_ratio(ratio)} | {each} | {target} |")

    s = z.s
    fold = s("rebuild_seconds")  # the in-process fold of compare-bench rebuild
    row("cold: `stats` with no checkpoint (rebuilds, saves one)", z.med("q_stats_cold_seconds"),
        "DuckDB: load the export + query, one process", z.med("duckdb_cold_seconds"),
        z.ratio(s("q_stats_cold_seconds"), s("duckdb_cold_seconds")), "< 1")
    rebuild_and_stats = z.ratio(lambda n: s("q_rebuild_seconds")(n) + s("q_stats_seconds")(n), lambda n: 1)[0]
    row("cold: `rebuild` + `stats`", rebuild_and_stats, "DuckDB: load the export + query, one process", z.med("duckdb_cold_seconds"),
        z.ratio(lambda n: s("q_rebuild_seconds")(n) + s("q_stats_seconds")(n), s("duckdb_cold_seconds")), "< 1")
    row("cold: `rebuild` + `stats`", rebuild_and_stats, "in-process fold (compare-bench rebuild)", z.med("rebuild_seconds"),
        z.ratio(lambda n: s("q_rebuild_seconds")(n) + s("q_stats_seconds")(n), fold), "≤ 1.3")
    row("cold: `stats` with no checkpoint", z.med("q_stats_cold_seconds"), "in-process fold", z.med("rebuild_seconds"),
        z.ratio(s("q_stats_cold_seconds"), fold), "≤ 1.3")
    row("`rebuild` (process start to exit)", z.med("q_rebuild_seconds"), "in-process fold", z.med("rebuild_seconds"),
        z.ratio(s("q_rebuild_seconds"), fold))
    row("warm: `stats 2025 --by both` (checkpoint current)", z.med("q_stats_seconds"),
        "DuckDB: query its database file, one process", z.med("duckdb_warm_seconds"),
        z.ratio(s("q_stats_seconds"), s("duckdb_warm_seconds")))
    row("warm: `stats`", z.med("q_stats_seconds"), "DuckDB: the query inside the engine", z.med("duckdb_warm_query_engine_seconds"),
        z.ratio(s("q_stats_seconds"), s("duckdb_warm_query_engine_seconds")), "≤ 0.1")
    row("warm: `stats`", z.med("q_stats_seconds"), "SQLite, best table (`sqlite3` process)",
        median(z.each(z.sqlite_best)), z.ratio(s("q_stats_seconds"), z.sqlite_best))
    row("warm: `overdue`", z.med("q_overdue_seconds"), "DuckDB: the overdue lists' query inside the engine",
        z.med("duckdb_overdue_query_engine_seconds"),
        z.ratio(s("q_overdue_seconds"), s("duckdb_overdue_query_engine_seconds")), "≤ 0.1; ≤ 50 ms at 16M")
    row("warm: `ranking 2025Q4`", z.med("q_ranking_seconds"), "DuckDB: the ranking's queries inside the engine",
        z.med("duckdb_ranking_query_engine_seconds"),
        z.ratio(s("q_ranking_seconds"), s("duckdb_ranking_query_engine_seconds")), "≤ 0.1; ≤ 50 ms at 16M")
    row("warm: `targets`", z.med("q_targets_seconds"), "DuckDB: the targets' query inside the engine",
        z.med("duckdb_targets_query_engine_seconds"),
        z.ratio(s("q_targets_seconds"), s("duckdb_targets_query_engine_seconds")), "≤ 0.1; ≤ 50 ms at 16M")
    row(f"catch-up: `stats` after {fmt_int(z.v.get('behind_events'))} events appended", z.med("q_catch_up_seconds"),
        "DuckDB: query its database file", z.med("duckdb_warm_seconds"),
        z.ratio(s("q_catch_up_seconds"), s("duckdb_warm_seconds")), "≤ 20 ms at 16M")
    out = [f"### {z.label}: {fmt_int(z.events)} events, {fmt_int(z.med('hazards'))} hazards ({z.rounds} round{'s' if z.rounds != 1 else ''}, at {z.v.get('commit')})\n",
           "| what the user waits for | Qingling | peer | peer | Qingling ÷ peer | each round | target |",
           "|---|---:|---|---:|---:|---|---|"]
    return out + rows


def throughput_table(sizes):
    out = ["| log | `append` of a JSON Lines file: events, events/s, peak MiB | the same file into the whole log (every event a retry): events/s, peak MiB | `export`: events, events/s | in-process fold: events/s, peak MiB | fold ÷ `lz4 -d` speed (each round) | scan only: events/s |",
           "|---|---|---|---|---|---|---:|"]
    for z in sizes:
        n = z.v.get("slice_events")
        append = z.med("q_append_seconds")
        retry = z.med("q_append_retry_seconds")
        export = z.med("q_export_seconds")
        lz4, lz4_rounds = z.ratio(z.s("lz4_seconds"), z.s("rebuild_seconds"))
        out.append(f"| {z.label} | {fmt_int(n)}: {fmt_int(n / append if append else None)}/s, {fmt_int(z.med('q_append_peak_mib'))} MiB "
                   f"| {fmt_int(n / retry if retry else None)}/s, {fmt_int(z.med('q_append_retry_peak_mib'))} MiB "
                   f"| {fmt_int(n)}: {fmt_int(n / export if export else None)}/s "
                   f"| {fmt_int(z.med('rebuild_events_per_second'))}/s, {fmt_int(z.med('rebuild_peak_mib'))} MiB "
                   f"| {lz4 * 100:.0f}% ({', '.join(f'{r * 100:.0f}' for r in lz4_rounds)}) "
                   f"| {fmt_int(z.med('scan_events_per_second'))} |")
    return out


def peers_table(sizes):
    out = ["| log | DuckDB: load into its file (engine) | its file | cold: load + query (engine) | warm: query (engine) | warm: process | SQLite: JSON rows insert | columns table built from them | database (both tables) | query, JSON rows | query, columns |",
           "|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|"]
    for z in sizes:
        out.append(f"| {z.label} | {fmt_s(z.med('duckdb_load_engine_seconds'))} | {fmt_int((z.med('duckdb_bytes') or 0) / 2**20)} MiB "
                   f"| {fmt_s(z.med('duckdb_cold_load_engine_seconds'))} + {fmt_s(z.med('duckdb_cold_query_engine_seconds'))} "
                   f"| {fmt_s(z.med('duckdb_warm_query_engine_seconds'))} | {fmt_s(z.med('duckdb_warm_seconds'))} "
                   f"| {fmt_s(z.v.get('sqlite_insert_seconds'))} | {fmt_s(z.med('sqlite_columns_load_seconds'))} "
                   f"| {fmt_int((z.v.get('sqlite_total_bytes') or 0) / 2**20)} MiB "
                   f"| {fmt_s(z.med('sqlite_json_seconds'))} | {fmt_s(z.med('sqlite_columns_seconds'))} |")
    return out


def library_table(sizes):
    out = ["| log | bare `fdatasync` | 1-event durable batch (÷ bare) | 1,000-event batches, events/s (÷ SQLite's 1,000-row transactions) | bulk import, events/s | trace, median | open to first append | log on disk, bytes/event |",
           "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for z in sizes:
        v = z.v
        fsync, one = v.get("fdatasync_seconds"), v.get("append_1_batch_seconds")
        thousand, sqlite = v.get("append_1000_events_per_second"), v.get("sqlite_insert_events_per_second")
        disk = (v.get("log_segment_bytes", 0) + v.get("log_index_bytes", 0)) / z.events if z.events else None
        out.append(f"| {z.label} | {fmt_s(fsync)} | {fmt_s(one)} ({fmt_ratio(one / fsync if one and fsync else None)}) "
                   f"| {fmt_int(thousand)} ({fmt_ratio(thousand / sqlite if thousand and sqlite else None)}) "
                   f"| {fmt_int(v.get('bulk_import_events_per_second'))} | {fmt_s(v.get('trace_median_seconds'))} "
                   f"| {fmt_s(v.get('open_append_store_seconds'))} | {disk:.0f} |")
    return out


def targets_table(sizes):
    out = ["| target | " + " | ".join(z.label for z in sizes) + " | status (largest log measured ÷ target) |",
           "|---|" + "---:|" * len(sizes) + "---|"]

    def line(name, f, good, unit=lambda x: fmt_s(x), at16=False, goal=None, higher=False):
        values = [f(z) for z in sizes]
        last = values[-1]
        off = ""
        if goal and last is not None and not good(last):
            factor = goal / last if higher else last / goal
            off = f": {factor:.2f}× off" if factor < 1.1 else f": {factor:.1f}× off"
        cells = " | ".join(unit(x) if x is not None else "—" for x in values)
        if at16:
            z16 = [x for z, x in zip(sizes, values) if z.label == "16M"]
            if z16 and z16[0] is not None:
                status = "met" if good(z16[0]) else f"**not met**{off}"
            else:
                status = "16M not measured; " + ("met at every size measured" if all(x is not None and good(x) for x in values) else f"**not met** at {sizes[-1].label} already{off}")
        else:
            status = "met" if all(x is not None and good(x) for x in values) else f"**not met**{off}"
        out.append(f"| {name} | {cells} | {status} |")

    for command in ("stats", "overdue", "targets", "ranking"):
        line(f"warm `{command}` ≤ 50 ms at 16M", lambda z, c=command: z.med(f"q_{c}_seconds"), lambda x: x <= 0.050, at16=True, goal=0.050)
    for command, peer in (("stats", "warm"), ("overdue", "overdue"), ("targets", "targets"), ("ranking", "ranking")):
        line(f"warm `{command}` ÷ DuckDB's query (engine) ≤ 0.1",
             lambda z, c=command, p=peer: z.ratio(z.s(f"q_{c}_seconds"), z.s(f"duckdb_{p}_query_engine_seconds"))[0],
             lambda x: x <= 0.1, fmt_ratio, goal=0.1)
    line("(`rebuild` + `stats`) ÷ in-process fold ≤ 1.3",
         lambda z: z.ratio(lambda n: z.round("q_rebuild_seconds", n) + z.round("q_stats_seconds", n), z.s("rebuild_seconds"))[0],
         lambda x: x <= 1.3, fmt_ratio, goal=1.3)
    line("cold `stats` ÷ DuckDB load + query < 1", lambda z: z.ratio(z.s("q_stats_cold_seconds"), z.s("duckdb_cold_seconds"))[0],
         lambda x: x < 1, fmt_ratio)
    line("catch-up after 1,000 events ≤ 20 ms at 16M", lambda z: z.med("q_catch_up_seconds"), lambda x: x <= 0.020, at16=True, goal=0.020)
    line("`append` of JSON Lines ≥ 200k events/s", lambda z: z.v.get("slice_events") / z.med("q_append_seconds"), lambda x: x >= 200_000,
         lambda x: f"{x:,.0f}/s", goal=200_000, higher=True)
    line("`export` ≥ 500k events/s", lambda z: z.v.get("slice_events") / z.med("q_export_seconds"), lambda x: x >= 500_000,
         lambda x: f"{x:,.0f}/s", goal=500_000, higher=True)
    line("fold ≥ 40% of `lz4 -d`'s speed", lambda z: z.ratio(z.s("lz4_seconds"), z.s("rebuild_seconds"))[0], lambda x: x >= 0.40,
         lambda x: f"{x * 100:.0f}%", goal=0.40, higher=True)
    line("1-event durable append ÷ bare `fdatasync` ≤ 2", lambda z: z.v.get("append_1_batch_seconds") / z.v.get("fdatasync_seconds"),
         lambda x: x <= 2, fmt_ratio, goal=2)
    line("1,000-event durable appends ÷ SQLite's inserts ≥ 5",
         lambda z: z.v.get("append_1000_events_per_second") / z.v.get("sqlite_insert_events_per_second"), lambda x: x >= 5, fmt_ratio, goal=5, higher=True)
    out.append("")
    z = sizes[0]
    out.append(f"`append`'s memory bounded by the batch: appending the {fmt_int(z.v.get('slice_events'))}-event file "
               f"({fmt_int(z.v.get('slice_events') * z.v.get('jsonl_bytes') / z.events / 2**20)} MiB) peaked at "
               f"{fmt_int(z.med('q_append_peak_mib'))} MiB ({z.label}); not judged here, as one file size does not show "
               "whether memory grows with the file.")
    return out


def main(directory):
    sizes = []
    for path in glob.glob(os.path.join(directory, "results-*.txt")):
        label = re.sub(r"^results-|\.txt$", "", os.path.basename(path))
        sizes.append(Size(label, read(path)))
    if not sizes:
        sys.exit(f"report.py: no results-*.txt in {directory}")
    sizes.sort(key=lambda z: z.events or 0)
    out = []
    out.append("### Answers: Qingling's commands against the peers, process start to exit\n")
    for z in sizes:
        out += answers_table(z) + [""]
    out.append("### Throughput: `append`, `export`, the fold and the scan\n")
    out += throughput_table(sizes) + [""]
    out.append("### The peers in detail (medians)\n")
    out += peers_table(sizes) + [""]
    out.append("### The log library: durable appends, trace, opening, size\n")
    out += library_table(sizes) + [""]
    out.append("### Targets (issue 23)\n")
    out += targets_table(sizes) + [""]
    out.append("### Same answers\n")
    for z in sizes:
        out.append(f"- {z.label}: in every round ({fmt_int(z.v.get('answers_checked_rounds'))}), `qingling stats {2025} --by both --format json` "
                   "with no checkpoint, with a current one and after the catch-up gave the same bytes, and the statistics of DuckDB "
                   "(cold and warm) and of SQLite (JSON rows and columns) were equal to them, every figure of every region and "
                   "industry and the total; DuckDB's overdue lists equal `qingling overdue`'s (every hazard, its status, the date "
                   "counted from, its days, the level due) and its ranking figures `qingling ranking 2025Q4`'s (each region's "
                   "figures, the ranks in their order, each department's penalties), and its targets `qingling targets`'s (each "
                   "check's figures and verdict, every breach's date, hazard, status and deadline) (peers/compare_answers.py).")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
