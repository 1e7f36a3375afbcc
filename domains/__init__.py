"""Domain packs: one folder per scientific library, all following ``DomainPack``.

A pack declares what the harvester indexes, the vocabulary of its field, the
entities it recognises in a question, adapters from question text to library
objects and renderers back to JSON, validators of results, and its bundled dev
eval set. Packs are discovered through the ``sciwand.domains`` entry-point group.
"""

import re
from typing import Any

from domains._base import Pack
from domains._protocol import Adapter, DomainPack, Entity, IndexSurface, InputCheck, Recipe, Renderer, Validator
from domains._registry import all_packs, domain_names, get_pack
from domains.errors import InvalidInputError, SciwandError, UnknownDomainError


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


def find_adapter(type_text: str | None, domain: str | None = None) -> Adapter | None:
    """The adapter producing the type named at the end of ``type_text``
    (``"rdkit.Chem.rdchem.Mol"``, ``"Quantity-like ['length']"``), if any."""
    return next(iter(find_adapters(type_text, domain)), None)


def find_adapters(type_text: str | None, domain: str | None = None) -> list[Adapter]:
    """Every adapter producing a type named in ``type_text``, first the one named first
    in its pack (a ``Mol`` comes from a SMILES adapter and from a SMARTS one)."""
    words = re.findall(r"[A-Za-z_][\w-]*", type_text or "")
    if not words:
        return []
    packs = [get_pack(domain)] if domain else all_packs()
    wanted = {w.lower() for w in words}
    return [a for pack in packs for a in pack.adapters if {t.lower() for t in a.types} & wanted]


def adapter_for(entity: Entity) -> Adapter | None:
    """The adapter that parses entities of this kind in the entity's pack."""
    return next((a for a in get_pack(entity.domain).adapters if entity.kind in a.kinds), None)


def coerce(type_text: str | None, value: Any, domain: str | None = None) -> Any:
    """``value`` as the library object a parameter of ``type_text`` expects.

    A string, number, list or dict is parsed by the matching adapter (a parameter
    typed ``Mol`` given ``"CCO"`` gets ``MolFromSmiles("CCO")``); library objects and
    values no adapter claims pass through unchanged. Bad input raises
    ``InvalidInputError`` naming it.
    """
    adapter = find_adapter(type_text, domain)
    if adapter is None or not isinstance(value, (str, int, float, list, tuple, dict)) or isinstance(value, bool):
        return value
    return adapter.parse(value)


def parse_entity(entity: Entity) -> Any:
    """The library object an entity's text stands for (a SMILES entity -> ``Mol``)."""
    adapter = adapter_for(entity)
    if adapter is None:
        raise InvalidInputError(f"no {entity.domain} adapter parses {entity.kind} entities such as {entity.text!r}")
    return adapter.parse(entity.value)


__all__ = [
    "Adapter",
    "DomainPack",
    "Entity",
    "IndexSurface",
    "InputCheck",
    "InvalidInputError",
    "Pack",
    "Recipe",
    "Renderer",
    "SciwandError",
    "UnknownDomainError",
    "Validator",
    "all_packs",
    "coerce",
    "domain_names",
    "adapter_for",
    "find_adapter",
    "find_adapters",
    "get_pack",
    "parse_entity",
    "recognise",
]
