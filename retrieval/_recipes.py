"""Recipes matched against a question: a pack's common tasks, each with the entries a
solution calls (see ``domains.Recipe``).

A question is compared as a whole with each recipe's task and with the questions it
answers (``asks``, written as users type them), by embedding and by BM25, as entries
are; the entries of the best-matching recipes then form a ranking of their own in
the fusion. The vectors are cached beside the index, keyed by the texts and the
embedding model, so only a changed cookbook is embedded again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from domains import DomainPack, Recipe
from retrieval._bm25 import LexicalIndex
from retrieval._embed import Embedder, model_id

# Weight of the (best-normalised) BM25 score beside the cosine similarity of a task:
# shared rare words ("vstack", "UPGMA") decide between tasks the embedding finds alike.
LEXICAL_SHARE = 0.1

@dataclass
class RecipeBook:
    """One domain's recipes with the index rows of their entries, and the vectors of
    their texts (each recipe's task and questions) with the recipe each belongs to."""

    domain: str
    recipes: tuple[Recipe, ...]
    rows: list[list[int]]
    vectors: np.ndarray
    owners: np.ndarray
    lexical: LexicalIndex | None

    def scores(self, words: str, vector: np.ndarray) -> np.ndarray:
        """How well each recipe matches a question: the best cosine similarity of its
        task and questions, plus its BM25 score scaled to the best one (so that shared
        rare words count)."""
        if not self.recipes:
            return np.zeros(0, dtype=np.float32)
        similarity = np.full(len(self.recipes), -1.0, dtype=np.float32)
        np.maximum.at(similarity, self.owners, self.vectors @ vector)
        lexical = self.lexical.scores(words)
        top = float(lexical.max())
        return similarity + LEXICAL_SHARE * (lexical / top if top > 0 else lexical)


def open_recipe_book(pack: DomainPack, row_of: Callable[[str], int | None], embedder: Embedder,
                     cache: Path) -> RecipeBook:
    """The recipes of ``pack`` with the rows ``row_of`` finds for their entries."""
    recipes = pack.recipes()
    rows = [[row for row in (row_of(name) for name in recipe.uses) if row is not None] for recipe in recipes]
    lexical = LexicalIndex.build([" ".join((recipe.task, *recipe.asks)) for recipe in recipes]) if recipes else None
    owners = np.array([i for i, recipe in enumerate(recipes) for _ in _texts(recipe)], dtype=np.int64)
    return RecipeBook(pack.name, recipes, rows, recipe_vectors(pack, embedder, cache), owners, lexical)


def _texts(recipe: Recipe) -> tuple[str, ...]:
    return (recipe.task, *recipe.asks)


def recipe_vectors(pack: DomainPack, embedder: Embedder, cache: Path) -> np.ndarray:
    """Unit vectors of the texts of ``pack``'s recipes, from the cache under
    ``cache`` or embedded and cached (replacing the vectors of an older cookbook)."""
    texts = [text for recipe in pack.recipes() for text in _texts(recipe)]
    if not texts:
        return np.zeros((0, 0), np.float32)
    key = hashlib.sha256(json.dumps([model_id(), texts]).encode()).hexdigest()[:16]
    folder = cache / pack.name
    path = folder / f"{key}.npy"
    if path.exists():
        return np.load(path)
    # Hundreds of texts: sentence-transformers batches them faster than the NumPy port.
    vectors = embedder.encode(texts, reference=True)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f"{key}.tmp.npy"
    np.save(tmp, vectors)
    os.replace(tmp, path)
    for stale in folder.glob("*.npy"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return vectors
