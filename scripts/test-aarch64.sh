#!/usr/bin/env bash
# Builds the workspace for aarch64-unknown-linux-gnu and runs its tests under qemu-user,
# so the NEON kernels are tested on an x86_64 machine. Needs what no stable `cargo test`
# needs, so CI runs it only where it is installed:
#   rustup toolchain install nightly --component rust-src     (-Zbuild-std: no aarch64 std here)
#   apt-get install qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# With --require, a missing tool is an error; without, the script says so and exits 0.
#
# The tests run optimized (--release, with overflow checks kept on): under emulation a debug
# build of the sweeps takes hours.
#
# The tests that re-run the test binary as a child process (tests/environment.rs,
# tests/thread_count.rs) are skipped: under qemu-user without binfmt_misc the child
# cannot be an aarch64 executable.
set -euo pipefail
cd "$(dirname "$0")/.."

require=0
[ "${1:-}" = --require ] && require=1

missing=()
command -v qemu-aarch64 >/dev/null || missing+=(qemu-aarch64)
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(aarch64-linux-gnu-gcc)
[ -d /usr/aarch64-linux-gnu/lib ] || missing+=(libc6-dev-arm64-cross)
if ! rustup +nightly component list --installed 2>/dev/null | grep -q '^rust-src'; then
    missing+=("nightly rust-src")
fi
if [ ${#missing[@]} -gt 0 ]; then
    echo "test-aarch64: missing ${missing[*]}; NEON kernels not tested"
    exit $((require))
fi

export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
export CARGO_TARGET_DIR=target/aarch64-qemu
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS
export CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true

cargo +nightly test --release -Zbuild-std --target aarch64-unknown-linux-gnu --workspace \
    --exclude hadamard-report --exclude hadamard-python \
    --no-fail-fast -- --skip child_ --skip panics_listing --skip can_be_forced \
    --skip unset_empty_or_auto --skip the_environment_ --skip a_bad_value_is_refused
