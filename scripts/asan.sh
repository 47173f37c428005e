#!/usr/bin/env bash
# The test suite under AddressSanitizer (nightly -Zsanitizer=address), once per kernel this
# CPU runs, forced with HADAMARD_KERNEL: every out-of-bounds read or write, use after free
# or double free in the crate (and in the tests) aborts the run with a report.
# Prints a summary line per kernel; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! rustup toolchain list | grep -q '^nightly'; then
    echo "asan: no nightly toolchain (rustup toolchain install nightly)"; exit 1
fi
export RUSTFLAGS="-Zsanitizer=address"
export RUSTDOCFLAGS="-Zsanitizer=address"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export CARGO_TARGET_DIR=target/asan
# Optimised (a debug build under ASan takes six minutes per kernel here), with debug
# assertions and overflow checks kept: the sanitizer instruments every load and store
# either way, and the kernels' loads and stores are what it is here for.
export CARGO_PROFILE_RELEASE_DEBUG_ASSERTIONS=true
export CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true
# The sanitizer needs an explicit target (so build scripts and proc macros are not
# instrumented); doctests are skipped (rustdoc under ASan needs -Zbuild-std).
target=$(rustc -vV | sed -n 's/^host: //p')
cargo +nightly build --quiet --release --bin hadamard --target "$target"
kernels=$(target/asan/"$target"/release/hadamard --list-kernels)
for kernel in $kernels; do
    start=$(date +%s)
    HADAMARD_KERNEL=$kernel cargo +nightly test --release --quiet --target "$target" --workspace \
        --exclude hadamard-python --all-features --lib --bins --tests 2>&1 | grep -E "^test result|ERROR: AddressSanitizer" |
        awk -v k="$kernel" '/test result/ { passed += $4; failed += $6 } /AddressSanitizer/ { asan++ }
            END { printf "asan %-7s %d tests passed, %d failed, %d sanitizer reports\n", k, passed, failed, asan;
                  exit (failed > 0 || asan > 0) }'
    echo "asan $kernel: $(( $(date +%s) - start )) s"
done
