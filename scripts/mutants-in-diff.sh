#!/usr/bin/env bash
# Mutation testing of what a change touched: cargo-mutants plants one bug at a time in the
# lines the diff against BASE (default: the previous commit) added or changed in the
# library and the kernels, and runs the whole workspace suite on each. A mutant the suite
# passes on fails the script: new code comes with tests that catch its bugs, or with a
# line in .cargo/mutants.toml saying why a mutant cannot be caught (equivalent, or code
# not compiled on this target).
#
# Bounded in time: at most MUTANTS_MAX mutants (default 16, about 1 min each here) run.
# When the change has more, one shard of them runs, chosen by the commit so successive
# changes test different ones, and the script says which.
#
#   scripts/mutants-in-diff.sh [BASE]
set -euo pipefail
cd "$(dirname "$0")/.."

base=${1:-HEAD~1}
max=${MUTANTS_MAX:-16}
diff=target/mutants-in-diff.patch
mkdir -p target
git diff "$base" -- 'src/*.rs' 'src/**/*.rs' 'kernels/src/*.rs' 'kernels/src/**/*.rs' >"$diff"

count=$(cargo mutants --workspace --list --in-diff "$diff" | wc -l)
echo "mutants in the diff against $base: $count"
if [ "$count" -eq 0 ]; then
    exit 0
fi

shard=()
if [ "$count" -gt "$max" ]; then
    shards=$(((count + max - 1) / max))
    pick=$(($(git rev-parse HEAD | cut -c1-8 | sed 's/^/0x/') % shards))
    echo "more than $max: running shard $pick of $shards"
    shard=(--shard "$pick/$shards")
fi

# Exit status 0: every mutant caught; 3: some only by timing out (a hang is caught too).
status=0
cargo mutants --workspace --test-workspace=true --in-diff "$diff" "${shard[@]}" \
    --timeout 240 --output target/mutants-in-diff || status=$?
case $status in
0 | 3) ;;
*)
    echo "missed mutants (the suite passes with these bugs planted):"
    cat target/mutants-in-diff/mutants.out/missed.txt || true
    exit "$status"
    ;;
esac
