#!/usr/bin/env bash
# Makes the seed corpora from real data (run once; the corpora are committed):
#   segment       small real segment files
#   event-binary  stored events of every type (from inclusion proofs)
#   event-json    generated events in the JSON interchange form
#   manifest      a sealed year's manifest
#   proof         inclusion proofs
#   head          signed heads (of the demo log and of a three-event log)
#   index, checkpoint, link
#                 the index files, projection checkpoint and sealed-year links of the logs those
#                 targets build for themselves, written by the targets (build them first:
#                 bash tools/fuzz/run.sh builds every target)
# Usage: bash tools/fuzz/make-corpus.sh [path/to/qingling]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
qingling="${1:-$here/../../.build/debug/qingling}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
corpus="$here/corpus"
mkdir -p "$corpus"/{segment,event-binary,event-json,manifest,proof,head}

"$qingling" demo --directory "$work/demo" --hazards-per-year 3 >/dev/null
"$qingling" generate --hazards-per-year 20 --first-year 2024 --last-year 2024 2>/dev/null | head -40 > "$work/events.jsonl"
split -l 1 -d -a 3 "$work/events.jsonl" "$corpus/event-json/event-"
"$qingling" generate --hazards-per-year 20 --first-year 2024 --last-year 2024 | head -3 > "$work/three.jsonl"
"$qingling" append --log "$work/small" "$work/three.jsonl" >/dev/null
cp "$work"/small/segments/*.qlseg "$corpus/segment/three-events.qlseg"
head -c 32 "$work"/small/segments/*.qlseg > "$corpus/segment/header-only.qlseg"
cp "$work/demo/archive/2024/manifest.json" "$corpus/manifest/manifest-2024.json"
last=$(python3 -c "import json; print(json.load(open('$work/demo/archive/2025/manifest.json'))['lastSequence'])")
for sequence in $(python3 -c "print(*sorted({s for s in (0, 1, 2, 3, 5, 8, 13, 21, 34, 55) if s <= $last} | {$last}))"); do
    "$qingling" prove "$sequence" --log "$work/demo" --output "$corpus/proof/proof-$sequence.json"
    python3 -c "import json,sys; sys.stdout.buffer.write(bytes.fromhex(json.load(open('$corpus/proof/proof-$sequence.json'))['storedEvent']))" \
        > "$corpus/event-binary/stored-$sequence"
done
"$qingling" head --sign --log "$work/demo" --private-key "$work/demo.signing-key" --output "$corpus/head/head-demo.json" >/dev/null
"$qingling" keygen --log "$work/small" --private-key "$work/small.key" >/dev/null
"$qingling" head --sign --log "$work/small" --private-key "$work/small.key" --output "$corpus/head/head-small.json" >/dev/null
for target in index checkpoint link; do
    rm -rf "${corpus:?}/$target" && mkdir -p "$corpus/$target" "$work/empty-$target"
    QINGLING_FUZZ_SEEDS="$corpus/$target" "$here/bin/fuzz-$target" -runs=0 "$work/empty-$target" >/dev/null 2>&1
done
echo "corpora in $corpus: $(find "$corpus" -type f | wc -l) files"
