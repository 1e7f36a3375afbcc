"""``SandboxPool``: warm parents for parallel runs; one crash does not disturb the others."""

from __future__ import annotations

import time

import pytest

from assistant.sandbox import SandboxClosedError, SandboxConfigError, SandboxPool


@pytest.fixture(scope="module")
def pool():
    with SandboxPool(size=2, timeout_s=3) as p:
        yield p


def test_jobs_run_in_parallel_and_keep_their_order(pool):
    codes = ["import time\ntime.sleep(0.5)\n" + str(n) for n in range(4)]
    started = time.monotonic()
    results = pool.run_many(codes)
    assert [r.value for r in results] == [0, 1, 2, 3]
    assert time.monotonic() - started < 1.8  # two at a time, not one after another


def test_a_crash_or_timeout_in_one_job_leaves_the_others_alone(pool):
    results = pool.run_many(["import ctypes\nctypes.string_at(0)", "while True:\n    pass", "6 * 7"], timeout_s=2)
    assert [r.status for r in results] == ["killed", "timeout", "ok"]
    assert results[2].value == 42
    assert pool.run_many(["1 + 1"])[0].value == 2


def test_sessions_from_a_pool_keep_state(pool):
    with pool.session() as a, pool.session() as b:
        a.run("v = 'a'")
        b.run("v = 'b'")
        assert (a.run("v").value, b.run("v").value) == ("a", "b")


def test_pool_size_is_checked_and_closed_pools_refuse_work():
    with pytest.raises(SandboxConfigError, match="size=0"):
        SandboxPool(size=0)
    with SandboxPool(size=1) as p:
        assert p.run_many(["2 * 3"])[0].value == 6
    with pytest.raises(SandboxClosedError):
        p.session()
