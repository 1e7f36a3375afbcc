"""``sciwand ask``: build the index if missing, answer, and show the answer with its
provenance (code, API entries with library versions, verification, attempts)."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table

from assistant import _progress
from assistant.answer import Answer


def answer(question: str, domain: str | None, domains: list[str], model: str, mode: str, planner: str | None,
           console: Console) -> Answer:
    from assistant.assistant import Assistant
    from retrieval import IndexStore, Searcher

    store = IndexStore()
    _progress.build_with_progress(store, domains, False, console, only_missing=True)
    with console.status("thinking…"), Assistant(model=model, mode=mode, planner=planner,
                                                        searcher=Searcher(store, domains)) as helper:
        return helper.ask(question, domain)


def show(answer: Answer, console: Console, show_code: bool) -> None:
    style = "green" if answer.verified else "red"
    status = "verified" if answer.verified else "refused"
    console.print(Panel(answer.text, title=f"[{style}]{status}[/{style}]", expand=False))
    if answer.entries:
        table = Table(title="API entries used", title_justify="left")
        for column in ("entry", "library", "version"):
            table.add_column(column)
        for entry in answer.entries:
            table.add_row(entry["name"], entry["library"], entry["version"])
        console.print(table)
    if show_code and answer.code:
        console.print(Syntax(answer.code, "python", theme="ansi_dark"))
    rounds = len(answer.attempts)
    seconds = answer.seconds.get("total", 0.0)
    console.print(f"[dim]{rounds} attempt{'s' * (rounds != 1)}, {seconds:.1f}s[/dim]")
