"""hadamard's NumPy-like functions against NumPy itself: bits for real and integer dtypes,
the textbook complex formula, broadcasting, strides and orders, out= (aliasing included),
errors of NumPy's kinds that write nothing, and every kernel this CPU runs."""

import os
import subprocess
import sys

import numpy as np
import pytest

import hadamard as h

REAL = [np.float16, np.float32, np.float64]
COMPLEX = [np.complex64, np.complex128]
INT = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
ALL = REAL + COMPLEX + INT


def random(rng, shape, dtype):
    dtype = np.dtype(dtype)
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    if dtype.kind == "c":
        parts = rng.standard_normal((2,) + shape) * 4
        return (parts[0] + 1j * parts[1]).astype(dtype)
    if dtype.kind == "f":
        return (rng.standard_normal(shape) * 4).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)


def same_bits(x, y):
    x, y = np.asarray(x), np.asarray(y)
    assert x.dtype == y.dtype and x.shape == y.shape, (x.dtype, y.dtype, x.shape, y.shape)
    if x.dtype.kind in "fc":
        # NaN payloads aside (none arise from these finite inputs).
        return np.array_equal(x, y, equal_nan=True) and np.array_equal(np.signbit(x.real), np.signbit(y.real))
    return np.array_equal(x, y)


def textbook(a, b):
    """(ac - bd) + (ad + bc)i, each product and sum rounded in the dtype."""
    re = a.real * b.real - a.imag * b.imag
    im = a.real * b.imag + a.imag * b.real
    out = np.empty(np.broadcast(a, b).shape, dtype=np.result_type(a, b))
    out.real, out.imag = re, im
    return out


def layouts(rng, shape, dtype):
    """The same values in C order, Fortran order, transposed, stepped and reversed views."""
    base = random(rng, shape, dtype)
    yield "C", base
    yield "F", np.asfortranarray(base)
    yield "transposed", np.ascontiguousarray(base.T).T
    wide = np.zeros(shape[:-1] + (2 * shape[-1],), dtype=dtype)
    wide[..., ::2] = base
    yield "stepped", wide[..., ::2]
    yield "reversed", np.ascontiguousarray(base[::-1])[::-1]


@pytest.mark.parametrize("dtype", ALL)
def test_multiply_is_numpy_multiply_bit_for_bit(dtype):
    rng = np.random.default_rng(1)
    for n in list(range(0, 70)) + [255, 1000, 4099]:
        a, b = random(rng, n, dtype), random(rng, n, dtype)
        want = textbook(a, b) if np.dtype(dtype).kind == "c" else np.multiply(a, b)
        assert same_bits(h.multiply(a, b), want), (dtype, n)


@pytest.mark.parametrize("dtype", ALL)
def test_every_layout_and_broadcast(dtype):
    rng = np.random.default_rng(2)
    reference = textbook if np.dtype(dtype).kind == "c" else np.multiply
    for shape in [(3, 5), (17, 40), (2, 3, 4)]:
        for name_a, a in layouts(rng, shape, dtype):
            for name_b, b in layouts(rng, shape, dtype):
                assert same_bits(h.multiply(a, b), reference(a, b)), (name_a, name_b, shape)
        a = random(rng, shape, dtype)
        for other in [random(rng, shape[-1:], dtype), random(rng, shape[:-1] + (1,), dtype),
                      random(rng, (), dtype), dtype(3) if np.dtype(dtype).kind != "c" else dtype(1 - 2j)]:
            assert same_bits(h.multiply(a, other), reference(a, np.asarray(other, dtype=dtype)))
            assert same_bits(h.multiply(other, a), reference(np.asarray(other, dtype=dtype), a))


def test_python_scalars_take_the_array_dtype_and_never_change_it():
    a = np.arange(5, dtype=np.float32)
    assert h.multiply(a, 2.5).dtype == np.float32
    assert same_bits(h.multiply(a, 2.5), a * np.float32(2.5))
    assert h.multiply(np.arange(4, dtype=np.int16), 3).dtype == np.int16
    assert same_bits(h.multiply([1.5, 2.0], np.array([2.0, 4.0])), np.array([3.0, 8.0]))
    with pytest.raises(TypeError, match="float.*int32"):
        h.multiply(np.arange(3, dtype=np.int32), 1.5)
    with pytest.raises(OverflowError):
        h.multiply(np.arange(3, dtype=np.uint8), 300)


