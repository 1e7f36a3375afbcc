"""The ``sciwand`` command line: ``index``, ``search`` and ``eval``.

Results go to stdout (tables, or JSON with ``--json``); progress and errors go to
stderr. Every sciwand error ends the command with one red line and exit code 1.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from assistant import _progress
from domains import SciwandError, domain_names

app = typer.Typer(help="Retrieval-grounded function calling for RDKit, Biopython and Astropy.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console()
err = Console(stderr=True)

PlannerOption = Annotated[Optional[str], typer.Option(
    "--planner", help="How the model plans: tools or choice (call mode), code or grammar-code (code mode); "
                      "default: choice / grammar-code for embedded models, tools / code for others.")]
DomainOption = Annotated[Optional[list[str]], typer.Option("--domain", "-d", help="Domain(s); default: all.")]


def _clear_errors(command: Callable) -> Callable:
    """Turn sciwand errors into one line on stderr and exit code 1, not a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except SciwandError as error:
            err.print(f"[red]error:[/red] {error}", highlight=False)
            raise typer.Exit(1) from None
    return wrapper


def _domains(requested: list[str] | None) -> list[str]:
    from domains import get_pack

    for name in requested or []:
        get_pack(name)  # UnknownDomainError names the installed packs
    return list(requested or domain_names())


@app.command()
@_clear_errors
def index(domain: DomainOption = None,
          rebuild: Annotated[bool, typer.Option(help="Rebuild even if the index is current.")] = False) -> None:
    """Harvest the installed libraries and build the search index (resumes if interrupted)."""
    from retrieval import IndexStore

    store = IndexStore()
    reports = _progress.build_with_progress(store, _domains(domain), rebuild, err)
    for report in reports:
        state = "up to date, nothing to do" if report.skipped else \
            f"built in {report.seconds:.1f}s ({report.embedded} embedded)"
        err.print(f"{report.domain}: {report.entries} entries, {state}")
    out.print(_coverage_table(store, [r.domain for r in reports]))


def _coverage_table(store, domains: list[str]) -> Table:
    table = Table(title="Index coverage")
    for column in ("domain", "library", "entries", "callables", "with signature", "with summary", "summary from docs"):
        table.add_column(column, justify="left" if column in ("domain", "library") else "right")
    for name in domains:
        loaded = store.load(name)
        entries = loaded.entries
        callables = [e for e in entries if e.kind in ("function", "class", "method")]
        signed = sum(1 for e in callables if e.signature)
        summarised = sum(1 for e in entries if e.summary)
        from_docs = sum(1 for e in entries if e.summary_source == "doc")
        table.add_row(name, f"{entries[0].library} {entries[0].version}" if entries else "-", str(len(entries)),
                      str(len(callables)), _share(signed, len(callables)), _share(summarised, len(entries)),
                      _share(from_docs, len(entries)))
    return table


def _share(part: int, whole: int) -> str:
    return f"{part} ({100 * part / whole:.1f}%)" if whole else "0"


