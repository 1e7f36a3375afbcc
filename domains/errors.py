"""The root of sciwand's error tree; every package's errors.py subclasses it.

    SciwandError
    ├── domains.errors.UnknownDomainError      (also LookupError)
    ├── domains.errors.InvalidInputError       (also ValueError)
    ├── retrieval.errors.IndexError_ …         (see retrieval/errors.py)
    └── eval.errors.TaskFormatError …          (see eval/errors.py)

Each subclass also inherits the builtin it resembles, so callers that only know
builtins (``except LookupError``) still catch it.
"""

from __future__ import annotations


def brief_repr(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters, for naming an input in a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class SciwandError(Exception):
    """Base of every error sciwand raises on purpose."""


class UnknownDomainError(SciwandError, LookupError):
    """A domain name that no installed domain pack provides."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"unknown domain {name!r}; installed domain packs: {', '.join(known) or 'none'}")
        self.name = name
        self.known = known


class InvalidInputError(SciwandError, ValueError):
    """A value that cannot become the library object a call needs: "not a valid SMILES:
    'C1CC('". Raised instead of letting ``None`` flow on into an ``AttributeError``."""