ELEMENTWISE = {
    "multiply": 2, "multiply_conj": 2, "multiply_then_add": 3, "multiply_add": 3, "fma": 3,
    "multiply_saturating": 2, "multiply_normalized_u8": 2,
    "multiply_then_add_multiply": 4, "blend": 3, "blend_normalized_u8": 3,
}


def operand_dtype(name):
    return {"multiply_conj": np.complex64, "multiply_saturating": np.int16,
            "multiply_normalized_u8": np.uint8, "blend_normalized_u8": np.uint8}.get(name, np.float32)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_operands_without_dimensions_give_numpy_scalars(name):
    f, dtype = getattr(h, name), operand_dtype(name)
    for operands in ([dtype(3)] * ELEMENTWISE[name], [np.array(3, dtype)] * ELEMENTWISE[name]):
        result = f(*operands)
        # What np.multiply gives for the same operands: a NumPy scalar, not a 0-d array.
        assert type(result) is type(np.multiply(operands[0], operands[1])) is dtype, (name, type(result))
        out = np.zeros((), dtype)
        assert f(*operands, out=out) is out and out.ndim == 0
    assert isinstance(f(*[np.ones(1, dtype)] * ELEMENTWISE[name]), np.ndarray)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE) + ["dot", "vdot", "multiply_conj_add"])
def test_every_error_names_the_function_called_and_docstrings_say_what_it_takes(name):
    f = getattr(h, name)
    arity = ELEMENTWISE.get(name, 3 if name == "multiply_conj_add" else 2)
    text = np.array(["x", "y"])
    with pytest.raises(TypeError, match=rf"^hadamard\.{name}: "):
        f(*[text] * arity)
    doc = f.__doc__
    assert "dtypes: " in doc and "TypeError" in doc and "ValueError" in doc, doc


def test_a_list_of_another_dtype_says_what_to_pass():
    a = np.ones(3, np.float32)
    with pytest.raises(TypeError, match=r"hadamard\.multiply: b is a Python list, which NumPy reads as "
                       r"int64, not the float32 .*numpy\.asarray\(b, dtype=numpy\.float32\)"):
        h.multiply(a, [1, 2, 3])
    with pytest.raises(TypeError, match=r"hadamard\.fma: c is a Python tuple"):
        h.fma(a, a, (1, 2, 3))
    assert same_bits(h.multiply(a, np.asarray([1, 2, 3], dtype=np.float32)), a * np.float32([1, 2, 3]))


def test_the_version_is_the_installed_distributions():
    import importlib.metadata
    assert h.__version__ == importlib.metadata.version("hadamard")


# Small calls (outputs under 512 KiB) take the borrow-free slice path, large ones the
# tracked borrows and the GIL released: every aliasing case runs through both.
@pytest.mark.parametrize("rows", [6, 20000])
@pytest.mark.parametrize("dtype", [np.float32, np.int64, np.complex128])
def test_out_of_the_broadcast_shape_aliasing_an_input(dtype, rows):
    rng = np.random.default_rng(3)
    reference = textbook if np.dtype(dtype).kind == "c" else np.multiply
    a, b = random(rng, (rows, 7), dtype), random(rng, (7,), dtype)
    want = reference(a, b)
    out = np.empty((rows, 7), dtype)
    assert h.multiply(a, b, out=out) is out and same_bits(out, want)
    x = a.copy()
    assert h.multiply(x, b, out=x) is x and same_bits(x, want)  # out is a
    y = a.copy()
    h.multiply(y, y, out=y)
    assert same_bits(y, reference(a, a))
    # Partial overlap: out is a shifted view of the same buffer as the input, both
    # contiguous (the slice path must see the overlap, not only the general one).
    buf = random(rng, 7 * rows + 10, dtype)
    src, dst = buf[: 7 * rows], buf[5 : 7 * rows + 5]
    expect = reference(src.copy(), src.copy())
    h.multiply(src, src, out=dst)
    assert same_bits(dst, expect)
    # The accumulator of multiply_conj_add aliasing an operand.
    if np.dtype(dtype).kind == "c":
        acc = a.copy()
        h.multiply_conj_add(acc, acc, a)
        assert np.allclose(acc, a + a * np.conj(a), rtol=1e-12)
    # Fortran-ordered and strided outputs.
    f = np.empty((rows, 7), dtype, order="F")
    assert same_bits(h.multiply(a, b, out=f), want)
    host = np.zeros((rows, 14), dtype)
    h.multiply(a, b, out=host[:, ::2])
    assert same_bits(host[:, ::2], want) and not host[:, 1::2].any()


