"""The one-pass two-product functions — multiply_then_add_multiply, blend,
blend_normalized_u8 — against the NumPy expressions they replace: the same bits, NumPy's
broadcasting, out= aliasing every input on the small (borrow-free) and large (GIL
released) paths, NumPy's error kinds with nothing written, and every kernel."""

import os
import subprocess
import sys

import numpy as np
import pytest

import hadamard as h
from test_numpy_api import ALL, random, same_bits, textbook

SUMS = [d for d in ALL if d is not np.float16]


def two_products(a, b, c, d):
    """a * b + c * d as NumPy computes it (complex products by the textbook formula)."""
    if a.dtype.kind == "c":
        return textbook(a, b) + textbook(c, d)
    with np.errstate(over="ignore"):
        return a * b + c * d


def blended(a, b, w):
    return w * a + (1 - w) * b


def blended_u8(fg, bg, alpha):
    wide = alpha.astype(np.uint32) * fg + (255 - alpha.astype(np.uint32)) * bg
    return ((2 * wide + 255) // 510).astype(np.uint8)


@pytest.mark.parametrize("dtype", SUMS)
def test_multiply_then_add_multiply_is_the_numpy_expression(dtype):
    rng = np.random.default_rng(11)
    for n in list(range(0, 40)) + [255, 4099]:
        ops = [random(rng, n, dtype) for _ in range(4)]
        assert same_bits(h.multiply_then_add_multiply(*ops), two_products(*ops)), (dtype, n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_blend_is_the_numpy_expression(dtype):
    rng = np.random.default_rng(12)
    for n in list(range(0, 40)) + [255, 4099]:
        a, b = random(rng, n, dtype), random(rng, n, dtype)
        w = rng.random(n).astype(dtype)
        assert same_bits(h.blend(a, b, w), blended(a, b, w)), (dtype, n)
    # A scalar weight adopts the arrays' dtype and broadcasts.
    a, b = random(rng, 10, dtype), random(rng, 10, dtype)
    assert same_bits(h.blend(a, b, 0.25), blended(a, b, dtype(0.25)))


def test_blend_normalized_u8_on_every_triple():
    n = 1 << 24
    i = np.arange(n, dtype=np.uint32)
    fg, bg, alpha = (i & 255).astype(np.uint8), ((i >> 8) & 255).astype(np.uint8), (i >> 16).astype(np.uint8)
    assert same_bits(h.blend_normalized_u8(fg, bg, alpha), blended_u8(fg, bg, alpha))


# Small calls take the borrow-free slice path, large ones the tracked borrows with the GIL
# released: out= may be any input on both.
@pytest.mark.parametrize("rows", [6, 20000])
def test_out_may_alias_every_input_and_operands_broadcast(rows):
    rng = np.random.default_rng(13)
    for dtype in [np.float32, np.int64, np.complex128]:
        ops = [random(rng, (rows, 7), dtype) for _ in range(3)] + [random(rng, (7,), dtype)]
        want = two_products(*ops)
        for k in range(3):
            copies = [x.copy() for x in ops]
            got = h.multiply_then_add_multiply(*copies, out=copies[k])
            assert got is copies[k] and same_bits(got, want), (dtype, k)
    a, b = random(rng, (rows, 7), np.float64), random(rng, (rows, 7), np.float64)
    w = rng.random((rows, 1))
    want = blended(a, b, w)
    for k in range(2):
        copies = [a.copy(), b.copy(), w]
        assert same_bits(h.blend(*copies, out=copies[k]), want)
    fg, bg = random(rng, (rows, 7), np.uint8), random(rng, (rows, 7), np.uint8)
    alpha = random(rng, (rows, 7), np.uint8)
    want = blended_u8(fg, bg, alpha)
    for k in range(3):
        copies = [fg.copy(), bg.copy(), alpha.copy()]
        assert same_bits(h.blend_normalized_u8(*copies, out=copies[k]), want)
    # Strided and Fortran-ordered operands.
    f = np.asfortranarray(fg)
    assert same_bits(h.blend_normalized_u8(f, bg[:, ::-1], alpha), blended_u8(fg, bg[:, ::-1], alpha))


def test_errors_are_numpys_kinds_and_write_nothing():
    a = np.ones((2, 3))
    out = np.full((2, 3), 7.0)
    with pytest.raises(ValueError, match=r"hadamard\.multiply_then_add_multiply: .*broadcast"):
        h.multiply_then_add_multiply(a, a, a, np.ones(4), out=out)
    with pytest.raises(TypeError, match=r"hadamard\.blend: .*one dtype.*w: float32"):
        h.blend(a, a, np.ones((2, 3), np.float32), out=out)
    with pytest.raises(TypeError, match=r"hadamard\.blend: dtype int32 is not supported \(supported: float32, float64\)"):
        h.blend(*[np.ones(3, np.int32)] * 3)
    with pytest.raises(TypeError, match=r"hadamard\.blend_normalized_u8: dtype float64 is not supported"):
        h.blend_normalized_u8(a, a, a)
    with pytest.raises(ValueError, match=r"out has shape \(3, 2\)"):
        h.blend(a, a, a, out=np.zeros((3, 2)))
    frozen = np.full((2, 3), 7.0)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        h.multiply_then_add_multiply(a, a, a, a, out=frozen)
    assert (out == 7.0).all() and (frozen == 7.0).all()


def test_the_same_bits_on_every_kernel():
    script = (
        "import numpy as np, hadamard as h; r = np.random.default_rng(5);"
        "x = [r.standard_normal(1001).astype(np.float32) for _ in range(4)];"
        "p = [r.integers(0, 256, 1001, dtype=np.uint8) for _ in range(3)];"
        "w = r.random(1001).astype(np.float32);"
        "print(h.kernel(), h.multiply_then_add_multiply(*x).tobytes().hex(),"
        " h.blend(x[0], x[1], w).tobytes().hex(), h.blend_normalized_u8(*p).tobytes().hex())"
    )
    outputs = set()
    for kernel in h.available_kernels():
        env = dict(os.environ, HADAMARD_KERNEL=kernel)
        line = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                              capture_output=True, text=True).stdout.split()
        assert line[0] == kernel
        outputs.add(tuple(line[1:]))
    assert len(outputs) == 1
