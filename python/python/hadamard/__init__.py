"""Element-wise (Hadamard) products of NumPy arrays at the speed of the hardware.

The Rust crate ``hadamard`` behind NumPy-like functions: SIMD kernels chosen for this CPU
at run time (AVX-512, AVX2, SSE2, NEON), large calls split across cores, and streaming
stores for outputs larger than the last-level cache. Every function takes arrays of one
dtype (a Python scalar adopts the array's dtype; nothing else is cast), broadcasts them as
NumPy does, and accepts ``out=`` of the broadcast shape, which may be one of the inputs;
operands without dimensions give a NumPy scalar, as ``numpy.multiply`` does. Every error
names the function called. The GIL is released while the kernels run. ``help()`` of each
function gives its dtypes, its errors and how it differs from NumPy's nearest function.

>>> import numpy as np, hadamard
>>> a = np.arange(6, dtype=np.float32).reshape(2, 3)
>>> hadamard.multiply(a, np.float32(2.0))
array([[ 0.,  2.,  4.],
       [ 6.,  8., 10.]], dtype=float32)

Results: real and integer products are bit for bit ``numpy.multiply`` (IEEE products are
exactly rounded; integers wrap as NumPy's do). Complex products use the textbook formula
``(ac - bd) + (ad + bc)i`` with each product and sum rounded, as NumPy's loops do.

``hadamard.dask`` has the same operations for ``dask.array`` arrays.
"""

from ._hadamard import (
    __version__,
    available_kernels,
    blend,
    blend_normalized_u8,
    dot,
    fma,
    kernel,
    multiply,
    multiply_add,
    multiply_conj,
    multiply_conj_add,
    multiply_normalized_u8,
    multiply_saturating,
    multiply_then_add,
    multiply_then_add_multiply,
    vdot,
)

__all__ = [
    "available_kernels",
    "blend",
    "blend_normalized_u8",
    "dot",
    "fma",
    "kernel",
    "multiply",
    "multiply_add",
    "multiply_conj",
    "multiply_conj_add",
    "multiply_normalized_u8",
    "multiply_saturating",
    "multiply_then_add",
    "multiply_then_add_multiply",
    "vdot",
]
