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
import tempfile
import time
from collections.abc import Callable, Sequence
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
    """The recipes of ``pack`` that name entries ``row_of`` finds (a smaller surface
    or a newer library may lack some), with the rows of those entries."""
    recipes = pack.recipes()
    rows = [[row for row in (row_of(name) for name in recipe.uses) if row is not None] for recipe in recipes]
    kept = [i for i, found in enumerate(rows) if found]
    # Each text's recipe, renumbered over the kept recipes (-1: a recipe left out).
    renumbered = dict(zip(kept, range(len(kept))))
    owners = np.array([renumbered.get(i, -1) for i, recipe in enumerate(recipes) for _ in _texts(recipe)],
                      dtype=np.int64)
    vectors = recipe_vectors(pack.name, recipes, embedder, cache)
    lexical = LexicalIndex.build([" ".join(_texts(recipes[i])) for i in kept]) if kept else None
    return RecipeBook(pack.name, tuple(recipes[i] for i in kept), [rows[i] for i in kept], vectors[owners >= 0],
                      owners[owners >= 0], lexical)


def _texts(recipe: Recipe) -> tuple[str, ...]:
    return (recipe.task, *recipe.asks)


def _all_texts(recipes: Sequence[Recipe]) -> list[str]:
    """Every recipe's task, then its questions, in order: the rows of the vectors."""
    return [text for recipe in recipes for text in _texts(recipe)]


def recipe_vectors(domain: str, recipes: Sequence[Recipe], embedder: Embedder, cache: Path,
                   progress: Callable[[int, int], None] | None = None, prune: bool = False) -> np.ndarray:
    """Unit vectors of the texts of ``recipes`` (each one's task, then its questions),
    from the cache under ``cache`` or embedded and cached; ``progress(done, total)``
    follows the embedding. A file is written under a name of its own and renamed into
    place, so concurrent processes never read a partial one; ``prune`` (index builds)
    removes the vectors of older cookbooks."""
    texts = _all_texts(recipes)
    path = recipe_vectors_path(domain, recipes, cache)
    folder = path.parent
    vectors = _load(path, len(texts))
    if vectors is None:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress:
                progress(done, len(texts))

        # Hundreds of texts: sentence-transformers batches them faster than the NumPy port.
        vectors = embedder.encode(texts, reference=True, progress=advance) if texts else np.zeros((0, 384), np.float32)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
            np.save(part, vectors)
        os.replace(part.name, path)
    if prune:
        for stale in [*folder.glob("*.npy"), *folder.glob("*.part")]:
            if stale != path and (stale.suffix == ".npy" or time.time() - stale.stat().st_mtime > 600):
                stale.unlink(missing_ok=True)
    return vectors


def recipe_vectors_path(domain: str, recipes: Sequence[Recipe], cache: Path) -> Path:
    """Where the vectors of ``recipes`` are cached: keyed by their texts and the model."""
    key = hashlib.sha256(json.dumps([model_id(), _all_texts(recipes)]).encode()).hexdigest()[:16]
    return cache / domain / f"{key}.npy"


def _load(path: Path, rows: int) -> np.ndarray | None:
    """The cached vectors at ``path``, or None when absent or not ``rows`` long (a file
    damaged outside sciwand is embedded again, not trusted)."""
    try:
        vectors = np.load(path)
    except (OSError, ValueError, EOFError):
        return None
    return vectors if vectors.ndim == 2 and vectors.shape[0] == rows else None
