#!/usr/bin/env bash
# Checks, in the release build of the report binary (built for the baseline target, no
# -C target-cpu), that each kernel multiplies with the registers its name promises:
#   sse2   -> mulps/mulpd on xmm, nothing wider
#   avx2   -> vmulps/vmulpd on ymm, nothing on zmm
#   avx512 -> vmulps/vmulpd on zmm
#   scalar -> nothing wider than xmm (the compiler may vectorise it for the baseline)
# and that the streaming variants store with non-temporal moves of the same width
# (movntps/movntpd on xmm, vmovntps/vmovntpd on ymm and zmm).
# and prints, per kernel, the multiplies it found. Exits non-zero on any mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(uname -m)" != x86_64 ]; then
    echo "check-disasm: x86_64 only (this is $(uname -m)); nothing to check"
    exit 0
fi
command -v objdump >/dev/null || { echo "check-disasm: objdump not found (apt-get install binutils)"; exit 1; }

# A build with RUSTFLAGS=-Ctarget-cpu=native would prove nothing: insist on the baseline.
RUSTFLAGS= CARGO_ENCODED_RUSTFLAGS= cargo build --release --quiet --bin hadamard
bin=target/release/hadamard
dis=$(mktemp)
trap 'rm -f "$dis"' EXIT
objdump -d -C --no-show-raw-insn -M intel "$bin" >"$dis"

# Prints the instructions of one function, by its demangled path.
body() {
    awk -v fn="<$1>:" '
        index($0, fn) && $0 ~ /^[0-9a-f]+ </ { on = 1; next }
        on && /^$/ { exit }
        on { print }
    ' "$dis"
}

# Counts "mnemonic register-class" pairs among the multiplies of one function.
multiplies() {
    body "$1" | grep -oE '\bv?mul[ps][sd] +[xyz]mm' | sed -E 's/ +([xyz])mm/ \1mm/' | sort | uniq -c |
        awk '{ printf "%s%s x%s", sep, $2 " " $3, $1; sep = ", " } END { print "" }'
}

fail=0
check() { # kernel type must-match must-not-match
    local fn="hadamard_kernels::$1::mul_$2" seen code
    code=$(body "$fn")
    if [ -z "$code" ]; then
        echo "FAIL $fn: not found in $bin"; fail=1; return
    fi
    seen=$(multiplies "$fn")
    if ! grep -qE "$3" <<<"$code"; then
        echo "FAIL $fn: no /$3/ (multiplies seen: ${seen:-none})"; fail=1; return
    fi
    if [ -n "$4" ] && grep -qE "$4" <<<"$code"; then
        echo "FAIL $fn: found /$4/ (multiplies seen: $seen)"; fail=1; return
    fi
    printf 'ok   %-40s %s\n' "$fn" "$seen"
}

check scalar f32 'mulss|mulps' '[yz]mm'
check scalar f64 'mulsd|mulpd' '[yz]mm'
check x86_64::sse2 f32 '\bmulps +xmm' '[yz]mm'
check x86_64::sse2 f64 '\bmulpd +xmm' '[yz]mm'
check x86_64::avx2 f32 'vmulps +ymm' 'zmm'
check x86_64::avx2 f64 'vmulpd +ymm' 'zmm'
check x86_64::avx512 f32 'vmulps +zmm' ''
check x86_64::avx512 f64 'vmulpd +zmm' ''
check x86_64::sse2 stream_f32 '\bmovntps ' '[yz]mm'
check x86_64::sse2 stream_f64 '\bmovntpd ' '[yz]mm'
check x86_64::avx2 stream_f32 'vmovntps .*ymm' 'zmm'
check x86_64::avx2 stream_f64 'vmovntpd .*ymm' 'zmm'
check x86_64::avx512 stream_f32 'vmovntps .*zmm' ''
check x86_64::avx512 stream_f64 'vmovntpd .*zmm' ''
exit $fail
