"""Index builds with a Rich progress bar, shared by ``sciwand index`` and the commands
that build a missing index on first use."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from domains import get_pack

_LABELS = {"harvest": "harvesting", "embed": "embedding", "lexical": "BM25"}


def build_with_progress(store, domains: list[str], rebuild: bool, console: Console,
                        only_missing: bool = False) -> list:
    """Build ``domains`` in ``store``, drawing one bar per domain and stage on ``console``.

    With ``only_missing`` a domain that is already current is left alone without a
    word, which is what ``search`` wants on every run.
    """
    todo = [d for d in domains if not (only_missing and store.is_current(get_pack(d)))]
    if not todo:
        return []
    if only_missing:
        console.print(f"building the index for {', '.join(todo)} (first use; later runs reuse it)")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TimeRemainingColumn())
    reports = []
    with Progress(*columns, console=console, transient=False) as progress:
        for domain in todo:
            bars: dict[str, int] = {}

            def update(stage: str, done: int, total: int, domain: str = domain, bars: dict = bars) -> None:
                if stage not in bars:
                    bars[stage] = progress.add_task(f"{domain}: {_LABELS.get(stage, stage)}", total=total)
                progress.update(bars[stage], completed=done, total=total)

            reports.append(store.build(get_pack(domain), rebuild=rebuild, progress=update))
    return reports
