"""Reciprocal rank fusion: rankings from different retrievers combined by rank, not
by their incomparable raw scores."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

T = TypeVar("T", bound=Hashable)
RRF_K = 60


def reciprocal_rank_fusion(rankings: Mapping[str, Sequence[T]], weights: Mapping[str, float] | None = None,
                           k: int = RRF_K) -> list[tuple[T, float, dict[str, float]]]:
    """Items of all rankings by ``sum(weight / (k + rank))``, best first, each with the
    1-based rank it had in every ranking that contained it."""
    scores: dict[T, float] = {}
    ranks: dict[T, dict[str, float]] = {}
    for source, ranking in rankings.items():
        weight = (weights or {}).get(source, 1.0)
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            ranks.setdefault(item, {})[source] = rank
    ordered = sorted(scores, key=lambda item: -scores[item])
    return [(item, scores[item], ranks[item]) for item in ordered]
