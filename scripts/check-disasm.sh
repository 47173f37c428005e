#!/usr/bin/env bash
# Checks, in the release build of the report binary (built for the baseline target, no
# -C target-cpu), that each kernel uses the instructions and registers its ISA promises:
#   sse2   -> mulps/mulpd, pmullw/pmuludq/pmulhuw on xmm, nothing wider
#   avx2   -> the same on ymm (vpmulld for 32-bit, vcvtph2ps for binary16), nothing on zmm
#   avx512 -> the same on zmm (vpmullq for 64-bit, vpmovdw to narrow bfloat16)
#   scalar -> nothing wider than xmm (the compiler may vectorise it for the baseline)
# that the streaming variants store with non-temporal moves of the same width, and that
# the integer kernels' shifts compiled to immediate counts (the IntReg shifts take a count
# register form that must fold), and that the AVX-512 kernels that realign their loads
# carry the valignd joins, and the AVX-512 float sums their expanding loads. Prints, per kernel, the multiplies it found. Exits
# non-zero on any mismatch.
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
    body "$1" | { grep -oE '\b(v?p?mul[a-z]*|vfmadd[0-9a-z]*) +[xyz]mm' || true; } |
        sed -E 's/ +([xyz])mm/ \1mm/' | sort | uniq -c |
        awk '{ printf "%s%s x%s", sep, $2 " " $3, $1; sep = ", " } END { print "" }'
}

