"""Where sciwand keeps its files and which Chroma it talks to, from the environment."""

from __future__ import annotations

import os
from pathlib import Path


def sciwand_home() -> Path:
    """``$SCIWAND_HOME``, default ``~/.cache/sciwand``."""
    return Path(os.environ.get("SCIWAND_HOME") or Path.home() / ".cache" / "sciwand").expanduser()


def chroma_url() -> str | None:
    """``$SCIWAND_CHROMA_URL`` (``http://host:port``) when a Chroma server is configured."""
    return os.environ.get("SCIWAND_CHROMA_URL") or None
