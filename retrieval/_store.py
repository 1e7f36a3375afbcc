"""The dense side of the index: Chroma collections, embedded or on a server.

Embeddings are computed by sciwand and handed to Chroma, so Chroma never loads an
embedding model of its own (its default would download one).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from retrieval.errors import VectorStoreError

ADD_BATCH = 1000
# Chroma keeps the last writes of a collection (up to ``sync_threshold``, default 1000)
# in its log and, in every process that opens the collection, inserts them into the
# HNSW graph again, differently each time: the approximate search then returns other
# candidates in each process (measured: 1566 of 2712 queries differed between two
# processes with identical query vectors). Persisting after every write leaves nothing
# to replay, so each process loads the same graph. 2 is the least Chroma accepts.
COLLECTION_METADATA = {"hnsw:space": "cosine", "hnsw:sync_threshold": 2, "hnsw:batch_size": 2}
# Part of the index fingerprint: collections written with other settings are rebuilt.
LAYOUT = 2


@contextlib.contextmanager
def chroma_errors(where: str) -> Iterator[None]:
    """Translate whatever Chroma or its HTTP client raises into ``VectorStoreError``."""
    try:
        yield
    except VectorStoreError:
        raise
    except Exception as error:  # noqa: BLE001 - chromadb raises many unrelated types
        raise VectorStoreError(f"Chroma failed at {where}: {type(error).__name__}: {error}") from error


class VectorStore:
    """Named collections of (id, embedding) in one Chroma database."""

    def __init__(self, path: Path | None = None, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        self.where = url or str(path)
        with chroma_errors(f"connecting to {self.where}"):
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                self._client = chromadb.HttpClient(host=parsed.hostname or "localhost", port=parsed.port or 8000,
                                                   ssl=parsed.scheme == "https", settings=settings)
                self._client.heartbeat()
            else:
                path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(path), settings=settings)

    def _collection(self, name: str):
        with chroma_errors(f"{self.where} collection {name}"):
            return self._client.get_or_create_collection(name, embedding_function=None, metadata=COLLECTION_METADATA)

    def ids(self, name: str) -> set[str]:
        """Ids already stored in collection ``name`` (what an interrupted build kept)."""
        collection = self._collection(name)
        with chroma_errors(f"{self.where} reading {name}"):
            return set(collection.get(include=[])["ids"])

    def add(self, name: str, ids: Sequence[str], embeddings: np.ndarray) -> None:
        collection = self._collection(name)
        with chroma_errors(f"{self.where} adding to {name}"):
            for start in range(0, len(ids), ADD_BATCH):
                collection.upsert(ids=list(ids[start:start + ADD_BATCH]),
                                  embeddings=embeddings[start:start + ADD_BATCH].tolist())

    def query(self, name: str, embedding: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The ``n`` nearest ids with cosine similarity, best first."""
        collection = self._collection(name)
        with chroma_errors(f"{self.where} querying {name}"):
            found = collection.query(query_embeddings=[embedding.tolist()], n_results=n, include=["distances"])
        return [(i, 1.0 - d) for i, d in zip(found["ids"][0], found["distances"][0])]

    def names(self) -> list[str]:
        with chroma_errors(f"{self.where} listing collections"):
            return [c if isinstance(c, str) else c.name for c in self._client.list_collections()]

    def drop(self, name: str) -> None:
        with chroma_errors(f"{self.where} deleting {name}"):
            if name in self.names():
                self._client.delete_collection(name)
