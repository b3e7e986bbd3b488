#!/usr/bin/env bash
# Qingling against SQLite, JSON Lines + JSONDecoder and `lz4 -d`, on logs of 1, 4 and 16 million
# generated events (docs/performance.md). One command:
#
#     bash tools/compare-bench/run.sh [SIZE...]      # sizes: 1M 4M 16M (default: all three)
#
# Work files (logs, JSON Lines, SQLite databases: about 30 GB for all three sizes) go to
# $QINGLING_COMPARE_DIR (default /tmp/qingling-compare); generated logs and JSON Lines are kept
# and reused by later runs. Results: $QINGLING_COMPARE_DIR/results-SIZE.txt and the tables on
# standard output. The JSON Lines replay runs for the sizes in $QINGLING_COMPARE_JSONL (default
# "1M 4M", "none" for none: at about 20,000 events/s it would take over 13 minutes on 16M events).
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-1M 4M 16M}")
read -r -a sizes <<< "${sizes[*]}"
work="${QINGLING_COMPARE_DIR:-/tmp/qingling-compare}"
mkdir -p "$work"

command -v sqlite3 >/dev/null && command -v lz4 >/dev/null || {
    echo "installing sqlite3 and lz4" >&2
    apt-get install -y sqlite3 lz4 >/dev/null
}
swift build -c release --product qingling >&2
swift build -c release --product compare-bench >&2
bin="$(swift build -c release --show-bin-path)"

# Hazards per year giving about 1, 4 and 16 million events over 2023-01-01 .. 2026-11-20.
hazards_per_year() {
    case "$1" in
        1M) echo 43000 ;; 4M) echo 172000 ;; 16M) echo 688000 ;;
        *) echo "unknown size $1 (use 1M, 4M or 16M)" >&2; exit 64 ;;
    esac
}