def misaligned(x):
    """A copy of `x` one byte past an aligned address: NumPy marks it unaligned, and no
    Rust slice or view may be made of it."""
    raw = np.empty(x.nbytes + 1, np.uint8)
    y = raw[1 : 1 + x.nbytes].view(x.dtype).reshape(x.shape)
    y[...] = x
    assert not y.flags.aligned or x.size == 0  # NumPy calls an empty array aligned
    return y


@pytest.mark.parametrize("n", [0, 1, 37, 200000])
def test_misaligned_operands_and_outputs(n):
    rng = np.random.default_rng(9)
    for dtype in [np.float64, np.int32, np.complex64]:
        reference = textbook if np.dtype(dtype).kind == "c" else np.multiply
        a, b = random(rng, n, dtype), random(rng, n, dtype)
        want = reference(a, b)
        assert same_bits(h.multiply(misaligned(a), misaligned(b)), want)
        out = misaligned(np.zeros(n, dtype))
        assert h.multiply(a, misaligned(b), out=out) is out and same_bits(out, want)
        # In place: the misaligned output is also an input.
        x = misaligned(a)
        assert h.multiply(x, b, out=x) is x and same_bits(x, want)
        if np.dtype(dtype).kind == "c":
            acc = misaligned(b)
            h.multiply_conj_add(acc, a, a)
            want_acc = b + textbook(a, np.conj(a))
            assert np.allclose(acc, want_acc, rtol=1e-5, atol=1e-5)
        assert same_bits(h.vdot(misaligned(a), misaligned(b)), h.vdot(a, b))
    frozen = misaligned(np.full(n, 7.0))
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        h.multiply(np.ones(n), np.ones(n), out=frozen)
    assert (frozen == 7.0).all()


@pytest.mark.parametrize("n", [6, 200000])
def test_a_read_only_output_is_refused_on_every_path(n):
    a = np.ones(n)
    frozen = np.full(n, 7.0)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        h.multiply(a, a, out=frozen)
    with pytest.raises(ValueError, match="read-only"):
        h.multiply_then_add(a, a, a, out=frozen)
    acc = np.full(n, 7 + 0j)
    acc.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        h.multiply_conj_add(acc, acc.copy(), acc.copy())
    assert (frozen == 7.0).all() and (acc == 7).all()


def test_errors_are_numpys_kinds_name_what_is_wrong_and_write_nothing():
    a, b = np.ones((2, 3)), np.ones((4,))
    out = np.full((2, 3), 7.0)
    with pytest.raises(ValueError, match=r"broadcast together with shapes \(2, 3\) \(4,\)"):
        h.multiply(a, b, out=out)
    with pytest.raises(TypeError, match="float64.*float32"):
        h.multiply(a, np.ones((2, 3), np.float32), out=out)
    with pytest.raises(TypeError, match="out has dtype float32"):
        h.multiply(a, a, out=np.zeros((2, 3), np.float32))
    with pytest.raises(ValueError, match=r"out has shape \(3, 2\)"):
        h.multiply(a, a, out=np.zeros((3, 2)))
    frozen = np.full((2, 3), 7.0)
    frozen.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        h.multiply(a, a, out=frozen)
    with pytest.raises(TypeError, match="not supported"):
        h.multiply(np.array(["x"]), np.array(["y"]))
    with pytest.raises(TypeError, match="not supported.*complex64"):
        h.multiply_conj(a, a)
    with pytest.raises(ValueError, match="differ"):
        h.dot(np.ones(3), np.ones(4))
    assert (out == 7.0).all() and (frozen == 7.0).all()


