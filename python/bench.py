"""hadamard beside NumPy, in one process: f32 `multiply(a, b, out=c)` against
`np.multiply(a, b, out=c)` from 16 elements to 64M, `multiply_conj_add(acc, a, b)`
against `acc += a * np.conj(b)` (complex64), and f32 `multiply_then_add_multiply(a, b,
c, d, out=o)` against `np.add(a * b, c * d, out=o)` and, where numexpr is installed
(`pip install numexpr`), `numexpr.evaluate("a*b + c*d", out=o)` on as many threads as
hadamard's pool has. Contenders run interleaved, round by round, so a change in the
machine's load lands on all; each figure is the median of the rounds. Prints a table and
writes an SVG plot (default bench.svg). About a minute with the default 7 rounds on a
2-core machine; it needs about 1.6 GB of memory (the 64M-element operands).

    python python/bench.py [--plot FILE.svg] [--rounds N] [--align aligned|different]
"""

import argparse
import os
import time

import numpy as np  # noqa: E402

import hadamard  # noqa: E402

try:
    import numexpr
except ImportError:
    numexpr = None

SIZES = [16, 256, 4096, 65536, 1 << 20, 4 << 20, 16 << 20, 64 << 20]


def median_seconds(fns, rounds, budget):
    """Median time per call of each function, timed interleaved."""
    times = [[] for _ in fns]
    for f in fns:
        f()  # warm up: page faults, first-call detection
    for _ in range(rounds):
        for k, f in enumerate(fns):
            calls = 1
            while True:
                t0 = time.perf_counter()
                for _ in range(calls):
                    f()
                dt = time.perf_counter() - t0
                if dt >= budget or calls >= 1 << 20:
                    break
                calls *= 4
            times[k].append(dt / calls)
    return [float(np.median(t)) for t in times]


