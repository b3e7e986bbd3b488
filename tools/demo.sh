#!/usr/bin/env bash
# The main job: install what is missing, build in release mode, run `qingling demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
swift build -c release --static-swift-stdlib --product qingling
.build/release/qingling demo "$@"