def test_multiply_conj_and_accumulate_match_the_textbook_formula():
    rng = np.random.default_rng(4)
    for dtype in COMPLEX:
        a, b = random(rng, (5, 33), dtype), random(rng, (33,), dtype)
        assert same_bits(h.multiply_conj(a, b), textbook(a, np.conj(b)))
        acc = random(rng, (5, 33), dtype)
        want = acc + textbook(a, np.conj(b))
        assert h.multiply_conj_add(acc, a, b) is acc
        assert same_bits(acc, want)
        with pytest.raises(ValueError, match=r"acc has shape \(33,\)"):
            h.multiply_conj_add(np.zeros(33, dtype), a, b)


def test_numpy_fuses_its_complex_products_and_hadamard_does_not():
    """Where NumPy's complex product differs from hadamard's, it is NumPy's formula: its
    SIMD loops compute re = fma(ar, br, -(ai*bi)), im = fma(ar, bi, ai*br); hadamard rounds
    every product. Both are within the textbook bound; this documents which is which."""
    rng = np.random.default_rng(5)
    a, b = random(rng, 2000, np.complex64), random(rng, 2000, np.complex64)
    ours, theirs = h.multiply(a, b), a * b
    assert same_bits(ours, textbook(a, b))
    wide = [x.astype(np.float64) for x in (a.real, a.imag, b.real, b.imag)]
    ar, ai, br, bi = wide
    fused_re = (ar * br - (ai * bi).astype(np.float32)).astype(np.float32)
    fused_im = (ar * bi + (ai * br).astype(np.float32)).astype(np.float32)
    differs = ours != theirs
    if differs.any():
        assert np.array_equal(theirs.real, fused_re) and np.array_equal(theirs.imag, fused_im)
    scale = np.abs(a) * np.abs(b)
    assert (np.abs(ours - theirs) <= 4 * np.finfo(np.float32).eps * scale).all()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_multiply_add_is_fma_and_multiply_then_add_rounds_twice(dtype):
    e = np.finfo(dtype).eps
    a, b, c = (np.full(8, x, dtype) for x in (1 + e, 1 - e, -1))
    assert (h.multiply_add(a, b, c) == -(e * e)).all()  # one rounding: exact
    assert (h.fma(a, b, c) == -(e * e)).all()
    assert (h.multiply_then_add(a, b, c) == 0).all()  # a*b rounds to 1 first
    rng = np.random.default_rng(6)
    x, y, z = (random(rng, 999, dtype) for _ in range(3))
    assert same_bits(h.multiply_then_add(x, y, z), x * y + z)
    exact = (x.astype(np.longdouble) * y + z).astype(dtype) if dtype == np.float32 else None
    if exact is not None:
        assert same_bits(h.multiply_add(x, y, z), exact)