def placed(values, offset):
    """A copy of `values` starting `offset` bytes past a 64-byte line: in cache, where an
    operand starts changes the speed of both contenders, so each figure names its case."""
    raw = np.empty(values.nbytes + 128, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64 + offset
    out = raw[start:start + values.nbytes].view(values.dtype)
    out[...] = values
    return out


# Byte offsets from a line of (a, b, out): all on a line, and each at its own offset (as
# three Vecs or arrays from malloc usually are).
ALIGNMENTS = {"aligned": (0, 0, 0), "different": (16, 32, 48)}


def measure(rounds, alignment):
    rows = []
    rng = np.random.default_rng(0)
    oa, ob, oc = ALIGNMENTS[alignment]
    for n in SIZES:
        budget = 0.002 if n < 1 << 20 else 0.05
        a = placed(rng.standard_normal(n, dtype=np.float32), oa)
        b = placed(rng.standard_normal(n, dtype=np.float32), ob)
        c1, c2 = placed(np.zeros(n, np.float32), oc), placed(np.zeros(n, np.float32), oc)
        t_np, t_h = median_seconds(
            [lambda: np.multiply(a, b, out=c1), lambda: hadamard.multiply(a, b, out=c2)], rounds, budget
        )
        assert np.array_equal(c1, c2)
        rows.append(("multiply f32", n, 12 * n, t_np, t_h))
        del a, b, c1, c2
    for n in [4096, 65536, 1 << 20, 4 << 20, 16 << 20]:
        budget = 0.002 if n < 1 << 20 else 0.05
        a = placed((rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64), oa)
        b = placed((rng.standard_normal(n) + 1j * rng.standard_normal(n)).astype(np.complex64), ob)
        acc1 = placed(np.zeros(n, np.complex64), oc)
        acc2 = placed(np.zeros(n, np.complex64), oc)

        def numpy_way():
            acc1.__iadd__(a * np.conj(b))

        t_np, t_h = median_seconds([numpy_way, lambda: hadamard.multiply_conj_add(acc2, a, b)], rounds, budget)
        rows.append(("conj_add c64", n, 24 * n, t_np, t_h))
        del a, b, acc1, acc2
    if numexpr is not None:
        # The same thread count as hadamard's rayon pool (all the CPUs this process may use).
        numexpr.set_num_threads(int(os.environ.get("RAYON_NUM_THREADS", len(os.sched_getaffinity(0)))))
    for n in [4096, 65536, 1 << 20, 4 << 20, 16 << 20, 64 << 20]:
        budget = 0.002 if n < 1 << 20 else 0.05
        a, b, c, d = (placed(rng.standard_normal(n, dtype=np.float32), off) for off in (oa, ob, oa, ob))
        o1, o2, o3 = (placed(np.zeros(n, np.float32), oc) for _ in range(3))
        fns = [lambda: np.add(a * b, c * d, out=o1),
               lambda: hadamard.multiply_then_add_multiply(a, b, c, d, out=o2)]
        if numexpr is not None:
            names = {"a": a, "b": b, "c": c, "d": d}
            fns.append(lambda: numexpr.evaluate("a*b + c*d", local_dict=names, out=o3))
        times = median_seconds(fns, rounds, budget)
        assert np.array_equal(o1, o2)
        if numexpr is not None:
            # numexpr computes the same expression, each step rounded in float32.
            assert np.array_equal(o1, o3)
        rows.append(("a*b+c*d f32", n, 20 * n, *times))
        del a, b, c, d, o1, o2, o3, fns
    return rows


def svg(rows, path):
    """GB/s against length for both contenders of each operation, log-x, by hand."""
    ops = sorted({r[0] for r in rows})
    width, height, left, top, panel = 760, 300 * len(ops) + 20, 70, 40, 300
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           'font-family="sans-serif" font-size="12"><rect width="100%" height="100%" fill="white"/>']
    for p, op in enumerate(ops):
        pts = [r for r in rows if r[0] == op]
        y0 = p * panel
        gbs = [[r[2] / r[k] / 1e9 for r in pts] for k in range(3, len(pts[0]))]
        top_gb = max(max(g) for g in gbs) * 1.1
        xs = [np.log2(r[1]) for r in pts]
        lo, hi = min(xs), max(xs)
        w, hgt = width - left - 30, panel - top - 50

        def X(v):
            return left + (v - lo) / (hi - lo) * w

        def Y(g):
            return y0 + top + hgt - g / top_gb * hgt

        out.append(f'<text x="{left}" y="{y0 + 22}" font-weight="bold" font-size="14">{op}: GB/s '
                   f'(bytes read and written per second) against elements, hadamard (blue), NumPy (grey)'
                   f'{", numexpr (orange)" if len(gbs) > 2 else ""}</text>')
        for k in range(5):
            g = top_gb * k / 4
            out.append(f'<line x1="{left}" x2="{left + w}" y1="{Y(g):.1f}" y2="{Y(g):.1f}" stroke="#ddd"/>'
                       f'<text x="{left - 6}" y="{Y(g) + 4:.1f}" text-anchor="end">{g:.0f}</text>')
        for r, x in zip(pts, xs):
            out.append(f'<text x="{X(x):.1f}" y="{y0 + top + hgt + 18}" text-anchor="middle">{r[1]}</text>')
        for g, color in zip(gbs, ("#888", "#1f77b4", "#ff7f0e")):
            line = " ".join(f"{X(x):.1f},{Y(v):.1f}" for x, v in zip(xs, g))
            out.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
    out.append(f'<text x="{left}" y="{height - 6}" fill="#555">python python/bench.py; hadamard kernel '
               f'{hadamard.kernel()}, numpy {np.__version__}; medians of interleaved rounds</text></svg>')
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plot", default="bench.svg", metavar="FILE.svg",
                        help="where to write the plot of GB/s against length (default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=7, metavar="N",
                        help="interleaved rounds per size; each figure is their median (default: %(default)s)")
    parser.add_argument("--align", choices=sorted(ALIGNMENTS), default="aligned",
                        help="operand placement: all on a 64-byte line, or a, b, out 16, 32, 48 bytes past one, "
                        "as separate allocations usually are (default: %(default)s)")
    args = parser.parse_args()
    rows = measure(args.rounds, args.align)
    print(f"hadamard {hadamard.kernel()} kernel, numpy {np.__version__}; median of {args.rounds} interleaved "
          f"rounds; operands {args.align} ({ALIGNMENTS[args.align]} bytes past a line)")
    print(f"{'operation':<13} {'elements':>9} {'numpy':>12} {'hadamard':>12} {'numpy GB/s':>10} {'hadamard GB/s':>13} "
          f"{'ratio':>6} {'numexpr':>12} {'vs numexpr':>10}")
    for op, n, nbytes, t_np, t_h, *t_ne in rows:
        extra = f" {t_ne[0] * 1e9:>10.0f}ns {t_ne[0] / t_h:>9.2f}x" if t_ne else ""
        print(f"{op:<13} {n:>9} {t_np * 1e9:>10.0f}ns {t_h * 1e9:>10.0f}ns {nbytes / t_np / 1e9:>10.1f} "
              f"{nbytes / t_h / 1e9:>13.1f} {t_np / t_h:>5.2f}x{extra}")
    print("ratio: numpy's time over hadamard's (above 1x hadamard is faster); for 16 elements the "
          "times are each call's whole cost, so the ratio compares call overheads; vs numexpr: "
          "numexpr's time over hadamard's, numexpr on "
          f"{numexpr.get_num_threads() if numexpr else 0} threads"
          + ("" if numexpr else " (not installed: pip install numexpr)"))
    svg(rows, args.plot)
    print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
