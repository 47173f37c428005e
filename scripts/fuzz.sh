#!/usr/bin/env bash
# Runs each fuzz target (elementwise, shapes, sums, arrays) for SECONDS (default 60) with cargo-fuzz (nightly; installed here
# when missing) and prints executions and findings per target. Exits non-zero on a crash.
#   scripts/fuzz.sh            every target, 60 s each
#   scripts/fuzz.sh 20         every target, 20 s each
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
for target in elementwise shapes sums arrays; do
    log=$(mktemp)
    if cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -max_len=4096 >"$log" 2>&1; then
        execs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' | tail -1)
        echo "fuzz ok   $target: ${execs:-?} executions in $seconds s, no findings"
    else
        echo "fuzz FAIL $target:"; tail -40 "$log"; exit 1
    fi
done
