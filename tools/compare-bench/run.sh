#!/usr/bin/env bash
# What a user waits for: the real `qingling` commands, timed from process start to exit, side by
# side in one run with DuckDB (the export loaded into a table) and SQLite (a JSON-per-row table
# and a table with the fields as columns), on logs of 1, 4 and 16 million generated events; and
# the in-process fold, the scan and `lz4 -d` (the limit) on the same log. docs/performance.md
# says what each figure is. One command:
#
#     bash tools/compare-bench/run.sh [SIZE...]      # sizes: 1M 4M 16M (default: all three)
#
# Every figure is the median of $QINGLING_COMPARE_ROUNDS rounds (default 5; fewer on a busy
# machine: a 1M round takes about 4 minutes there, a 4M round about 13); a ratio is the
# median of the rounds' own ratios (what is compared ran in the same round, minutes apart at
# most). Every peer's clearance statistics are checked equal to Qingling's, figure by figure,
# in every round: a difference stops the run (exit 1).
#
# Work files go to $QINGLING_COMPARE_DIR (default /tmp/qingling-compare): the generated logs
# and their exports are kept and reused (1M: about 0.9 GB, 4M: 3.5 GB, 16M: 14 GB); the
# databases are made afresh per run and removed after each size. Results: results-SIZE.txt
# (`name value` lines; `name_N` for round N, `name_0` for what is measured once) and report.md,
# the tables of docs/performance.md (peers/report.py: medians and ratios), printed at the end.
# $QINGLING_COMPARE_SLICE: the events `append` and `export` handle (default 200000: the first
# lines of the export). $QINGLING_COMPARE_JSONL lists the sizes for the old JSON Lines +
# JSONDecoder replay (default none: about 20,000 events/s).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/../.."
sizes=("${@:-1M 4M 16M}")
read -r -a sizes <<< "${sizes[*]}"
work="${QINGLING_COMPARE_DIR:-/tmp/qingling-compare}"
rounds="${QINGLING_COMPARE_ROUNDS:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: QINGLING_COMPARE_ROUNDS=$rounds is not a positive count" >&2; exit 64; }
peers="$PWD/tools/compare-bench/peers"
period=2025          # the clearance statistics' period (`stats 2025 --by both`)
quarter=2025Q4       # the ranking's quarter
slice="${QINGLING_COMPARE_SLICE:-200000}"  # events in the file `append` reads and the range `export` writes
behind=1000          # events appended since the checkpoint, for the catch-up
mkdir -p "$work"

if ! command -v sqlite3 >/dev/null || ! command -v lz4 >/dev/null || [ ! -x /usr/bin/time ] || ! python3 -c "import duckdb" 2>/dev/null; then
    echo "== installing what is missing: sqlite3, lz4, GNU time or python duckdb (tools/setup.sh)" >&2
    bash tools/setup.sh
fi
# The interpreter itself, not a wrapper (a pyenv shim costs tens of milliseconds per start).
python="$(python3 -c 'import sys; print(sys.executable)')"
swift build -c release --static-swift-stdlib --product qingling >&2
swift build -c release --static-swift-stdlib --product compare-bench >&2
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"
q="$bin/qingling"
cb="$bin/compare-bench"
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Package.swift || echo '+changes')"

# Hazards per year giving about 1, 4 and 16 million events over 2023-01-01 .. 2026-11-20.
hazards_per_year() {
    case "$1" in
        1M) echo 43000 ;; 4M) echo 172000 ;; 16M) echo 688000 ;;
        *) echo "unknown size $1 (use 1M, 4M or 16M)" >&2; exit 64 ;;
    esac
}

for size in "${sizes[@]}"; do hazards_per_year "$size" > /dev/null; done  # unknown sizes refused before any work

