"""sciwand's search as a LangChain retriever, for use in anyone's chains and agents."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from retrieval._model import Hit


def hit_document(hit: Hit) -> Document:
    """A hit as a ``Document``: signature and docs as content, the entry's identity
    (name, aliases, library version, score) as metadata."""
    entry = hit.entry
    content = "\n".join(part for part in (entry.signature or entry.public_name, entry.summary, entry.doc[:1500]) if part)
    metadata = {"name": entry.public_name, "canonical": entry.name, "aliases": list(entry.aliases),
                "kind": entry.kind, "domain": entry.domain, "library": entry.library, "version": entry.version,
                "score": hit.score}
    return Document(page_content=content, metadata=metadata, id=entry.name)


class SciwandRetriever(BaseRetriever):
    """Retrieves API entries of the indexed scientific libraries.

    Examples
    --------
    >>> retriever = SciwandRetriever(k=5, domain="chemistry")  # doctest: +SKIP
    >>> retriever.invoke("molecular weight from a SMILES")[0].metadata["name"]  # doctest: +SKIP
    'rdkit.Chem.Descriptors.MolWt'
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    k: int = 10
    domain: str | None = None
    searcher: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        from retrieval import default_searcher

        searcher = self.searcher or default_searcher()
        return [hit_document(hit) for hit in searcher.search(query, domain=self.domain, k=self.k)]
