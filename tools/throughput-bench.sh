#!/usr/bin/env bash
# What a user waits for when appending a JSON Lines file and exporting a log: the wall time
# and peak memory (max RSS) of the whole `qingling append` and `qingling export` processes,
# median of RUNS (default 3), through /usr/bin/time -v. Not a test: it prints figures.
#
#   bash tools/throughput-bench.sh [HAZARDS_PER_YEAR]   # default 10000: about 233,000 events
#
# Uses .build/release/qingling (QINGLING to use another). The input is the export of a
# generated log (seed 2024), appended to a fresh log each run; the export of that log is
# compared byte for byte with the input's events (recorded times aside) and with EXPORT_REFERENCE
# when set (an earlier export of the same generated log, e.g. by an older build).
set -euo pipefail
cd "$(dirname "$0")/.."
qingling=${QINGLING:-.build/release/qingling}
hazards=${1:-10000}
runs=${RUNS:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/qingling-throughput.XXXXXX")
trap 'rm -rf "$work"' EXIT

"$qingling" generate --seed 2024 --hazards-per-year "$hazards" --into "$work/generated" > /dev/null 2>&1
"$qingling" export --log "$work/generated" --output "$work/input.jsonl" 2> /dev/null
events=$(wc -l < "$work/input.jsonl")
bytes=$(stat -c %s "$work/input.jsonl")
echo "input: $events events, $bytes bytes of JSON Lines (generate --seed 2024 --hazards-per-year $hazards)"

# Runs "$@" RUNS times; prints the median wall time (s), the largest max RSS (MB) and the
# median CPU time (user + system, s: on a shared machine, the figure that is not someone else's).
measure() {
    local walls=() cpus=() rss=0
    for _ in $(seq "$runs"); do
        [[ -n "${before:-}" ]] && eval "$before"
        /usr/bin/time -v "$@" > /dev/null 2> "$work/time.txt"
        walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$work/time.txt")")
        cpus+=("$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.txt")")
        local r; r=$(awk -F': ' '/Maximum resident set size/ { print int($2 / 1024) }' "$work/time.txt")
        (( r > rss )) && rss=$r
    done
    local middle=$(( (runs + 1) / 2 ))
    echo "$(printf '%s\n' "${walls[@]}" | sort -g | sed -n "${middle}p") $rss $(printf '%s\n' "${cpus[@]}" | sort -g | sed -n "${middle}p")"
}

before="rm -rf '$work/log'"
read -r wall rss cpu < <(measure "$qingling" append --log "$work/log" "$work/input.jsonl")
echo "append: ${wall} s, $(awk -v n="$events" -v s="$wall" 'BEGIN { printf "%.0f", n / s }') events/s, max RSS ${rss} MB, CPU ${cpu} s"
before=""
read -r wall rss cpu < <(measure "$qingling" export --log "$work/log")
echo "export: ${wall} s, $(awk -v n="$events" -v s="$wall" 'BEGIN { printf "%.0f", n / s }') events/s, max RSS ${rss} MB, CPU ${cpu} s"

"$qingling" export --log "$work/log" > "$work/output.jsonl"
strip() { sed -E 's/"recordedAt":"[^"]*",//' "$1"; }
if cmp -s <(strip "$work/input.jsonl") <(strip "$work/output.jsonl"); then echo "round trip: the export holds the input's events, byte for byte"; else echo "round trip: DIFFERS"; exit 1; fi
if [[ -n "${EXPORT_REFERENCE:-}" ]]; then
    if cmp -s "$EXPORT_REFERENCE" "$work/input.jsonl"; then echo "export of the generated log: identical to $EXPORT_REFERENCE"; else echo "export of the generated log: DIFFERS from $EXPORT_REFERENCE"; exit 1; fi
fi
