"""The operations of ``hadamard`` on ``dask.array`` arrays, block by block.

Each function builds the same graph Dask builds for the NumPy expression it replaces
(``x * y`` for ``multiply``): the operands are broadcast and their chunks unified the way
Dask's own element-wise operations do (``dask.array.blockwise`` with aligned indices), and
every block is computed by the ``hadamard`` function on the worker — on a laptop's threads
or a cluster's machines alike, whichever scheduler runs the graph::

    from dask.distributed import Client
    client = Client("tcp://scheduler:8786")     # or LocalCluster() on one machine
    z = hadamard.dask.multiply(x, y).compute()

Each worker must have ``hadamard`` installed (``pip install ./python``).
"""

import dask.array as da
import numpy as np

import hadamard as _h

__all__ = [
    "multiply",
    "multiply_conj",
    "multiply_then_add",
    "multiply_then_add_multiply",
    "blend",
    "blend_normalized_u8",
    "multiply_add",
    "fma",
    "multiply_saturating",
    "multiply_normalized_u8",
    "dot",
    "vdot",
]


def _dtype(function, *arrays):
    dtypes = {np.dtype(a.dtype) for a in arrays}
    if len(dtypes) != 1:
        listed = ", ".join(str(np.dtype(a.dtype)) for a in arrays)
        raise TypeError(f"hadamard.dask.{function}: operands must have one dtype (no casting), got {listed}")
    return dtypes.pop()


def _elementwise(function, kernel, *operands):
    arrays = [da.asarray(x) for x in operands]
    dtype = _dtype(function, *arrays)
    ndim = max(a.ndim for a in arrays)
    index = tuple(range(ndim))
    # blockwise broadcasts and unifies chunks as Dask's own `x * y` does (rechunking
    # operands whose chunks disagree), then calls `kernel` on matching NumPy blocks.
    pairs = []
    for a in arrays:
        pairs += [a, index[ndim - a.ndim:]]
    return da.blockwise(kernel, index, *pairs, dtype=dtype, align_arrays=True)


def multiply(x, y):
    """``x * y`` block by block with ``hadamard.multiply``."""
    return _elementwise("multiply", _h.multiply, x, y)


def multiply_conj(x, y):
    """``x * conj(y)`` block by block (complex)."""
    return _elementwise("multiply_conj", _h.multiply_conj, x, y)


def multiply_then_add(x, y, z):
    """``x * y + z``, each step rounded, block by block."""
    return _elementwise("multiply_then_add", _h.multiply_then_add, x, y, z)


def multiply_then_add_multiply(a, b, c, d):
    """``a * b + c * d`` in one pass, each step rounded, block by block."""
    return _elementwise("multiply_then_add_multiply", _h.multiply_then_add_multiply, a, b, c, d)


def blend(a, b, w):
    """``w * a + (1 - w) * b`` in one pass, each step rounded, block by block (float32, float64)."""
    return _elementwise("blend", _h.blend, a, b, w)


def blend_normalized_u8(fg, bg, alpha):
    """``round((alpha * fg + (255 - alpha) * bg) / 255)`` for uint8, block by block."""
    return _elementwise("blend_normalized_u8", _h.blend_normalized_u8, fg, bg, alpha)


def multiply_add(x, y, z):
    """``fma(x, y, z)``: one rounding, block by block (float32, float64)."""
    return _elementwise("multiply_add", _h.multiply_add, x, y, z)


def fma(x, y, z):
    """``fma(x, y, z)``: ``multiply_add`` under the name C users search for."""
    return _elementwise("fma", _h.fma, x, y, z)


def multiply_saturating(x, y):
    """``x * y`` saturating at the integer bounds, block by block."""
    return _elementwise("multiply_saturating", _h.multiply_saturating, x, y)


def multiply_normalized_u8(x, y):
    """``round(x * y / 255)`` for uint8, block by block."""
    return _elementwise("multiply_normalized_u8", _h.multiply_normalized_u8, x, y)


def _sum(function, kernel, x, y):
    x, y = da.asarray(x), da.asarray(y)
    _dtype(function, x, y)
    if x.shape != y.shape:
        raise ValueError(f"hadamard.dask.{function}: shapes {x.shape} and {y.shape} differ (sums do not broadcast)")
    index = tuple(range(x.ndim))
    # One partial sum per block pair (chunks unified), added up by Dask.
    parts = da.blockwise(
        lambda a, b: np.asarray(kernel(a, b)).reshape((1,) * a.ndim),
        index, x, index, y, index, dtype=x.dtype, align_arrays=True,
        adjust_chunks={i: 1 for i in index},
    )
    return parts.sum(dtype=x.dtype)


def dot(x, y):
    """``Σ x * y`` over every element, as a 0-d Dask array (``.compute()`` gives it)."""
    return _sum("dot", _h.dot, x, y)


def vdot(x, y):
    """``Σ conj(x) * y`` over every element, as ``numpy.vdot``."""
    return _sum("vdot", _h.vdot, x, y)
