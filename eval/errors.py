"""Errors of the eval package.

    SciwandError                  (domains.errors)
    ├── TaskFormatError           (also ValueError)    a task file breaks the task spec
    ├── RunDirError               (also ValueError)    an --out directory that does not fit this run
    └── EvalRunError              (also RuntimeError)  the run itself cannot go on (no assistant, a worker died)
"""

from __future__ import annotations

from domains.errors import SciwandError


class TaskFormatError(SciwandError, ValueError):
    """A task file line that does not follow ``shared/spec/tasks.md``; names file and line."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source, self.line, self.problem = source, line, problem


class RunDirError(SciwandError, ValueError):
    """An eval run directory that cannot take this run: records without ``--resume``,
    records made with other settings, a corrupt line, no summary to compare."""


class EvalRunError(SciwandError, RuntimeError):
    """The run cannot go on: the assistant could not be built, or a worker process died.
    Records written so far stay valid; ``--resume`` continues from them."""
