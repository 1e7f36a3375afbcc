"""A ready-made ``DomainPack``: a library folder fills in data and a recogniser."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from domains._protocol import Entity, IndexSurface, Renderer


@dataclass(frozen=True)
class Pack:
    """Data-only implementation of the ``DomainPack`` protocol.

    ``folder`` is the pack's directory; its ``tasks.jsonl`` is the bundled dev set.
    """

    name: str
    surface: IndexSurface
    folder: Path
    recogniser: Callable[[str], list[Entity]]
    vocabulary: Mapping[str, str] = field(default_factory=dict)
    entity_hints: Mapping[str, Sequence[str]] = field(default_factory=dict)
    renderers: Sequence[Renderer] = ()

    def recognise(self, text: str) -> list[Entity]:
        """Entities found in ``text`` by this pack's recogniser, in span order."""
        return sorted(self.recogniser(text), key=lambda e: e.span)

    def tasks(self) -> Path:
        """Path of the bundled dev eval set."""
        return self.folder / "tasks.jsonl"