# Every contender reads from the page cache: the log is read once before each measurement of
# it (the SQLite database and the JSON Lines file are read right after being written or read).
warm() { cat "$1"/segments/* "$1"/index/* > /dev/null; }

# Rounds per log (and of the growth rebuilds at the end).
rounds=5

# One measurement of round $1 for the log being measured ($size, $log, $frames), each into a
# file of its own; `median_run` then picks the round of median value.
decompress() {
    cat "$frames" > /dev/null
    "$bin/compare-bench" lz4 "$frames" > "$work/lz4-$size-$1.txt"
}
scan() {
    warm "$log"
    "$bin/compare-bench" scan "$log" > "$work/scan-$size-$1.txt"
}
rebuild() {
    warm "$log"
    "$bin/compare-bench" rebuild "$log" "$work/statistics-$size-qingling.tsv" > "$work/rebuild-$size-$1.txt"
}
query() {
    "$bin/compare-bench" sqlite-query "$work/events-$size.sqlite" "$work/statistics-$size-sqlite.tsv" > "$work/sqlite-query-$size-$1.txt"
}
value() { awk -v key="$1" '$1 == key {print $2}' "$2"; }
median_run() {  # the run whose value of $1 in files $2-RUN.txt is the median
    for run in $(seq "$rounds"); do echo "$(value "$1" "$2-$run.txt") $run"; done | sort -g | sed -n "$(( (rounds + 1) / 2 ))p" | cut -d' ' -f2
}

for size in "${sizes[@]}"; do
    log="$work/log-$size"
    jsonl="$work/events-$size.jsonl"
    results="$work/results-$size.txt"
    if [ ! -d "$log" ]; then
        echo "== $size: generating the log" >&2
        rm -rf "$log.partial"
        "$bin/qingling" generate --seed 2024 --hazards-per-year "$(hazards_per_year "$size")" --into "$log.partial" >&2
        mv "$log.partial" "$log"
    fi
    rm -rf "$log/projections"
    if [ ! -f "$jsonl" ]; then
        echo "== $size: exporting JSON Lines" >&2
        "$bin/qingling" export --log "$log" > "$jsonl.partial"
        mv "$jsonl.partial" "$jsonl"
    fi
    : > "$results"
    {
        echo "log_segment_bytes $(du -sb "$log/segments" | cut -f1)"
        echo "log_index_bytes $(du -sb "$log/index" | cut -f1)"
        echo "jsonl_bytes $(stat -c %s "$jsonl")"
    } >> "$results"
    echo "== $size: durable appends" >&2
    "$bin/compare-bench" append "$log" "$work" >> "$results"
    echo "== $size: trace" >&2
    warm "$log"
    "$bin/compare-bench" trace "$log" >> "$results"
    echo "== $size: open to first append (on a copy of the log)" >&2
    rm -rf "$work/open-append"
    cp -r "$log" "$work/open-append"
    sync  # the copy's own write-back is not part of opening a log
    warm "$work/open-append"
    "$bin/compare-bench" open-append "$work/open-append" >> "$results"
    rm -rf "$work/open-append"
    echo "== $size: SQLite, loading" >&2
    "$bin/compare-bench" sqlite-load "$jsonl" "$work/events-$size.sqlite" >> "$results"
    sync  # the database's write-back is not part of what follows
    frames="$work/payloads-$size.lz4"
    "$bin/compare-bench" frames "$log" "$frames" >> "$results"
    # The rebuild (with the statistics), the scan alone, `lz4 -d` on the same bytes and SQLite's
    # statistics query, five times each, back to back (the order turned each time), each in a
    # process of its own: the machine's speed wanders from minute to minute, and what is measured
    # together meets the same minute. The median of each is reported, and the targets read the
    # medians of the five rounds' ratios.
    echo "== $size: rebuild, scan, lz4 -d and SQLite's statistics query ($rounds rounds)" >&2
    for run in $(seq "$rounds"); do
        if (( run % 2 )); then
            decompress "$run"; scan "$run"; rebuild "$run"; query "$run"
        else
            query "$run"; rebuild "$run"; scan "$run"; decompress "$run"
        fi
    done
    rm -f "$frames"
    cat "$work/rebuild-$size-$(median_run rebuild_seconds "$work/rebuild-$size").txt" >> "$results"
    cat "$work/sqlite-query-$size-$(median_run sqlite_statistics_seconds "$work/sqlite-query-$size").txt" >> "$results"
    cat "$work/lz4-$size-$(median_run lz4_seconds "$work/lz4-$size").txt" >> "$results"
    cat "$work/scan-$size-$(median_run scan_seconds "$work/scan-$size").txt" >> "$results"
    for run in $(seq "$rounds"); do
        echo "rebuild_seconds_$run $(value rebuild_seconds "$work/rebuild-$size-$run.txt")"
        echo "sqlite_statistics_seconds_$run $(value sqlite_statistics_seconds "$work/sqlite-query-$size-$run.txt")"
        echo "lz4_seconds_$run $(value lz4_seconds "$work/lz4-$size-$run.txt")"
        awk -v run="$run" '$1 == "rebuild_seconds" {r = $2} $1 == "statistics_seconds" {q = $2}
            $1 == "sqlite_statistics_seconds" {s = $2} $1 == "lz4_seconds" {l = $2}
            END {print "sqlite_ratio_" run, s / (r + q); print "lz4_ratio_" run, l / r}' \
            "$work/rebuild-$size-$run.txt" "$work/sqlite-query-$size-$run.txt" "$work/lz4-$size-$run.txt"
    done >> "$results"
    rm -f "$work/events-$size.sqlite" "$work/events-$size.sqlite-wal" "$work/events-$size.sqlite-shm"
    others=(sqlite)
    if [[ " ${QINGLING_COMPARE_JSONL:-1M 4M} " == *" $size "* ]]; then
        echo "== $size: JSON Lines + JSONDecoder" >&2
        "$bin/compare-bench" jsonl "$jsonl" "$work/statistics-$size-jsonl.tsv" >> "$results"
        others+=(jsonl)
    fi
    for other in "${others[@]}"; do
        if cmp -s "$work/statistics-$size-qingling.tsv" "$work/statistics-$size-$other.tsv"; then same=1; else same=0; fi
        echo "statistics_equal_$other $same" >> "$results"
    done
done

# How the rebuild's time and memory grow with the log: rebuilds of every size in turn, five
# rounds (the order turned each round), so that the sizes meet the same minutes of the machine.
if (( ${#sizes[@]} > 1 )); then
    echo "== growth: rebuilds of ${sizes[*]} in turn ($rounds rounds)" >&2
    for size in "${sizes[@]}"; do warm "$work/log-$size"; done
    for round in $(seq "$rounds"); do
        order=("${sizes[@]}")
        if (( round % 2 == 0 )); then order=(); for ((k = ${#sizes[@]} - 1; k >= 0; k--)); do order+=("${sizes[k]}"); done; fi
        for size in "${order[@]}"; do
            rm -rf "$work/log-$size/projections"
            "$bin/compare-bench" rebuild "$work/log-$size" "$work/growth-statistics.tsv" |
                awk -v round="$round" '$1 == "rebuild_seconds" || $1 == "rebuild_peak_mib" {print "growth_" $1 "_" round, $2}' \
                >> "$work/results-$size.txt"
        done
    done
    rm -f "$work/growth-statistics.tsv"
fi

{
    echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB;" \
         "$(swift --version 2>&1 | head -1); $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/SQLite /'); $(lz4 --version 2>&1 | head -1 | cut -d, -f1 | sed 's/^\*\*\* //')."
    echo
    "$bin/compare-bench" report "$work"
}
