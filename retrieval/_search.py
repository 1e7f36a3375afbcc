"""Hybrid search: BM25 and dense rankings fused, plus entries the question's
entities make relevant (a SMILES in the question surfaces ``MolFromSmiles``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from domains import Entity, all_packs, get_pack, recognise
from retrieval._fusion import reciprocal_rank_fusion
from retrieval._index import DomainIndex, IndexStore
from retrieval._model import Hit
from retrieval._text import expand, name_words

Mode = Literal["hybrid", "bm25", "dense"]
CANDIDATES = 100
# An entity hint outweighs a first place in both text rankings: a SMILES in the
# question makes MolFromSmiles needed, whatever the words say.
WEIGHTS = {"bm25": 1.0, "dense": 1.0, "entity": 2.5, "owner": 1.0}
# Calling a method needs an instance of its class: the classes owning the best
# OWNER_DEPTH methods and properties are ranked too (ProteinAnalysis for .isoelectric_point).
OWNER_DEPTH = 10
# Score factor for entries of a domain none of the question's entities belong to.
OFF_DOMAIN = 0.5

# What an entity is replaced by before text search: a SMILES or a sequence is noise
# to BM25 and the embedding model, its kind is signal.
_ENTITY_WORDS = {"smiles": "molecule", "inchi": "molecule inchi", "dna": "dna sequence",
                 "rna": "rna sequence", "protein": "protein sequence", "coordinate": "sky coordinates",
                 "time": "time date", "fasta": "fasta sequences records", "newick": "newick tree",
                 "smarts": "smarts pattern", "reaction": "reaction smarts"}


@dataclass(frozen=True)
class _Candidate:
    domain: str
    row: int


class Searcher:
    """Searches the built domain indexes; opened once, queried many times."""

    def __init__(self, store: IndexStore | None = None, domains: Sequence[str] | None = None) -> None:
        self.store = store or IndexStore()
        self.store.embedder.preload()
        names = list(domains) if domains is not None else self.store.built_domains()
        self.indexes: dict[str, DomainIndex] = {d: self.store.load(d) for d in names}

    def search(self, query: str, domain: str | None = None, k: int = 10, mode: Mode = "hybrid") -> list[Hit]:
        """The ``k`` best entries for ``query``, in one domain or across all."""
        indexes = [self._index(domain)] if domain else list(self.indexes.values())
        entities = [e for e in recognise(query, domain) if e.domain in {i.domain for i in indexes}]
        text = _mask_entities(query, entities)
        rankings: dict[str, list[_Candidate]] = {}
        if mode in ("hybrid", "bm25"):
            rankings["bm25"] = self._lexical(text, indexes)
        if mode in ("hybrid", "dense"):
            rankings["dense"] = self._dense(text, indexes)
        if mode == "hybrid":
            rankings["entity"] = self._hinted(entities, indexes)
            rankings["owner"] = self._owners(reciprocal_rank_fusion(rankings, weights=WEIGHTS)[:OWNER_DEPTH])
        fused = reciprocal_rank_fusion(rankings, weights=WEIGHTS)
        routed = _route(fused, {e.domain for e in entities})
        hits = (Hit(self.indexes[c.domain].entries[c.row], score, why) for c, score, why in routed)
        return _distinct(hits, k)

    def _index(self, domain: str) -> DomainIndex:
        get_pack(domain)  # raises UnknownDomainError for a name no pack provides
        if domain not in self.indexes:
            self.indexes[domain] = self.store.load(domain)
        return self.indexes[domain]

    def _lexical(self, text: str, indexes: Iterable[DomainIndex]) -> list[_Candidate]:
        scored = []
        for index in indexes:
            words = " ".join(expand(name_words(text), get_pack(index.domain).vocabulary))
            scored += [(score, _Candidate(index.domain, row)) for row, score in index.lexical.search(words, CANDIDATES)]
        return [c for _, c in sorted(scored, key=lambda pair: -pair[0])][:CANDIDATES]

    def _dense(self, text: str, indexes: Iterable[DomainIndex]) -> list[_Candidate]:
        vector = self.store.embedder.encode([text])[0]
        scored = []
        for index in indexes:
            for name, similarity in self.store.vectors.query(index.collection, vector, CANDIDATES):
                if name in index.rows:
                    scored.append((similarity, _Candidate(index.domain, index.rows[name])))
        return [c for _, c in sorted(scored, key=lambda pair: -pair[0])][:CANDIDATES]

    def _owners(self, fused: list) -> list[_Candidate]:
        found: list[_Candidate] = []
        for candidate, _, _ in fused:
            index = self.indexes[candidate.domain]
            entry = index.entries[candidate.row]
            if entry.kind in ("method", "property"):
                row = index.row_of(entry.public_name.rsplit(".", 1)[0])
                if row is not None and _Candidate(candidate.domain, row) not in found:
                    found.append(_Candidate(candidate.domain, row))
        return found

    def _hinted(self, entities: Sequence[Entity], indexes: Iterable[DomainIndex]) -> list[_Candidate]:
        """Entries the recognised entities point at, through each pack's ``entity_hints``."""
        by_domain = {i.domain: i for i in indexes}
        found: list[_Candidate] = []
        for entity in entities:
            index = by_domain.get(entity.domain)
            for hint in get_pack(entity.domain).entity_hints.get(entity.kind, ()):
                row = index.row_of(hint.format(value=entity.value)) if index else None
                if row is not None and _Candidate(entity.domain, row) not in found:
                    found.append(_Candidate(entity.domain, row))
        return found


def _distinct(hits: Iterable[Hit], k: int) -> list[Hit]:
    """The first ``k`` hits, leaving out data objects whose name repeats an earlier one:
    the same constant or unit from parallel modules (``constants.si.R_sun``,
    ``constants.iau2012.R_sun``) would otherwise fill the list."""
    kept: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        key = (hit.entry.domain, hit.entry.public_name.rsplit(".", 1)[-1])
        if hit.entry.kind == "data" and key in seen:
            continue
        seen.add(key)
        kept.append(hit)
        if len(kept) == k:
            break
    return kept


def _route(fused: list, domains: set[str]) -> list:
    """Down-weight entries outside the domains the question's entities belong to."""
    if not domains:
        return fused
    rescored = [(c, score if c.domain in domains else score * OFF_DOMAIN, why) for c, score, why in fused]
    return sorted(rescored, key=lambda item: -item[1])


def _mask_entities(query: str, entities: Sequence[Entity]) -> str:
    text = query
    for entity in sorted(entities, key=lambda e: -e.span[0]):
        if entity.kind in _ENTITY_WORDS:
            start, end = entity.span
            text = text[:start] + _ENTITY_WORDS[entity.kind] + text[end:]
    return text
