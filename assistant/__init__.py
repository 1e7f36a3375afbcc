"""The assistant: the agent loop, its models, the sandbox, the CLI and the public API.

``from assistant import Assistant`` is the Python entry point; ``Answer`` is what it
returns. The loop (retrieve, plan, validate, execute, verify, repair) lives in
``assistant.loop``; the sandbox in ``assistant.sandbox``.
"""

from assistant.answer import Answer, Attempt, Call, Plan

__all__ = ["Answer", "Assistant", "Attempt", "Call", "Plan"]


def __getattr__(name: str):
    # Importing the Assistant pulls in LangChain; `sciwand search` and the sandbox do not need it.
    if name == "Assistant":
        from assistant.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
