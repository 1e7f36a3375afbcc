"""The assistant: command line and public Python API.

The agent loop (retrieve, plan, validate, execute, verify, repair) and the
``Assistant`` class build on ``retrieval`` and ``domains``; the sandbox lives in
``assistant.sandbox``.
"""

__all__: list[str] = []
