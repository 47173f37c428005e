#!/usr/bin/env bash
# The test binaries (release build, every feature) under valgrind memcheck: invalid reads
# and writes, uses of uninitialised values, leaks. valgrind cannot decode AVX-512 and
# reports a CPU without it, so `available_kernels()` there is scalar, sse2 and avx2, and
# every per-kernel test covers exactly those. Exits non-zero on any error valgrind finds.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)"; exit 1; }

export CARGO_TARGET_DIR=target/valgrind
binaries=$(cargo test --release --all-features --workspace --exclude hadamard-python --no-run --message-format=json 2>/dev/null |
    python3 -c 'import sys, json
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m.get("executable") and m["target"]["kind"] != ["bin"] and m["profile"]["test"]:
        print(m["executable"])')
fail=0
for bin in $binaries; do
    name=$(basename "$bin")
    start=$(date +%s)
    # tests/environment.rs re-runs its binary as a child process, which valgrind does not
    # trace: the child sees the real CPU (with AVX-512) and the parent valgrind's (without),
    # so its expectations cannot hold here. It holds no unsafe code of its own.
    case $name in environment-*) echo "valgrind skip $name (child processes)"; continue ;; esac
    if valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
        "$bin" --test-threads=2 >"/tmp/valgrind-$name.log" 2>&1; then
        result=$(grep -E "^test result" "/tmp/valgrind-$name.log" | tail -1)
        echo "valgrind ok   $name ($(( $(date +%s) - start )) s): $result"
    else
        echo "valgrind FAIL $name: see /tmp/valgrind-$name.log"; fail=1
    fi
done
exit $fail
