"""Retrieval benchmark: build time, cached start, query latency, and recall of BM25
alone, dense alone and hybrid on the bundled dev sets. Prints numbers; not a test.

    python benchmarks/retrieval.py [--home DIR] [--queries 200] [--only start]

Without ``--home`` it builds a fresh index in a temporary directory (the from-scratch
build time); with it, an existing index is reused when current. ``--only start`` measures
the cached start alone, on the index under ``--home`` as it is.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This script is named like the package it measures; keep its own folder off the
# import path so that "import retrieval" finds the package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse
import json
import statistics
import subprocess
import tempfile
import time

from domains import domain_names, get_pack
from eval.retrieval_metrics import evaluate_task, percentiles, retrieval_summary
from eval.tasks import bundled_task_files, load_tasks
from retrieval import IndexStore, Searcher

COLD_START = """
import time, sys
started = time.perf_counter()
from pathlib import Path
from retrieval import IndexStore, Searcher
searcher = Searcher(IndexStore(home=Path(sys.argv[1])))
opened = time.perf_counter()
searcher.search("average molecular weight of a molecule", k=10)
print(opened - started, time.perf_counter() - started)
"""


def build(home: Path) -> None:
    store = IndexStore(home=home)
    started = time.perf_counter()
    for domain in domain_names():
        report = store.build(get_pack(domain))
        print(f"  {domain:10s} {report.entries:6d} entries  {report.seconds:6.1f} s  "
              f"{'(cached)' if report.skipped else ''}")
    print(f"build total: {time.perf_counter() - started:.1f} s")


def cold_start(home: Path, runs: int = 3) -> None:
    opens, firsts = [], []
    for _ in range(runs):
        output = subprocess.run([sys.executable, "-c", COLD_START, str(home)], capture_output=True, text=True,
                                check=True).stdout.split()
        opens.append(float(output[-2]))
        firsts.append(float(output[-1]))
    print(f"cached start (new process, median of {runs}): index open {statistics.median(opens):.2f} s, "
          f"first hybrid result {statistics.median(firsts):.2f} s")


def latency(searcher: Searcher, questions: list[str], n: int) -> None:
    searcher.search(questions[0])  # warm: model loaded
    times = []
    for i in range(n):
        started = time.perf_counter()
        searcher.search(questions[i % len(questions)], k=10)
        times.append(time.perf_counter() - started)
    p = percentiles(times)
    print(f"hybrid query latency over {n} queries: p50 {p['p50'] * 1000:.1f} ms, p95 {p['p95'] * 1000:.1f} ms")


HELDOUT = Path(__file__).resolve().parent / "heldout" / "tasks.jsonl"


def recall(searcher: Searcher, tasks, label: str) -> dict:
    rows = {}
    for mode in ("bm25", "dense", "hybrid"):
        records = [evaluate_task(t, lambda q, m=mode: searcher.search(q, k=10, mode=m)) for t in tasks]
        rows[mode] = retrieval_summary(records)
    print(f"\nrecall on {len(tasks)} {label} tasks (no domain filter):")
    print(f"{'slice':22s} {'mode':7s} {'R@1':>6s} {'R@5':>6s} {'R@10':>6s} {'MRR':>6s}")
    slices = ["overall"] + [f"domain:{d}" for d in rows["hybrid"]["by_domain"]]
    for label in slices:
        for mode, summary in rows.items():
            metrics = summary["overall"] if label == "overall" else summary["by_domain"][label.split(":")[1]]
            print(f"{label:22s} {mode:7s} {metrics['retrieval_recall@1']:6.3f} {metrics['retrieval_recall@5']:6.3f} "
                  f"{metrics['retrieval_recall@10']:6.3f} {metrics['mrr']:6.3f}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="SCIWAND_HOME to (re)use; default: a fresh temporary one")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", type=Path, help="also write the recall summaries here")
    parser.add_argument("--only", choices=["start", "build"],
                        help="measure only the cached start (needs --home) or only the build from scratch")
    args = parser.parse_args()
    if args.only == "start" and not args.home:
        parser.error("--only start needs --home: an index to start from")
    home = args.home or Path(tempfile.mkdtemp(prefix="sciwand-bench-"))
    print(f"index home: {home}")
    if args.only != "start":
        build(home)
    if args.only == "build":
        return
    cold_start(home)
    if args.only:
        return
    tasks = load_tasks(bundled_task_files())
    searcher = Searcher(IndexStore(home=home))
    latency(searcher, [t.question for t in tasks], args.queries)
    rows = {"dev": recall(searcher, tasks, "dev")}
    if HELDOUT.exists():  # written apart from the dev sets and not used for tuning
        rows["heldout"] = recall(searcher, load_tasks([HELDOUT]), "held-out")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
