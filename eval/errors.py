"""Errors of the eval package.

    SciwandError                  (domains.errors)
    └── TaskFormatError           (also ValueError)  a task file breaks the task spec
"""

from __future__ import annotations

from domains.errors import SciwandError


class TaskFormatError(SciwandError, ValueError):
    """A task file line that does not follow ``shared/spec/tasks.md``; names file and line."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        super().__init__(f"{source}:{line}: {problem}")
        self.source, self.line, self.problem = source, line, problem
