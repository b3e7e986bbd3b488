#!/usr/bin/env bash
# HTTP load on `qingling serve` with wrk (Debian `wrk`; tools/setup.sh installs it), the
# service's own process measured from outside by a client that costs little CPU:
#   appends: CONNECTIONS connections each posting single-event reports (durable: the answer
#            comes after fdatasync), on a fresh log, then on that log after a restart and after
#            a SIGKILL;
#   reads:   GET /stats, /overdue and /hazards/{id} on the generated Linxiang data (about 150
#            hazards a year, 2023 to yesterday: later today would be in the future), appended
#            with the system clock, answered from memory: the same question again (the kept
#            answer, `AnswerCache`), and /stats as of a different day each time (computed afresh).
# Prints requests/s and p50/p99 latency for each. Uses .build/release/qingling, built first (the
# Swift runtime linked in, as every release build here); QINGLING_BIN overrides, unbuilt.
# DURATION seconds per run (default 10), CONNECTIONS (default 200).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -z "${QINGLING_BIN:-}" ]; then swift build -c release --static-swift-stdlib --product qingling; fi
binary=${QINGLING_BIN:-.build/release/qingling}
duration=${DURATION:-10}
connections=${CONNECTIONS:-200}
scripts=tools/service-bench/wrk
work=$(mktemp -d /tmp/qingling-wrk-XXXXXX)
server=""
cleanup() {
    [ -z "$server" ] || { kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true; }
    rm -rf "$work"
}
trap cleanup EXIT

password="a long passphrase for the bench"
echo "$password" | "$binary" users add bench.dept --role department --organization lx-yjj --person-id bench-001 \
    --person-name 测试员 --password-stdin --accounts "$work/accounts.sqlite" >/dev/null

# Starts `qingling serve` on LOG; sets $server and $base.
serve() {
    local log="$work/serve-$(basename "$1").log"
    "$binary" serve --log "$1" --accounts "$work/accounts.sqlite" --listen 127.0.0.1:0 2>"$log" &
    server=$!
    local address=""
    for _ in $(seq 1 600); do
        address=$(grep -o 'address=127\.0\.0\.1:[0-9]*' "$log" | head -1 | cut -d= -f2) && [ -n "$address" ] && break
        sleep 0.1
    done
    [ -n "$address" ] || { echo "qingling serve did not start:" >&2; cat "$log" >&2; exit 1; }
    base="http://$address"
}

stop() {
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
}

token() {
    curl -fsS "$base/api/v1/login" -H 'Content-Type: application/json' \
        -d "{\"login\":\"bench.dept\",\"password\":\"$password\"}" | python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])'
}

# Runs wrk with SCRIPT and its arguments; prints one row: NAME requests/s p50 p99.
measure() {
    local name=$1 script=$2; shift 2
    wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$scripts/$script" "$base" -- "$@" 2>"$work/wrk.err" \
        | awk -v name="$name" '/Requests\/sec/ { rate = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
                               END { printf "%-40s %12.0f %10s %10s\n", name, rate, p50, p99 }'
    if [ -s "$work/wrk.err" ]; then
        echo "  not answered 200: $(wc -l <"$work/wrk.err") (first: $(head -1 "$work/wrk.err"))"
    fi
}

echo "wrk: $connections connections, ${duration} s each, $(nproc) cores"
printf "%-40s %12s %10s %10s\n" "request" "requests/s" "p50" "p99"
serve "$work/appends"
measure "POST /events (1 new hazard)" report-hazard.lua "$(token)"
stop
# The same on the log just written, after a restart (graceful) and after SIGKILL: a service's
# usual state, a log it did not create.
serve "$work/appends"
measure "POST /events, restarted" report-hazard.lua "$(token)" 2025
kill -9 "$server"; wait "$server" 2>/dev/null || true; server=""
serve "$work/appends"
measure "POST /events, restarted after SIGKILL" report-hazard.lua "$(token)" 2023
stop

"$binary" generate --until "$(date -d yesterday +%F)" | "$binary" append --log "$work/linxiang" - >/dev/null
serve "$work/linxiang"
token=$(token)
measure "GET /stats?period=2024&by=both" get.lua "$token" "/api/v1/stats?period=2024&by=both"
measure "GET /stats ...&asOf=(each day)" stats-each-day.lua "$token"
measure "GET /overdue" get.lua "$token" "/api/v1/overdue"
measure "GET /hazards/LX-2024-0031" get.lua "$token" "/api/v1/hazards/LX-2024-0031"
stop
