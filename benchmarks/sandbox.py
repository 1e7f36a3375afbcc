"""Per-job latency of the sandbox: warm fork server vs a fresh interpreter per job.

Run: ``python benchmarks/sandbox.py [--warm-runs 200] [--fresh-runs 10]``

Each job is measured end to end from the caller's side. "fresh session" is a
new hardened child per job (fork, every layer, run, kill, reap, clean up): the
fair comparison with a fresh ``python -c`` that has to import the same
libraries. "reused session" is a further run in an existing child, the cost of
one more step in a notebook-like session. Targets (from the issue): fresh-session
p50 <= 25 ms with all available layers on, and >= 50x faster than a fresh interpreter.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from assistant.sandbox import ForkServer, Sandbox, sandbox_layers  # noqa: E402
from assistant.sandbox._forkserver import server_environment  # noqa: E402
from assistant.sandbox._preload import DEFAULT_PRELOAD  # noqa: E402

SNIPPETS = {
    "trivial": "6 * 7",
    "library": (
        "from rdkit import Chem\nfrom rdkit.Chem import Descriptors\nfrom Bio.Seq import Seq\nimport astropy.units as u\n"
        "(Descriptors.MolWt(Chem.MolFromSmiles('CC(=O)Oc1ccccc1C(=O)O')), str(Seq('ATGGCC').translate()),"
        " (1 * u.pc).to(u.lyr).value)"
    ),
}


def timed(job: Callable[[], object], runs: int) -> list[float]:
    """Milliseconds per call of ``job``."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fresh_session_job(server: ForkServer, code: str) -> Callable[[], object]:
    def job() -> object:
        with Sandbox(server=server) as sb:
            result = sb.run(code)
        assert result.ok, result
        return result

    return job


def fresh_interpreter_job(code: str) -> Callable[[], object]:
    """``python -c`` importing what the fork server pre-imports, then running the snippet."""
    imports = "\n".join(f"import {name}" for name in DEFAULT_PRELOAD)
    source = "\n".join([imports, *code.splitlines()[:-1], f"print({code.splitlines()[-1]})"])
    argv = [sys.executable, "-I", "-c", source]

    def job() -> object:
        return subprocess.run(argv, env=server_environment(), check=True, capture_output=True)

    return job


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm-runs", type=int, default=200)
    parser.add_argument("--fresh-runs", type=int, default=10)
    args = parser.parse_args()

    server = ForkServer()
    started = time.perf_counter()
    server.start()
    print(f"fork server start (imports RDKit, Biopython, Astropy, scipy): {time.perf_counter() - started:.2f} s")
    layers = sandbox_layers(server=server)
    active = [name for name, on, _ in layers if on]
    print(f"layers active ({len(active)}/{len(layers)}): {', '.join(active)}")
    off = [f"{name} ({detail})" for name, on, detail in layers if not on]
    print(f"layers inactive: {', '.join(off) or 'none'}\n")

    print(f"{'snippet':8} {'mode':34} {'runs':>5} {'p50 ms':>9} {'p95 ms':>9}")
    for label, code in SNIPPETS.items():
        with Sandbox(server=server) as reused:
            reused.run(code)
            rows = {
                "warm, fresh session per job": timed(fresh_session_job(server, code), args.warm_runs),
                "warm, reused session": timed(lambda: reused.run(code), args.warm_runs),
                "fresh `python -c` per job": timed(fresh_interpreter_job(code), args.fresh_runs),
            }
        for mode, samples in rows.items():
            print(f"{label:8} {mode:34} {len(samples):5} {statistics.median(samples):9.2f} {percentile(samples, 0.95):9.2f}")
        warm = statistics.median(rows["warm, fresh session per job"])
        fresh = statistics.median(rows["fresh `python -c` per job"])
        verdict = "meets" if warm <= 25 and fresh / warm >= 50 else "MISSES"
        print(f"{label:8} ratio fresh interpreter / warm fresh session (p50): {fresh / warm:.0f}x  -> {verdict} target\n")
    server.close()


if __name__ == "__main__":
    main()
