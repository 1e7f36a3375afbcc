"""Domain packs: one folder per scientific library, all following ``DomainPack``.

A pack declares what the harvester indexes, the vocabulary of its field, the
entities it recognises in a question and its bundled dev eval set. Packs are
discovered through the ``sciwand.domains`` entry-point group.
"""

from domains._base import Pack
from domains._protocol import DomainPack, Entity, IndexSurface, Renderer
from domains._registry import all_packs, domain_names, get_pack
from domains.errors import SciwandError, UnknownDomainError


def recognise(text: str, domain: str | None = None) -> list[Entity]:
    """Entities in ``text`` found by one pack, or by every installed pack.

    Where spans overlap the longer entity wins: "1C" inside a SMILES is not a charge
    of one coulomb.
    """
    packs = [get_pack(domain)] if domain else all_packs()
    found = sorted((e for pack in packs for e in pack.recognise(text)), key=lambda e: e.span[0] - e.span[1])
    kept: list[Entity] = []
    for entity in found:
        if not any(k.span[0] < entity.span[1] and entity.span[0] < k.span[1] for k in kept):
            kept.append(entity)
    return sorted(kept, key=lambda e: e.span)


__all__ = [
    "DomainPack",
    "Entity",
    "IndexSurface",
    "Pack",
    "Renderer",
    "SciwandError",
    "UnknownDomainError",
    "all_packs",
    "domain_names",
    "get_pack",
    "recognise",
]
