#!/usr/bin/env bash
# Builds the libFuzzer targets (every Swift module instrumented with -sanitize=fuzzer) and runs
# each on its committed seed corpus for a while. Any crash, hang (-timeout), or allocation over
# -malloc_limit_mb fails the run; the input is saved under tools/fuzz/artifacts/.
#
#   bash tools/fuzz/run.sh                # each target 10 s (what CI runs)
#   FUZZ_SECONDS=3600 bash tools/fuzz/run.sh fuzz-segment   # one target, an hour
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${FUZZ_SECONDS:-10}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-segment fuzz-event-binary fuzz-event-json fuzz-manifest fuzz-proof fuzz-head fuzz-index fuzz-checkpoint fuzz-link)
cd "$here"
swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library
products="$here/.build/release"
mkdir -p "$here/bin" "$here/artifacts" "$here/work"
echo "// libFuzzer's main; the target comes from the shared library linked with it." > "$here/work/driver.swift"
for target in "${targets[@]}"; do
    swiftc -sanitize=fuzzer -parse-as-library "$here/work/driver.swift" -o "$here/bin/$target" \
        -L "$products" -l"$target" -Xlinker -rpath -Xlinker "$products"
    name="${target#fuzz-}"
    # Work on a copy: new inputs libFuzzer finds are kept out of the committed seeds.
    rm -rf "$here/work/$name" && cp -r "$here/corpus/$name" "$here/work/$name"
    echo "== $target: $seconds s"
    log="$here/work/$target.log"
    status=0
    # The Swift runtime's backtracer would take the crash signal from libFuzzer, which then saves no input.
    SWIFT_BACKTRACE=enable=no "$here/bin/$target" "$here/work/$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
        -max_len=65536 -artifact_prefix="$here/artifacts/$target-" -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -aE "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
    if [ "$status" -ne 0 ]; then
        echo "$target FAILED (status $status):"
        # The seed (libFuzzer's run is repeatable with it: -seed=N on the same corpus), then the
        # Swift runtime's reason and the frames in our sources, then the end of the log.
        grep -aE '^INFO: Seed:' "$log" || true
        grep -aE 'Fatal error|runtime failure|^ *[0-9]+ .* at /' "$log" | head -20 || true
        grep -avE '^("|#)' "$log" | tail -30
        exit 1
    fi
done
