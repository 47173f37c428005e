#!/usr/bin/env bash
# Build the docs as docs.rs does (nightly, every feature, `--cfg docsrs`) and check that
# every integration module appears, marked with the feature it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=target/docsrs
RUSTDOCFLAGS="--cfg docsrs -D warnings" \
    cargo +nightly doc --no-deps --all-features -p hadamard -p hadamard-kernels
doc=$CARGO_TARGET_DIR/doc
status=0
for page in hadamard/ndarray:ndarray hadamard/nalgebra:nalgebra hadamard/faer:faer \
            hadamard/fn.mul_conj_elementwise.html:complex \
            hadamard/fn.mul_elementwise_widen.html:half \
            hadamard_kernels/nalgebra_views:nalgebra; do
    path=${page%%:*}
    feature=${page##*:}
    [[ $path == *.html ]] || path=$path/index.html
    if [[ ! -f $doc/$path ]]; then
        echo "docs.rs check: $doc/$path is missing"; status=1; continue
    fi
    # rustdoc writes the mark as "Available on crate feature <code>NAME</code> only".
    if ! grep -q "Available on.*crate feature <code>$feature</code>" "$doc/$path"; then
        echo "docs.rs check: $path is not marked with feature \`$feature\`"; status=1
    fi
done
[[ $status == 0 ]] && echo "docs.rs check: every integration documented and marked"
exit $status
