"""The response cache: model replies on disk, so a rerun of the same model on the same
prompt (an eval, a repeated question) is answered without generating again.

LangChain keys a cached reply by the serialized prompt and the ``llm_string``, which
names the model, its settings and the call's keyword arguments (a grammar, a JSON
schema, ``max_tokens``); this module only stores what it is given under that key.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from langchain_core._api import suppress_langchain_beta_warning
from langchain_core.caches import BaseCache
from langchain_core.load import dumps, loads
from langchain_core.outputs import Generation

from retrieval._config import sciwand_home

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    prompt_sha TEXT NOT NULL,
    llm_sha TEXT NOT NULL,
    llm_string TEXT NOT NULL,
    prompt TEXT NOT NULL,
    generations TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (prompt_sha, llm_sha)
)
"""


def default_cache_path() -> Path:
    """``<SCIWAND_HOME>/responses.sqlite``."""
    return sciwand_home() / "responses.sqlite"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DiskCache(BaseCache):
    """A LangChain cache in one SQLite file, shared by threads and processes.

    Each thread (and each process after a fork) opens its own connection; the file is
    in WAL mode, so readers never wait for a writer and writers wait up to
    ``timeout_s`` for each other. Keys are SHA-256 digests of the prompt and the
    ``llm_string``; both texts are kept beside the reply for inspection.

    Examples
    --------
    >>> from langchain_core.outputs import Generation
    >>> import tempfile, pathlib
    >>> cache = DiskCache(pathlib.Path(tempfile.mkdtemp()) / "r.sqlite")
    >>> cache.update("prompt", "model", [Generation(text="hello")])
    >>> cache.lookup("prompt", "model")[0].text
    'hello'
    >>> cache.lookup("prompt", "another model") is None
    True
    """

    def __init__(self, path: str | Path | None = None, timeout_s: float = 30.0) -> None:
        self.path = Path(path) if path is not None else default_cache_path()
        self.timeout_s = timeout_s
        self._local = threading.local()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout_s)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            with conn:
                conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def lookup(self, prompt: str, llm_string: str) -> list[Generation] | None:
        """The cached generations for this prompt and model, or None."""
        row = self._connection().execute(
            "SELECT generations FROM responses WHERE prompt_sha = ? AND llm_sha = ?",
            (_sha(prompt), _sha(llm_string))).fetchone()
        if row is None:
            return None
        with suppress_langchain_beta_warning():
            return loads(row[0], allowed_objects="core")

    def update(self, prompt: str, llm_string: str, return_val: Sequence[Generation]) -> None:
        """Store (or replace) the generations for this prompt and model."""
        text = dumps(list(return_val))
        conn = self._connection()
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?)",
                (_sha(prompt), _sha(llm_string), llm_string, prompt, text, time.time()))

    def clear(self, **kwargs: Any) -> None:
        """Forget every cached reply."""
        conn = self._connection()
        with conn:
            conn.execute("DELETE FROM responses")

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    def __getstate__(self) -> dict[str, Any]:
        """Copies and pickles carry the path, never an open connection."""
        return {"path": self.path, "timeout_s": self.timeout_s}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["path"], state["timeout_s"])

    def __repr__(self) -> str:
        return f"DiskCache({str(self.path)!r})"
