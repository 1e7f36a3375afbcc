"""The lexical side of the index: BM25 (bm25s) over entry texts, persisted on disk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from retrieval._text import name_words

_STEMMER = None


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


def _tokens(texts: Sequence[str]) -> list[list[str]]:
    """Words split as API names are split (camel case, dots, underscores), stemmed."""
    import bm25s

    stop = set(bm25s.stopwords.STOPWORDS_EN)
    stem = _stemmer().stemWords
    return [stem([w for w in name_words(text) if w not in stop]) for text in texts]


class LexicalIndex:
    """BM25 over a fixed list of documents; ``search`` returns (row, score) pairs."""

    def __init__(self, retriever) -> None:
        self._retriever = retriever

    @classmethod
    def build(cls, texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        retriever = bm25s.BM25()
        retriever.index(_to_ids(_tokens(texts)), show_progress=False)
        return cls(retriever)

    def save(self, folder: Path) -> None:
        self._retriever.save(str(folder))

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        return cls(bm25s.BM25.load(str(folder), load_corpus=False))

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no word is known)."""
        words = _tokens([query])[0]
        vocab = self._retriever.vocab_dict
        ids = [vocab[w] for w in words if w in vocab]
        if not ids:
            return np.zeros(self._retriever.scores["num_docs"], dtype=np.float32)
        return self._retriever.get_scores(ids)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        return top_rows(self.scores(query), k)


def top_rows(scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    """The ``k`` best (row, score) pairs with a positive score, best first; ties go to
    the lower row, so that equal scores rank the same way in every process."""
    k = min(k, len(scores))
    if k == 0:
        return []
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.lexsort((top, -scores[top]))]
    return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _to_ids(tokenized: list[list[str]]):
    """bm25s indexes a (ids, vocab) tuple; build it from our own tokens."""
    import bm25s

    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(w, len(vocab)) for w in doc] for doc in tokenized]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)
