"""Retrieval: API entries harvested from the installed libraries, a hybrid
chromadb + BM25 index over them, and search.

Examples
--------
>>> from retrieval import search
>>> hits = search("molecular weight of a molecule", domain="chemistry", k=5)  # doctest: +SKIP
>>> hits[0].entry.public_name  # doctest: +SKIP
'rdkit.Chem.Descriptors.MolWt'
"""

from __future__ import annotations

from functools import cache

from retrieval._harvest import HARVESTER_VERSION, harvest
from retrieval._index import BuildReport, DomainIndex, IndexStore, build_all, fingerprint
from retrieval._langchain import SciwandRetriever
from retrieval._model import ApiEntry, Hit, Param
from retrieval._search import Mode, Searcher
from retrieval.errors import EmbeddingModelError, IndexNotBuiltError, RetrievalError, VectorStoreError


@cache
def default_searcher() -> Searcher:
    """One ``Searcher`` over every built domain, opened on first use."""
    return Searcher()


def search(query: str, domain: str | None = None, k: int = 10) -> list[Hit]:
    """The ``k`` API entries most relevant to ``query``, best first.

    Uses the index under ``$SCIWAND_HOME`` (or the Chroma server at
    ``$SCIWAND_CHROMA_URL``); raises ``IndexNotBuiltError`` if it is not built.
    """
    return default_searcher().search(query, domain=domain, k=k)


__all__ = [
    "HARVESTER_VERSION",
    "ApiEntry",
    "BuildReport",
    "DomainIndex",
    "EmbeddingModelError",
    "Hit",
    "IndexNotBuiltError",
    "IndexStore",
    "Mode",
    "Param",
    "RetrievalError",
    "SciwandRetriever",
    "Searcher",
    "VectorStoreError",
    "build_all",
    "default_searcher",
    "fingerprint",
    "harvest",
    "search",
]
