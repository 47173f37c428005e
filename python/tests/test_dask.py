"""hadamard.dask on a distributed.LocalCluster of two worker processes (loopback only):
arrays larger than one chunk, chunks that disagree, broadcasting; against Dask's own
expressions computed on the same cluster."""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import hadamard.dask as hd  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, protocol="tcp",
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_multiply_matches_dask_with_disagreeing_chunks(client):
    rng = np.random.default_rng(1)
    x = da.from_array(rng.standard_normal((600, 500)).astype(np.float32), chunks=(250, 200))
    y = da.from_array(rng.standard_normal((600, 500)).astype(np.float32), chunks=(100, 300))
    z = hd.multiply(x, y)
    want = (x * y)
    assert z.chunks == want.chunks  # rechunked the way Dask's own x * y is
    got, expected = client.compute([z, want], sync=True)
    assert np.array_equal(got, expected)
    # The work ran on the workers, in the other processes.
    assert len(client.scheduler_info()["workers"]) == 2


def test_broadcasting_and_the_other_operations(client):
    rng = np.random.default_rng(2)
    x = da.from_array(rng.standard_normal((400, 300)), chunks=(100, 150))
    row = da.from_array(rng.standard_normal(300), chunks=120)
    c = da.from_array(rng.standard_normal((400, 300)), chunks=(200, 100))
    got = client.compute([hd.multiply(x, row), hd.multiply_then_add(x, row, c), hd.fma(x, x, c)], sync=True)
    xs, rs, cs = client.compute([x, row, c], sync=True)
    assert np.array_equal(got[0], xs * rs)
    assert np.array_equal(got[1], xs * rs + cs)
    assert np.allclose(got[2], xs * xs + cs, rtol=1e-15, atol=1e-15)
    z = (rng.standard_normal((300, 200)) + 1j * rng.standard_normal((300, 200))).astype(np.complex128)
    w = (rng.standard_normal((300, 200)) + 1j * rng.standard_normal((300, 200))).astype(np.complex128)
    dz, dw = da.from_array(z, chunks=(100, 64)), da.from_array(w, chunks=(150, 50))
    conj = client.compute(hd.multiply_conj(dz, dw), sync=True)
    assert np.allclose(conj, z * np.conj(w), rtol=1e-15)
    s = client.compute(hd.vdot(dz, dw), sync=True)
    assert abs(s - np.vdot(z, w)) <= 1e-10 * np.sum(np.abs(z) * np.abs(w))
    d = client.compute(hd.dot(x, c), sync=True)
    assert abs(d - np.sum(xs * cs)) <= 1e-10 * np.sum(np.abs(xs * cs))


def test_errors_before_anything_runs():
    x = da.ones((10, 10), chunks=5, dtype=np.float32)
    with pytest.raises(TypeError, match="one dtype"):
        hd.multiply(x, da.ones((10, 10), chunks=5, dtype=np.float64))
    with pytest.raises(ValueError):
        hd.multiply(x, da.ones((3, 10), chunks=5, dtype=np.float32))


def test_the_two_product_functions_match_dasks_expressions(client):
    rng = np.random.default_rng(3)
    shape = (500, 300)
    a, b, c, d = (da.from_array(rng.standard_normal(shape).astype(np.float32), chunks=ch)
                  for ch in [(250, 100), (100, 300), (500, 150), (200, 200)])
    w = da.from_array(rng.random(300).astype(np.float32), chunks=120)  # broadcast row
    got = client.compute([hd.multiply_then_add_multiply(a, b, c, d), hd.blend(a, b, w)], sync=True)
    want = client.compute([a * b + c * d, w * a + (1 - w) * b], sync=True)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    fg, bg, alpha = (da.from_array(rng.integers(0, 256, shape, dtype=np.uint8), chunks=ch)
                     for ch in [(250, 100), (100, 300), (500, 150)])
    got = client.compute(hd.blend_normalized_u8(fg, bg, alpha), sync=True)
    f, g, t = (x.astype(np.uint32) for x in client.compute([fg, bg, alpha], sync=True))
    assert np.array_equal(got, ((2 * (t * f + (255 - t) * g) + 255) // 510).astype(np.uint8))