@app.command()
@_clear_errors
def search(query: Annotated[str, typer.Argument(help="What you want to do, in words.")],
           domain: Annotated[Optional[str], typer.Option("--domain", "-d", help="Search one domain.")] = None,
           k: Annotated[int, typer.Option("-k", min=1, max=100, help="Number of results.")] = 10,
           as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False) -> None:
    """Find the API entries relevant to QUERY (builds the index on first use)."""
    from retrieval import IndexStore, Searcher

    store = IndexStore()
    domains = _domains([domain] if domain else None)
    _progress.build_with_progress(store, domains, False, err, only_missing=True)
    hits = Searcher(store, domains).search(query, domain=domain, k=k)
    if as_json:
        print(json.dumps([_hit_json(h) for h in hits], indent=2))
        return
    table = Table(title=f"Top {len(hits)} for: {query}", show_lines=False)
    for column in ("#", "name", "signature", "score", "summary"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(hits, start=1):
        table.add_row(str(rank), hit.entry.public_name, (hit.entry.signature or "").split(" | ")[0], f"{hit.score:.3f}",
                      hit.entry.summary)
    out.print(table)


def _hit_json(hit) -> dict:
    entry = hit.entry
    return {"name": entry.public_name, "canonical": entry.name, "kind": entry.kind, "domain": entry.domain,
            "library": entry.library, "version": entry.version, "signature": entry.signature,
            "summary": entry.summary, "score": round(hit.score, 6), "why": hit.why, "aliases": list(entry.aliases)}


@app.command()
@_clear_errors
def ask(question: Annotated[str, typer.Argument(help="A chemistry, biology or astronomy question.")],
        domain: Annotated[Optional[str], typer.Option("--domain", "-d", help="Answer within one domain.")] = None,
        model: Annotated[str, typer.Option("--model", "-m", help="local, local:gemma3-270m, local:smollm2-135m, "
                                                                 "openai:<name>, ollama:<name>, anthropic:<name>.")
                         ] = "local",
        mode: Annotated[str, typer.Option("--mode", help="call: API calls; code: a program.")] = "call",
        planner: PlannerOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print the answer as JSON.")] = False,
        show_code: Annotated[bool, typer.Option("--show-code", help="Show the code that ran.")] = False) -> None:
    """Answer QUESTION with the installed libraries; exits 2 when it refuses."""
    from assistant import _ask_cli

    domains = _domains([domain] if domain else None)
    answer = _ask_cli.answer(question, domain, domains, model, mode, planner, err)
    if as_json:
        print(json.dumps(answer.to_dict(), default=str))
    else:
        _ask_cli.show(answer, out, show_code)
    if answer.refused:
        raise typer.Exit(2)


eval_app = typer.Typer(help="Evaluate on task files, or compare eval runs.", add_completion=False)
app.add_typer(eval_app, name="eval")


class EvalMode(str, Enum):
    """How the model answers: a list of API calls, or a Python program."""

    call = "call"
    code = "code"


@eval_app.callback(invoke_without_command=True)
@_clear_errors
def eval_command(
    ctx: typer.Context,
    tasks: Annotated[Optional[list[Path]], typer.Option("--tasks", exists=True, dir_okay=False,
                                                        help="Task file(s) in the task spec format.")] = None,
    domain: DomainOption = None,
    model: Annotated[str, typer.Option("--model", help="Model: local, local:<name>, openai:<name>, ..., "
                                                        "or the oracle / retrieval baselines.")] = "local",
    mode: Annotated[EvalMode, typer.Option("--mode", help="Answer with API calls or with code.")] = EvalMode.call,
    k: Annotated[Optional[int], typer.Option("-k", min=1, help="Entries retrieved per task "
                                                              "(default 8; 10 with --retrieval-only).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Parallel assistants (processes).")] = 1,
    out_dir: Annotated[Optional[Path], typer.Option("--out", file_okay=False, help="Run directory "
                                                    "(default ./sciwand-eval/<model>-<mode>-<time>).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the run in --out, skipping done tasks.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON summary only.")] = False,
    retrieval_only: Annotated[bool, typer.Option("--retrieval-only", help="Measure retrieval only.")] = False,
    no_docs: Annotated[bool, typer.Option("--no-docs", help="Give the model no retrieved docs.")] = False,
    oracle_docs: Annotated[bool, typer.Option("--oracle-docs", help="Give the model the gold functions' docs.")] = False,
    planner: PlannerOption = None,
) -> None:
    """Evaluate on task files (default: the bundled dev sets of the chosen domains)."""
    from assistant import _eval_cli

    if ctx.invoked_subcommand is not None:
        return
    domains = _domains(domain) if domain else None
    if retrieval_only:
        summary, table = _eval_cli.run_retrieval_eval(tasks, domains, k or 10, err)
    else:
        if no_docs and oracle_docs:
            raise typer.BadParameter("--no-docs and --oracle-docs exclude each other")
        if resume and out_dir is None:
            raise typer.BadParameter("--resume needs --out DIR, the run to continue")
        settings = {"model": model, "mode": mode.value, "k": k or 8,
                    "docs": "none" if no_docs else "oracle" if oracle_docs else "retrieved"}
        if planner:
            settings["planner"] = planner
        out_dir = out_dir or _eval_cli.default_out_dir(model, mode.value)
        summary, table, (md, html) = _eval_cli.run_assistant_eval(tasks, domains, settings, out_dir, workers,
                                                                 resume, err)
        err.print(f"records, summary and report in {out_dir}: {md.name}, {html.name}", highlight=False)
    if as_json:
        print(json.dumps(summary))
    else:
        out.print(table)


@eval_app.command("compare")
@_clear_errors
def eval_compare(
    runs: Annotated[list[Path], typer.Argument(exists=True, file_okay=False, help="Eval run directories (--out).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the comparison as JSON.")] = False,
) -> None:
    """Compare eval runs side by side, with deltas against the first."""
    from eval.compare import compare_runs, compare_table

    comparison = compare_runs(runs)
    if as_json:
        print(json.dumps(comparison))
    else:
        out.print(compare_table(comparison))


@app.command()
@_clear_errors
def doctor() -> None:
    """Show what this machine has: index state per domain, models, and sandbox layers."""
    from assistant.models import describe_models
    from assistant.sandbox import sandbox_layers
    from domains import get_pack
    from retrieval import IndexStore

    store = IndexStore()
    manifest = store.manifest()
    table = Table(title=f"Index ({store.home})")
    for column in ("domain", "library", "entries", "state"):
        table.add_column(column)
    for name in domain_names():
        pack, state = get_pack(name), manifest.get(name)
        status = ("current" if store.is_current(pack) else "outdated: run sciwand index") if state else \
            "not built: run sciwand index"
        table.add_row(name, f"{pack.surface.library} {state['version'] if state else ''}".strip(),
                      str(state["entries"]) if state else "-", status)
    out.print(table)
    models = Table(title="Models (--model)")
    for column in ("model", "status"):
        models.add_column(column, overflow="fold")
    for name, status in describe_models():
        models.add_row(name, status)
    out.print(models)
    layers = Table(title="Sandbox isolation layers")
    for column in ("layer", "active", "detail"):
        layers.add_column(column, overflow="fold")
    for layer in sandbox_layers():
        layers.add_row(layer.name, "[green]yes[/green]" if layer.active else "[red]no[/red]", layer.detail)
    out.print(layers)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
