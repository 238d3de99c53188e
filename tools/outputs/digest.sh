#!/usr/bin/env bash
# SHA-256 of every file of three reduced runs on the demo world (stylegan2 = the quickstart's
# backbone, stylegan3, gansformer), except run.json (provenance: paths, jar hashes, JVM, timings)
# and run.lock. Prints sha256sum lines "HASH  run-BACKBONE/PATH", sorted.
#
#   tools/outputs/digest.sh [CHECKOUT]     (default: this checkout; it must be built: mvn -DskipTests package)
#
# Comparing two checkouts on one machine proves a refactoring changed no output:
#   diff <(tools/outputs/digest.sh /path/to/main) <(tools/outputs/digest.sh)
# or, against the values recorded before the api split (on the CPU named in the file):
#   diff <(grep -v '^#' tools/outputs/main.sha256) <(tools/outputs/digest.sh)
# The same configs run in-process in OutputsUnchangedTest (recognizer-arcface), which compares
# them against tools/outputs/main.sha256.
set -euo pipefail
checkout=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
models="$checkout/models/demo"
for b in stylegan2 stylegan3 gansformer; do
  opts='"truncation_psi": 0.7, "truncation_cutoff": 8'
  [ "$b" = gansformer ] && opts='"truncation_psi": 0.7'
  cat > "$work/$b.json" <<JSON
{"name": "outputs-$b", "seed": 42, "output": "run-$b",
 "backbone": {"type": "$b", "model": "$models/$b/model.json", "batch_size": 8, "options": {$opts}},
 "recognizer": {"type": "arcface", "model": "$models/recognizer/demo_face.onnx", "batch_size": 64, "options": {"landmarks": "fixed"}},
 "probes": 300, "identities": 6, "samples_per_identity": 5, "uniqueness": 0.7, "dataset": {"contact_sheet": 6}}
JSON
  "$checkout/exfacegan" run -q "$work/$b.json" > /dev/null 2> "$work/$b.err" || { cat "$work/$b.err" >&2; exit 1; }
done
cd "$work"
find run-* -type f ! -name run.json ! -name run.lock | LC_ALL=C sort | xargs sha256sum