def test_integers_wrap_like_numpy_saturate_and_normalize():
    rng = np.random.default_rng(7)
    for dtype in INT:
        a, b = random(rng, 1000, dtype), random(rng, 1000, dtype)
        assert same_bits(h.multiply(a, b), a * b)
        info = np.iinfo(dtype)
        wide = np.clip(a.astype(object) * b.astype(object), info.min, info.max).astype(dtype)
        assert same_bits(h.multiply_saturating(a, b), wide)
        assert same_bits(h.multiply_saturating(a[::-2], b[::-2]), wide[::-2])
    x, y = np.meshgrid(np.arange(256, dtype=np.uint8), np.arange(256, dtype=np.uint8))
    want = ((2 * x.astype(np.uint32) * y + 255) // 510).astype(np.uint8)
    assert same_bits(h.multiply_normalized_u8(x, y), want)
    transposed = ((2 * x.T.astype(np.uint32) * y + 255) // 510).astype(np.uint8)
    assert same_bits(h.multiply_normalized_u8(x.T, y), transposed)  # strided lanes


def test_sums_are_dot_and_vdot_within_their_bound():
    rng = np.random.default_rng(8)
    for dtype in [np.float32, np.float64, np.complex64, np.complex128]:
        a, b = random(rng, (31, 17), dtype), random(rng, (31, 17), dtype)
        eps = np.finfo(dtype).eps
        bound = (a.size + 64) * eps * np.sum(np.abs(a) * np.abs(b))
        exact = np.sum(a.astype(np.complex256 if np.dtype(dtype).kind == "c" else np.longdouble) * b)
        assert abs(complex(h.dot(a, b)) - complex(exact)) <= bound
        assert abs(complex(h.vdot(a, b)) - complex(np.vdot(a, b))) <= 2 * bound
        assert np.asarray(h.dot(a, b)).dtype == dtype
        assert abs(complex(h.dot(a.T, b.T)) - complex(exact)) <= bound
    for dtype in INT:
        a, b = random(rng, 777, dtype), random(rng, 777, dtype)
        assert h.dot(a, b) == np.sum(a * b, dtype=dtype)


def test_large_calls_split_and_stream_with_the_same_bits():
    rng = np.random.default_rng(9)
    a, b = random(rng, 3_000_000, np.float32), random(rng, 3_000_000, np.float32)
    assert same_bits(h.multiply(a, b), a * b)
    out = np.empty_like(a)
    assert same_bits(h.multiply(a, b, out=out), a * b)
    m = random(rng, (1500, 2000), np.float64)
    assert same_bits(h.multiply(m, m.T.copy().T), m * m)
    assert same_bits(h.multiply(m, m[:, ::-1]), m * m[:, ::-1])


def test_the_gil_is_released_while_kernels_run():
    """Two Python threads each make large calls; with the GIL held they would take turns,
    released they overlap: their wall time is well under the sum of their times alone."""
    import threading
    import time

    a = np.ones(20_000_000, np.float32)
    out = [np.empty_like(a), np.empty_like(a)]

    def work(k, times):
        h.multiply(a, a, out=out[k])
        t0 = time.perf_counter()
        for _ in range(5):
            h.multiply(a, a, out=out[k])
        times[k] = time.perf_counter() - t0

    alone = {}
    work(0, alone)
    seen = {}
    threads = [threading.Thread(target=work, args=(k, seen)) for k in (0, 1)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    # While they run, this thread gets the GIL for Python work of its own.
    ticks = 0
    while any(t.is_alive() for t in threads):
        ticks += 1
        time.sleep(0.001)
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    assert ticks > 10, "the main thread never ran while the kernels did"
    assert wall < 3 * alone[0] + 0.5


def test_small_calls_never_race_with_a_large_call_in_another_thread():
    """While another thread's large call runs with the GIL released (holding its arrays'
    borrows), a small call on the same memory takes the tracked path and is refused
    instead of writing borrow-free beside it; a small call on other arrays still runs."""
    import threading

    big_a = np.ones(8_000_000, np.float32)
    big_out = np.zeros_like(big_a)
    stop = threading.Event()

    def large_calls():
        while not stop.is_set():
            h.multiply(big_a, big_a, out=big_out)

    worker = threading.Thread(target=large_calls)
    worker.start()
    refused = done = 0
    small = np.full(16, 3.0, np.float32)
    try:
        for _ in range(300):
            try:
                h.multiply(small, small, out=big_out[:16])
                done += 1
            except ValueError as e:
                assert "borrow" in str(e), e
                refused += 1
            try:  # reading the memory being written is refused as well
                h.multiply(big_out[:16], small)
            except ValueError as e:
                assert "borrow" in str(e), e
            other = np.empty(16, np.float32)
            assert same_bits(h.multiply(small, small, out=other), small * small)
    finally:
        stop.set()
        worker.join()
    assert refused > 0, f"never refused in {done} calls: a small call ran beside the large one"


def order_reference(terms, size=None):
    """The crate's documented order of a float sum, written out with NumPy: blocks of 64 KiB
    of elements, in a block element i into partial i mod W (W = 256 bytes of elements) in
    index order, the partials halved, the blocks by the tree whose left run is the largest
    power of two of blocks below their number. `size`: bytes of an element (a complex
    number's parts are summed as two arrays of its element size)."""
    size = size or terms.dtype.itemsize
    w, block = 256 // size, 65536 // size

    def block_sum(chunk):
        partials = np.zeros(w, terms.dtype)
        whole = len(chunk) // w * w
        for row in chunk[:whole].reshape(-1, w):
            partials = partials + row  # one rounding per partial, in index order
        partials[: len(chunk) - whole] += chunk[whole:]
        while len(partials) > 1:
            half = len(partials) // 2
            partials = partials[:half] + partials[half:]
        return partials[0]

    def tree(sums):
        if len(sums) == 1:
            return sums[0]
        left = 1 << (len(sums) - 1).bit_length() - 1
        return tree(sums[:left]) + tree(sums[left:])

    return tree([block_sum(terms[i : i + block]) for i in range(0, max(len(terms), 1), block)])


def test_sums_have_one_answer_on_every_kernel_and_thread_count():
    """dot and vdot: the bits of the documented order, whatever kernel and pool size."""
    n = 700_001  # 5.3 MiB of float32 read: splits across the pool
    code = (
        "import numpy as np, hadamard as h\n"
        "rng = np.random.default_rng(12)\n"
        f"a = (rng.standard_normal({n}) * 3).astype(np.float32)\n"
        f"b = (rng.standard_normal({n}) * 3).astype(np.float32)\n"
        "z = (a[:40_000] + 1j * b[:40_000]).astype(np.complex128)\n"
        "print(h.dot(a, b).tobytes().hex(), h.dot(a[1:], b[1:]).tobytes().hex(),"
        " h.vdot(z, z[::-1]).tobytes().hex())\n"
    )
    seen = set()
    for kernel in h.available_kernels():
        for threads in ("1", "3", "8"):
            env = dict(os.environ, HADAMARD_KERNEL=kernel, RAYON_NUM_THREADS=threads)
            out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
            seen.add(out.stdout.strip())
    assert len(seen) == 1, seen
    rng = np.random.default_rng(12)
    a = (rng.standard_normal(n) * 3).astype(np.float32)
    b = (rng.standard_normal(n) * 3).astype(np.float32)
    z = (a[:40_000] + 1j * b[:40_000]).astype(np.complex128)
    want = [order_reference(a * b), order_reference(a[1:] * b[1:])]
    terms = np.conj(z) * z[::-1]
    # The crate's complex product rounds each part (NumPy's loop may fuse one): rebuilt here.
    re = z.real * z[::-1].real + z.imag * z[::-1].imag
    im = z.real * z[::-1].imag - z.imag * z[::-1].real
    assert np.allclose(terms, re + 1j * im)
    want.append(order_reference(re, 16) + 1j * order_reference(im, 16))
    assert seen == {" ".join(np.asarray(x, dtype).tobytes().hex() for x, dtype in zip(want, [np.float32, np.float32, np.complex128]))}


@pytest.mark.parametrize("kernel", h.available_kernels())
def test_every_kernel_this_cpu_runs(kernel):
    """Each kernel forced with HADAMARD_KERNEL in a fresh interpreter."""
    code = (
        "import numpy as np, hadamard as h\n"
        f"assert h.kernel() == {kernel!r}, h.kernel()\n"
        "rng = np.random.default_rng(10)\n"
        "for dt in (np.float32, np.float64, np.int16, np.uint8):\n"
        "    for n in range(0, 300, 7):\n"
        "        a = (rng.standard_normal(n) * 50).astype(dt); b = (rng.standard_normal(n) * 50).astype(dt)\n"
        "        assert np.array_equal(h.multiply(a[1:], b[:-1] if n else b), a[1:] * (b[:-1] if n else b))\n"
    )
    env = dict(os.environ, HADAMARD_KERNEL=kernel)
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
