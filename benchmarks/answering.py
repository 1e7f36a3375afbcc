"""Assistant speed: `sciwand ask` cold start (a new process, index cached) and warm
answer latency in one process, with the embedded default model; and eval throughput
(tasks per minute) with 1 and 2 workers. Prints numbers; not a test.

    python benchmarks/answering.py [--questions 12] [--tasks 24]

The model-response cache is off for every measurement, so each answer really runs
the model. The full index must be built (`sciwand index`).
"""

from __future__ import annotations

import sys
from pathlib import Path

# benchmarks/retrieval.py would shadow the retrieval package: drop this folder from the
# import path, as benchmarks/retrieval.py does.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import statistics
import subprocess
import tempfile
import time

QUESTIONS = [
    ("chemistry", "What is the average molecular weight of aspirin (SMILES CC(=O)Oc1ccccc1C(=O)O) in g/mol?"),
    ("chemistry", "How many rotatable bonds does ibuprofen, CC(C)Cc1ccc(cc1)C(C)C(=O)O, have?"),
    ("chemistry", "Compute logP for CC(C)(C)(C)(C)C please."),
    ("biology", "What is the GC fraction of ATGCGCGCATTA?"),
    ("biology", "Translate ATGGCCATTGTAATGGGCCGCTGA into protein with the standard code."),
    ("biology", "Reverse complement of GATTACAGGC?"),
    ("astronomy", "Assuming the Planck 2018 cosmology, what is the luminosity distance to z = 1 in Mpc?"),
    ("astronomy", "What's the Julian Date of 2024-01-01 12:00:00 UTC?"),
    ("astronomy", "What is the age of the universe at z = 2 in the Planck 2018 cosmology, in Gyr?"),
]


def cold_start(question: str) -> float:
    """Seconds for `sciwand ask` in a fresh process, index already built."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "ask", question, "--json"], capture_output=True)
    return time.perf_counter() - started


def warm_latencies(rounds: int) -> list[float]:
    from assistant import Assistant

    seconds = []
    with Assistant(model="local", cache=False) as helper:
        helper.ask(*reversed(QUESTIONS[0]))  # opens the index, loads the model, starts the sandbox
        for number in range(rounds):
            domain, question = QUESTIONS[number % len(QUESTIONS)]
            started = time.perf_counter()
            helper.ask(question, domain)
            seconds.append(time.perf_counter() - started)
    return seconds


def throughput(tasks: int, workers: int, mode: str) -> float:
    """Tasks per minute for an eval run of the first dev tasks of each domain."""
    from eval.runner import run_eval
    from eval.tasks import bundled_task_files, load_tasks

    chosen = [t for domain in ("chemistry", "biology", "astronomy")
              for t in [t for t in load_tasks(bundled_task_files([domain]))][: tasks // 3]]
    settings = {"model": "local", "mode": mode, "cache": False}
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        run_eval(chosen, settings, Path(out), workers=workers)
        return len(chosen) / (time.perf_counter() - started) * 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=12, help="warm answers to time")
    parser.add_argument("--tasks", type=int, default=24, help="eval tasks per throughput run")
    args = parser.parse_args()
    cold = [cold_start(q) for _, q in QUESTIONS[:3]]
    print(f"sciwand ask cold start (index cached), 3 runs: median {statistics.median(cold):.1f} s, "
          f"max {max(cold):.1f} s")
    warm = sorted(warm_latencies(args.questions))
    print(f"warm answer latency, {len(warm)} questions: p50 {statistics.median(warm):.2f} s, "
          f"p95 {warm[min(len(warm) - 1, round(0.95 * (len(warm) - 1)))]:.2f} s")
    for mode in ("call", "code"):
        for workers in (1, 2):
            print(f"eval throughput, local {mode} mode, {workers} worker(s): "
                  f"{throughput(args.tasks, workers, mode):.1f} tasks/min")


if __name__ == "__main__":
    main()