# Every contender reads from the page cache: the log (or the export) is read once before it is
# measured.
warm() { cat "$1"/segments/* "$1"/index/* > /dev/null; }

# measure NAME OUTPUT COMMAND...: runs COMMAND with its standard output into OUTPUT and notes
# `NAME_seconds_ROUND` (process start to exit, through GNU time, whose own start is about a
# millisecond) and `NAME_peak_mib_ROUND` in the rounds file; the `name value` lines a peer prints
# on standard error (its in-engine times) are noted likewise. A failure stops the run.
measure() {
    local name="$1" output="$2"
    shift 2
    local start end
    start=$EPOCHREALTIME
    if ! /usr/bin/time -f %M -o "$work/$name.mem" "$@" > "$output" 2> "$work/$name.err"; then
        echo "run.sh: $name failed: $*" >&2
        cat "$work/$name.err" "$work/$name.mem" >&2
        exit 1
    fi
    end=$EPOCHREALTIME
    {
        awk -v a="$start" -v b="$end" -v key="${name}_seconds_$round" 'BEGIN {printf "%s %.6f\n", key, b - a}'
        awk -v key="${name}_peak_mib_$round" 'END {printf "%s %.1f\n", key, $1 / 1024}' "$work/$name.mem"
        awk -v round="$round" '/^[a-z_]+ [0-9.e+-]+$/ {print $1 "_" round, $2}' "$work/$name.err"
    } >> "$rounds_file"
}

# The rounds' measurements, each a function; a round runs them in this order, the next round in
# the reverse order, so that none always meets the same neighbour.
m_rebuild() {       # `qingling rebuild`: no checkpoint, full fold, checkpoint saved
    rm -rf "$log/projections"; warm "$log"
    measure q_rebuild /dev/null "$q" rebuild --log "$log" --format json
}
m_warm() {          # the four answers with a current checkpoint
    [ -f "$log/projections/state.qlproj" ] || "$q" rebuild --log "$log" > /dev/null
    measure q_stats "$work/q-stats-$size.json" "$q" stats "$period" --by both --format json --log "$log"
    measure q_overdue "$work/q-overdue-$size.json" "$q" overdue --format json --log "$log"
    measure q_targets "$work/q-targets-$size.json" "$q" targets --format json --log "$log"
    measure q_ranking "$work/q-ranking-$size.json" "$q" ranking "$quarter" --format json --log "$log"
}
m_cold() {          # `qingling stats` with no checkpoint: it rebuilds (and saves one) itself
    rm -rf "$log/projections"; warm "$log"
    measure q_stats_cold "$work/q-stats-cold-$size.json" "$q" stats "$period" --by both --format json --log "$log"
}
m_catch_up() {      # the next `stats` after $behind events were appended since the checkpoint
    "$cb" checkpoint-behind "$log" "$behind"
    measure q_catch_up "$work/q-stats-catch-up-$size.json" "$q" stats "$period" --by both --format json --log "$log"
}
m_append() {        # `qingling append` of a JSON Lines file of $slice events into a new log
    rm -rf "$work/append-log"
    cat "$work/slice-$size.jsonl" > /dev/null
    measure q_append /dev/null "$q" append --log "$work/append-log" "$work/slice-$size.jsonl"
    rm -rf "$work/append-log"
}
m_retry() {         # the same file appended into the log it was exported from: every event a retry,
                    # each looked up in the whole log (nothing is written)
    warm "$log"
    measure q_append_retry /dev/null "$q" append --log "$log" "$work/slice-$size.jsonl"
}
m_export() {        # `qingling export` of the log's first $slice events
    warm "$log"
    measure q_export "$work/export-slice.jsonl" "$q" export --log "$log" --to "$((slice - 1))"
    cmp -s "$work/export-slice.jsonl" "$work/slice-$size.jsonl" ||
        { echo "run.sh: qingling export --to $((slice - 1)) differs from the first $slice lines of the full export" >&2; exit 1; }
    rm -f "$work/export-slice.jsonl"
}
m_fold() {          # the in-process fold (compare-bench rebuild), the scan alone, lz4 -d
    warm "$log"
    measure fold_process "$work/fold-$size.txt" "$cb" rebuild "$log" "$work/statistics-$size-qingling.tsv"
    awk -v round="$round" '{print $1 "_" round, $2}' "$work/fold-$size.txt" >> "$rounds_file"
    warm "$log"
    measure scan_process "$work/scan-$size.txt" "$cb" scan "$log"
    awk -v round="$round" '{print $1 "_" round, $2}' "$work/scan-$size.txt" >> "$rounds_file"
    cat "$frames" > /dev/null
    measure lz4_process "$work/lz4-$size.txt" "$cb" lz4 "$frames"
    awk -v round="$round" '{print $1 "_" round, $2}' "$work/lz4-$size.txt" >> "$rounds_file"
}
m_duckdb() {        # DuckDB: load + query in one process (cold); the queries on its database (warm)
    cat "$jsonl" > /dev/null
    measure duckdb_cold "$work/duckdb-cold-$size.json" "$python" "$peers/duckdb_peer.py" cold "$jsonl" "$period"
    measure duckdb_warm "$work/duckdb-warm-$size.json" "$python" "$peers/duckdb_peer.py" stats "$duckdb" "$period"
    measure duckdb_overdue "$work/duckdb-overdue-$size.json" "$python" "$peers/duckdb_peer.py" overdue "$duckdb"
    measure duckdb_targets "$work/duckdb-targets-$size.json" "$python" "$peers/duckdb_peer.py" targets "$duckdb"
    measure duckdb_ranking "$work/duckdb-ranking-$size.json" "$python" "$peers/duckdb_peer.py" ranking "$duckdb" "$quarter"
}
m_sqlite() {        # SQLite: the statistics over the JSON-per-row table and over the columns table
    measure sqlite_json "$work/sqlite-json-$size.tsv" sqlite3 -readonly "$sqlite" ".read $work/sqlite-json.sql"
    measure sqlite_columns "$work/sqlite-columns-$size.tsv" sqlite3 -readonly "$sqlite" ".read $work/sqlite-columns.sql"
}
measurements=(m_rebuild m_warm m_cold m_catch_up m_append m_retry m_export m_fold m_duckdb m_sqlite)

# Every answer of the round checked: Qingling's cold, warm and caught-up statistics identical,
# every peer's equal to them figure by figure, and DuckDB's overdue lists, targets and ranking
# figures equal to Qingling's.
check_answers() {
    for other in cold catch-up; do
        cmp -s "$work/q-stats-$size.json" "$work/q-stats-$other-$size.json" ||
            { echo "run.sh: qingling stats ($other) differs from stats with a current checkpoint" >&2; exit 1; }
    done
    "$python" "$peers/sqlite_peer.py" answer "$work/sqlite-json-$size.tsv" > "$work/sqlite-json-$size.json"
    "$python" "$peers/sqlite_peer.py" answer "$work/sqlite-columns-$size.tsv" > "$work/sqlite-columns-$size.json"
    for peer in duckdb-cold duckdb-warm sqlite-json sqlite-columns; do
        "$python" "$peers/compare_answers.py" stats "$work/q-stats-$size.json" "$work/$peer-$size.json" "$peer" >&2
    done
    "$python" "$peers/compare_answers.py" overdue "$work/q-overdue-$size.json" "$work/duckdb-overdue-$size.json" duckdb >&2
    "$python" "$peers/compare_answers.py" targets "$work/q-targets-$size.json" "$work/duckdb-targets-$size.json" duckdb >&2
    "$python" "$peers/compare_answers.py" ranking "$work/q-ranking-$size.json" "$work/duckdb-ranking-$size.json" duckdb >&2
}

for size in "${sizes[@]}"; do
    log="$work/log-$size"
    jsonl="$work/events-$size.jsonl"
    results="$work/results-$size.txt"
    rounds_file="$work/rounds-$size.txt"
    : > "$rounds_file"
    round=0
    if [ ! -d "$log" ]; then
        echo "== $size: generating the log" >&2
        rm -rf "$log.partial"
        measure generate /dev/null "$q" generate --seed 2024 --hazards-per-year "$(hazards_per_year "$size")" --into "$log.partial"
        mv "$log.partial" "$log"
    fi
    rm -rf "$log/projections"
    if [ ! -f "$jsonl" ]; then
        echo "== $size: exporting JSON Lines" >&2
        "$q" export --log "$log" > "$jsonl.partial"
        mv "$jsonl.partial" "$jsonl"
    fi
    head -n "$slice" "$jsonl" > "$work/slice-$size.jsonl"
    {
        echo "log_segment_bytes $(du -sb "$log/segments" | cut -f1)"
        echo "log_index_bytes $(du -sb "$log/index" | cut -f1)"
        echo "jsonl_bytes $(stat -c %s "$jsonl")"
        echo "slice_events $slice"
        echo "behind_events $behind"
    } >> "$rounds_file"
    echo "== $size: durable appends, trace, open to first append" >&2
    "$cb" append "$log" "$work" >> "$rounds_file"
    warm "$log"
    "$cb" trace "$log" >> "$rounds_file"
    rm -rf "$work/open-append"
    cp -r "$log" "$work/open-append"
    sync  # the copy's own write-back is not part of opening a log
    warm "$work/open-append"
    "$cb" open-append "$work/open-append" >> "$rounds_file"
    rm -rf "$work/open-append"

    echo "== $size: loading SQLite (JSON per row, then columns) and DuckDB" >&2
    sqlite="$work/events-$size.sqlite"
    duckdb="$work/events-$size.duckdb"
    "$cb" sqlite-load "$jsonl" "$sqlite" >> "$rounds_file"
    "$python" "$peers/sqlite_peer.py" columns-table > "$work/sqlite-columns-table.sql"
    measure sqlite_columns_load /dev/null sqlite3 "$sqlite" ".read $work/sqlite-columns-table.sql"
    echo "sqlite_total_bytes $(du -cb "$sqlite"* | tail -1 | cut -f1)" >> "$rounds_file"
    "$python" "$peers/sqlite_peer.py" query json "$period" > "$work/sqlite-json.sql"
    "$python" "$peers/sqlite_peer.py" query columns "$period" > "$work/sqlite-columns.sql"
    cat "$jsonl" > /dev/null
    measure duckdb_load /dev/null "$python" "$peers/duckdb_peer.py" load "$jsonl" "$duckdb"
    sync  # the databases' write-back is not part of what follows
    frames="$work/payloads-$size.lz4"
    "$cb" frames "$log" "$frames" >> "$rounds_file"

    for round in $(seq "$rounds"); do
        echo "== $size: round $round of $rounds" >&2
        if (( round % 2 )); then order=("${measurements[@]}"); else order=(); for ((k = ${#measurements[@]} - 1; k >= 0; k--)); do order+=("${measurements[k]}"); done; fi
        for m in "${order[@]}"; do "$m"; done
        check_answers
    done
    echo "answers_checked_rounds $rounds" >> "$rounds_file"
    rm -f "$frames" "$sqlite" "$sqlite-wal" "$sqlite-shm" "$duckdb" "$duckdb.wal"
    rm -rf "$log/projections"

    if [[ " ${QINGLING_COMPARE_JSONL:-none} " == *" $size "* ]]; then
        echo "== $size: JSON Lines + JSONDecoder" >&2
        "$cb" jsonl "$jsonl" "$work/statistics-$size-jsonl.tsv" >> "$rounds_file"
        cmp -s "$work/statistics-$size-qingling.tsv" "$work/statistics-$size-jsonl.tsv" ||
            { echo "run.sh: the JSON Lines replay's statistics differ from Qingling's" >&2; exit 1; }
    fi
    { echo "commit $commit"; echo "rounds $rounds"; cat "$rounds_file"; } > "$results"
done

{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
         "$(swift --version 2>&1 | head -1); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/SQLite /'); DuckDB $("$python" -c 'import duckdb; print(duckdb.__version__)');" \
         "Python $("$python" -c 'import platform; print(platform.python_version())'); $(lz4 --version 2>&1 | head -1 | cut -d, -f1 | sed 's/^\*\*\* //')."
    echo
    "$python" "$peers/report.py" "$work"
} | tee "$work/report.md"
