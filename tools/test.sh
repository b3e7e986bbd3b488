#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test (the browser's too), then a short crash
# campaign (40 kills of the writer, 14 of them during a multi-batch append, and of the archive
# job; 40 kills of recovery; 300 simulated power cuts; 20 kills of `qingling serve` under load).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
swift build --build-tests
# The tests that serve HTTP inside the test process run on their own: the others wait for the
# programs they start, each wait holding a thread of Swift's cooperative pool (one per core),
# which would starve those servers. `timeout` turns a stall into a failure that says so.
# Both runs report, whatever the first one gives.
status=0
timeout --kill-after=30 1200 swift test --skip-build --filter '^QinglingServiceTests\.' || status=$?
timeout --kill-after=30 2400 swift test --skip-build --skip '^QinglingServiceTests\.' || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    # A test process stopped by timeout leaves its PostgreSQL test cluster running.
    pkill -f -- '-D /tmp/qingling-pg-[0-9A-F-]+/data' || true
fi
[ "$status" -eq 0 ] || exit "$status"
# The web pages in headless chromium against `qingling demo --serve` (Tests/browser).
python3 Tests/browser/test_web.py
.build/debug/crash-campaign kill --kills 40 --seed "${QINGLING_CRASH_SEED:-1}"
.build/debug/crash-campaign recover --kills 40 --seed "${QINGLING_CRASH_SEED:-1}"
.build/debug/crash-campaign power --cuts 300 --seed "${QINGLING_CRASH_SEED:-1}"
# The service SIGKILLed under 200 clients' appends; a stall fails here instead of holding CI.
timeout 600 .build/debug/service-bench kill --rounds 20 --clients 200 --seed "${QINGLING_CRASH_SEED:-1}"
# Each libFuzzer target briefly (FUZZ_SECONDS, default 10) on its seed corpus.
bash tools/fuzz/run.sh