fail=0
check() { # module function must-match must-not-match
    local fn="hadamard_kernels::$1::$2" seen code
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

# A shift by a count register (..., xmm) instead of an immediate.
REGSHIFT='ps(ll|rl|ra)[wdq] .*, *xmm[0-9]+$'
X=x86_64

check scalar mul_f32 'mulss|mulps' '[yz]mm'
check scalar mul_f64 'mulsd|mulpd' '[yz]mm'
check $X::sse2 mul_f32 '\bmulps +xmm' '[yz]mm'
check $X::sse2 mul_f64 '\bmulpd +xmm' '[yz]mm'
check $X::avx2 mul_f32 'vmulps +ymm' 'zmm'
check $X::avx2 mul_f64 'vmulpd +ymm' 'zmm'
check $X::avx512 mul_f32 'vmulps +zmm' ''
check $X::avx512 mul_f64 'vmulpd +zmm' ''
check $X::sse2 mul_f32_stream '\bmovntps ' '[yz]mm'
check $X::sse2 mul_f64_stream '\bmovntpd ' '[yz]mm'
check $X::avx2 mul_f32_stream 'vmovntps .*ymm' 'zmm'
check $X::avx2 mul_f64_stream 'vmovntpd .*ymm' 'zmm'
check $X::avx512 mul_f32_stream 'vmovntps .*zmm' ''
check $X::avx512 mul_f64_stream 'vmovntpd .*zmm' ''

# Integers: 8-bit through 16-bit multiplies, 32-bit through pmuludq below AVX2,
# 64-bit through partial products below AVX-512DQ.
for fn in mul_wrapping8 mul_wrapping16 mul_saturating_u8 mul_saturating_i8 mul_normalized_u8; do
    check $X::sse2 $fn '\bpmullw +xmm' "[yz]mm|$REGSHIFT"
    check $X::avx2 $fn 'vpmullw +ymm' "zmm|$REGSHIFT"
    check $X::avx512 $fn 'vpmullw +zmm' "$REGSHIFT"
done
# (LLVM may turn the unsigned high-half product into a widened vpmulld.)
for fn in mul_saturating_u16 mul_saturating_i16; do
    check $X::sse2 $fn '\bpmulh[u]?w +xmm' "[yz]mm|$REGSHIFT"
    check $X::avx2 $fn 'vpmul(h[u]?w|ld) +ymm' "zmm|$REGSHIFT"
    check $X::avx512 $fn 'vpmul(h[u]?w|ld) +zmm' "$REGSHIFT"
done
check $X::sse2 mul_wrapping32 '\bpmuludq +xmm' "[yz]mm|$REGSHIFT"
check $X::avx2 mul_wrapping32 'vpmulld +ymm' "zmm|$REGSHIFT"
check $X::avx512 mul_wrapping32 'vpmulld +zmm' "$REGSHIFT"
for fn in mul_wrapping64 mul_saturating_u32 mul_saturating_i32 mul_saturating_u64 mul_saturating_i64; do
    check $X::sse2 $fn '\bpmuludq +xmm' "[yz]mm|$REGSHIFT"
    check $X::avx2 $fn 'vpmuludq +ymm' "zmm|$REGSHIFT"
done
check $X::avx512 mul_wrapping64 'vpmullq +zmm' ''
check $X::avx512 mul_saturating_u64 'vpmuludq +zmm' "$REGSHIFT"
check $X::avx2 mul_wrapping8_stream 'vmovntdq .*ymm' 'zmm'

# Complex: shuffles and multiplies at full width.
for fn in mul_complex_f32 mul_conj_complex_f32 mul_split_complex_f32; do
    check $X::sse2 $fn '\bmulps +xmm' '[yz]mm'
    check $X::avx2 $fn 'vmulps +ymm' 'zmm'
    check $X::avx512 $fn 'vmulps +zmm' ''
done
for fn in mul_complex_f64 mul_conj_split_complex_f64; do
    check $X::avx2 $fn 'vmulpd +ymm' 'zmm'
    check $X::avx512 $fn 'vmulpd +zmm' ''
done

# Half precision: F16C / AVX-512F conversions, integer rounding for bfloat16.
check $X::sse2 mul_f16 '\bcvtdq2ps +xmm' '[yz]mm|vcvtph2ps'
check $X::avx2 mul_f16 'vcvtph2ps +ymm' 'zmm'
check $X::avx2 mul_f16 'vcvtps2ph' 'zmm'
check $X::avx512 mul_f16 'vcvtph2ps +zmm' ''
# The narrowing packs 32-bit lanes to 16 bits with vpackusdw, on ymm or as two xmm halves
# (LLVM's choice since the bounce-buffer head and tail share the store): never on zmm.
check $X::avx2 mul_bf16 'vpackusdw +[xy]mm' 'zmm'
check $X::avx512 mul_bf16 'vpmovdw' 'vcvtneps2bf16'
check $X::avx2 mul_widen_f16 'vcvtph2ps +ymm' 'zmm'
check $X::avx512 mul_widen_bf16 'vmulps +zmm' ''

# Multiply-add: the unfused form must never be contracted into an FMA (its promise is the
# bits of a * b + c); the fused form must use the FMA instruction where the ISA has one.
check $X::avx2 mul_then_add_f32 'vmulps +ymm' 'vfmadd|zmm'
check $X::avx512 mul_then_add_f64 'vmulpd +zmm' 'vfmadd'
check $X::sse2 mul_then_add_f32 '\bmulps +xmm' 'vfmadd|[yz]mm'
check $X::avx2 mul_add_f32 'vfmadd[0-9]+ps +ymm' 'zmm'
check $X::avx512 mul_add_f64 'vfmadd[0-9]+pd +zmm' ''
check $X::avx2 scale_f32 'vmulps +ymm' 'zmm'
# The one-pass formulas promise the bits of `a * b + c * d` and `w * a + (1 - w) * b`:
# never contracted into an FMA, at each ISA's full width.
check $X::sse2 mul_then_add_mul_f32 '\bmulps +xmm' 'vfmadd|[yz]mm'
check $X::avx2 mul_then_add_mul_f32 'vmulps +ymm' 'vfmadd|vfmsub|zmm'
check $X::avx512 mul_then_add_mul_f64 'vmulpd +zmm' 'vfmadd|vfmsub'
check $X::avx512 mul_then_add_mul_complex_f32 'vmulps +zmm' 'vfmadd|vfmsub'
check $X::avx2 blend_f64 'vsubpd +ymm' 'vfmadd|vfnmadd|vfmsub|zmm'
check $X::avx512 blend_f32 'vsubps +zmm' 'vfmadd|vfnmadd|vfmsub'
check $X::avx2 blend_normalized_u8 'vpmullw +ymm' 'zmm'
check $X::avx512 blend_normalized_u8 'vpmullw +zmm' ''
check $X::avx512 scale_wrapping8 'vpmullw +zmm' "$REGSHIFT"
check $X::avx2 sum_f32 'vmulps +ymm' 'vfmadd|zmm'
check $X::avx512 sum_f64 'vmulpd +zmm' 'vfmadd'
check $X::avx2 sum_complex_f32 'vmulps +ymm' 'vfmadd|zmm'
# Sums whose `a` is off a register boundary load its partial first and last steps with
# masked expanding loads and turn the accumulators back with two-register permutes
# (kernels/src/reduce.rs); the integer sums need neither (exact in any order).
for fn in sum_f32 sum_f64 sum_complex_f32; do
    check $X::avx512 $fn 'vexpandp[sd] +zmm' ''
    check $X::avx512 $fn 'vperm[it]2p[sd] +zmm' ''
done

# Realigned loads (kernels/src/elementwise.rs): the AVX-512 products of the light types,
# the multiply-add and the one-pass formulas (their `a` and `b`) join two aligned registers with valignd/valignq for inputs at another
# 16-byte offset than the output; complex products and the 64-bit product do not (measured
# slower), and no other ISA realigns.
for fn in mul_f32 mul_f64 mul_wrapping8 mul_wrapping16 mul_wrapping32 scale_f32 mul_then_add_f32 mul_add_f64 mul_f32_stream \
    mul_then_add_mul_f32 mul_then_add_mul_wrapping32 blend_f64; do
    check $X::avx512 $fn 'valign[dq] +zmm' ''
done
check $X::avx512 mul_complex_f32 'vmulps +zmm' 'valign'
check $X::avx512 mul_wrapping64 'vpmullq +zmm' 'valign'
check $X::avx2 mul_f32 'vmulps +ymm' 'valign|zmm'

# Every streaming kernel in the binary stores with non-temporal moves and ends them with an
# sfence (without it, another thread reading the output after the call could see stale
# data); the list comes from the binary, so a new streaming kernel is checked too.
streams=$(grep -oE '<hadamard_kernels::x86_64::[a-z0-9]+::[a-z0-9_]+_stream>:' "$dis" |
    sed -E 's/^<hadamard_kernels::x86_64::(.*)>:$/\1/' | sort -u)
[ -n "$streams" ] || { echo "FAIL: no streaming kernel found in $bin"; fail=1; }
count=0
for s in $streams; do
    code=$(body "hadamard_kernels::x86_64::$s")
    if ! grep -qE '\bsfence\b' <<<"$code"; then
        echo "FAIL hadamard_kernels::x86_64::$s: no sfence"; fail=1
    elif ! grep -qE '\bv?movnt' <<<"$code"; then
        echo "FAIL hadamard_kernels::x86_64::$s: no non-temporal store"; fail=1
    fi
    count=$((count + 1))
done
echo "streaming kernels with movnt and sfence: $count checked"
exit $fail
