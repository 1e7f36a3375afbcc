"""Errors of the assistant: its settings, and the model layer (turning a model string
into a chat model and calling it).

    SciwandError                      (domains.errors)
    ├── SettingError                  (also ValueError)   a mode, planner or docs setting that does not exist
    └── ModelError                    a model cannot be loaded or reached; one line for the user
        ├── UnknownModelError         (also LookupError)  a model string no provider accepts
        └── InvalidGrammarError       (also ValueError)   a GBNF grammar llama.cpp cannot parse

A ``ModelError`` stops the run: it is raised to the caller, never shown to the model.
Its message is a single line that names the model and the fix (the variable to
export, the package to install, the server that did not answer).
"""

from __future__ import annotations

from domains.errors import SciwandError


class ModelError(SciwandError):
    """A model cannot be loaded, configured or reached."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class UnknownModelError(ModelError, LookupError):
    """A model string that names no provider or no embedded model."""

    def __init__(self, spec: str, accepted: list[str]) -> None:
        super().__init__(f"unknown model {spec!r}; accepted: {', '.join(accepted)}")
        self.spec = spec
        self.accepted = accepted


class InvalidGrammarError(ModelError, ValueError):
    """A grammar that llama.cpp rejects; checked before sampling, where llama-cpp-python
    0.3.x would crash the process instead of raising."""


class SettingError(SciwandError, ValueError):
    """An ``Assistant`` setting (mode, planner, docs) with no such value."""
