"""``sandbox_layers()``: which isolation layers are active on this machine.

Private module. The answer is measured, not guessed: a real child is forked
and hardened, and reports what each layer did. ``sciwand doctor`` prints it.
"""

from __future__ import annotations

from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._forkserver import ForkServer
from assistant.sandbox._result import Layer
from assistant.sandbox._session import Sandbox


def sandbox_layers(config: SandboxConfig | None = None, server: ForkServer | None = None) -> list[Layer]:
    """``[(name, active, detail), ...]`` for a child hardened with ``config``.

    Uses the shared fork server unless ``server`` is given (starting it costs
    about a second the first time).
    """
    with Sandbox(config=config, server=server) as sandbox:
        return sandbox.layers()
