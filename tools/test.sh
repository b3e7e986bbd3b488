#!/usr/bin/env bash
# The whole test suite: install what is missing, build, run every test, then a short crash
# campaign (30 kills of the writer and the archive job, 300 simulated power cuts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
swift build --build-tests
swift test --skip-build
.build/debug/crash-campaign kill --kills 30 --seed "${QINGLING_CRASH_SEED:-1}"
.build/debug/crash-campaign power --cuts 300 --seed "${QINGLING_CRASH_SEED:-1}"
# Each libFuzzer target briefly (FUZZ_SECONDS, default 10) on its seed corpus.
bash tools/fuzz/run.sh
