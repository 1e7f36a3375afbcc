"""Hybrid search: BM25 and dense rankings fused by reciprocal rank, plus structure.

The structure, each a ranking of its own in the fusion:

- **entity**: entries the question's entities call for, through each pack's
  ``entity_hints`` (a SMILES makes ``MolFromSmiles`` needed);
- **owner**: calling a method needs an instance, so the classes owning the best
  methods are ranked too (``ProteinAnalysis`` for ``.isoelectric_point``);
- **member**: the methods of the types in play, the classes among the best entries
  and the classes they return (a DNA sequence makes a ``Seq``: ``Seq.translate``);
- **companion**: the entries the best entries' search notes name as used with them
  (``GetMorganGenerator`` -> ``GetFingerprint``);
- **recipe**: the entries of the pack recipes that best match the whole question, in
  call order ("does it contain a carboxylic acid" -> ``MolFromSmarts``,
  ``HasSubstructMatch``; see ``retrieval._recipes``).

Then entries of domains the question does not belong to are down-weighted (its
entities, or else the dense similarity, say which domain it is), and so are data
objects (units, constants) the question did not name, which otherwise crowd out
the functions that use them, entries deep in a library's module tree, and callables
named like a better-ranked one. Parallel copies of a data object show once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from domains import Entity, get_pack, recognise
from retrieval._fusion import reciprocal_rank_fusion
from retrieval._bm25 import top_rows
from retrieval._index import DomainIndex, IndexStore
from retrieval._model import ApiEntry, Hit
from retrieval._recipes import RecipeBook, open_recipe_book
from retrieval._text import expand, name_words

Mode = Literal["hybrid", "bm25", "dense"]
CANDIDATES = 100
# An entity hint outweighs a first place in both text rankings: a SMILES in the
# question makes MolFromSmiles needed, whatever the words say.
WEIGHTS = {"bm25": 1.0, "dense": 1.0, "entity": 2.5, "recipe": 1.0, "owner": 1.0, "member": 0.5, "companion": 1.0}
# The best-matching recipes whose entries are ranked, over all searched domains.
RECIPES_TAKEN = 2
OWNER_DEPTH = 10
COMPANION_DEPTH = 5
MEMBERS_PER_TYPE = 3
RRF_K = 10
OFF_DOMAIN = 0.5
DATA_PRIOR = 0.6
SAME_NAME = 0.5
# Per dotted level beyond "library.module.name" (chosen on the dev sets: +0.011 recall@5).
DEPTH_PRIOR = 0.1
# Domains whose best dense similarity is within this margin of the best domain's
# count as the question's domain when no entity says so.
DOMAIN_MARGIN = 0.05

# What an entity is replaced by before text search: a SMILES or a sequence is noise
# to BM25 and the embedding model, its kind is signal. A SMILES goes with the word
# "SMILES": the entity hint already brings the parser, and the word would pull in
# every SMILES writer and reader.
_ENTITY_WORDS = {"smiles": "", "bad_smiles": "", "inchi": "inchi",
                 "dna": "dna sequence", "rna": "rna sequence", "protein": "protein sequence",
                 "coordinate": "sky coordinates", "angle": "angle", "time": "time date", "fasta": "fasta sequences records",
                 "newick": "newick tree", "smarts": "smarts pattern", "reaction": "reaction smarts",
                 "sites": "aligned sites motif", "substitution_matrix": "substitution matrix",
                 "site": "observatory location", "table": "table", "fits_header": "fits header",
                 "molblock": "molfile mol block"}
_SMILES_WORD = re.compile(r"\bsmiles\b", re.IGNORECASE)
# Question phrasing that names an operation: "how many rings" asks for a count.
_PHRASES = [(re.compile(r"\bhow many\b", re.IGNORECASE), "number of")]
# Values with units and dates turn up in every science ("2048 bits", "25 °C"); they say
# less about a question's domain than a SMILES or a sequence does.
_WEAK_KINDS = {"quantity", "time"}
# The unit an answer is wanted in ("... in g/mol?") says nothing about the domain at all.
NEUTRAL_KINDS = {"unit"}


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
        self._data: dict[tuple[str, str], ApiEntry] | None = None
        self._books: dict[str, RecipeBook] = {}

    def search(self, query: str, domain: str | None = None, k: int = 10, mode: Mode = "hybrid") -> list[Hit]:
        """The ``k`` best entries for ``query``, in one domain or across all."""
        indexes = [self._index(domain)] if domain else list(self.indexes.values())
        entities = _consistent([e for e in recognise(query, domain)
                                if e.domain in {i.domain for i in indexes} and e.kind not in NEUTRAL_KINDS])
        text = _mask_entities(query, entities)
        rankings: dict[str, list[_Candidate]] = {}
        words = {index.domain: self._lexical_words(text, index) for index in indexes}
        lexical = {index.domain: index.lexical.scores(words[index.domain])
                   for index in indexes} if mode != "dense" else {}
        if mode in ("hybrid", "bm25"):
            rankings["bm25"] = self._lexical(lexical)
        dense_best: dict[str, float] = {}
        if mode in ("hybrid", "dense"):
            vector = self.store.embedder.encode([text])[0]
            rankings["dense"], dense_best = self._dense(vector, indexes)
        if mode == "hybrid":
            rankings["entity"] = self._hinted(entities, indexes)
            rankings["recipe"] = self._recipes(words, vector, indexes)
            best = [c for c, _, _ in reciprocal_rank_fusion(rankings, weights=WEIGHTS, k=RRF_K)[:OWNER_DEPTH]]
            rankings["owner"] = self._owners(best)
            rankings["member"] = self._members(rankings["entity"] + best, lexical)
            rankings["companion"] = self._companions(rankings["entity"] + best[:COMPANION_DEPTH])
        fused = reciprocal_rank_fusion(rankings, weights=WEIGHTS, k=RRF_K)
        if mode == "hybrid":
            fused = self._reweigh(fused, _question_domains(entities, dense_best))
        hits = (Hit(self.indexes[c.domain].entries[c.row], score, why) for c, score, why in fused)
        return _distinct(hits, k, self._current_default)

    def entry(self, name: str) -> ApiEntry | None:
        """The entry whose canonical name or an alias is ``name``, in any open domain."""
        for index in self.indexes.values():
            row = index.row_of(name)
            if row is not None:
                return index.entries[row]
        return None

    def _current_default(self, entry: ApiEntry) -> ApiEntry:
        """The data object ``entry`` is a parallel copy of, if any: the same name one
        module up (``constants.R_sun`` for ``constants.iau2012.R_sun`` and
        ``constants.si.R_sun``), the library's current default; else ``entry``."""
        if self._data is None:
            self._data = {(e.domain, e.public_name): e for index in self.indexes.values()
                          for e in index.entries if e.kind == "data"}
        parts = entry.public_name.split(".")
        for drop in range(len(parts) - 2, 1, -1):
            shorter = self._data.get((entry.domain, ".".join(parts[:drop] + parts[drop + 1:])))
            # Of one kind up to a version (IAU2012 and IAU2015); a cds "pct" is no percent.
            if shorter is not None and _unversioned(shorter.returns) == _unversioned(entry.returns):
                return shorter
        return entry

    def _index(self, domain: str) -> DomainIndex:
        get_pack(domain)  # raises UnknownDomainError for a name no pack provides
        if domain not in self.indexes:
            self.indexes[domain] = self.store.load(domain)
            self._data = None
        return self.indexes[domain]

    @staticmethod
    def _lexical_words(text: str, index: DomainIndex) -> str:
        return " ".join(expand(name_words(text), get_pack(index.domain).vocabulary))

    @staticmethod
    def _lexical(scores: dict[str, np.ndarray]) -> list[_Candidate]:
        """BM25 candidates of every domain, ordered by raw score (comparable enough:
        same scorer, similar document lengths); each domain keeps its own top 100."""
        scored = [(score, _Candidate(domain, row)) for domain, by_row in scores.items()
                  for row, score in top_rows(by_row, CANDIDATES)]
        return [c for _, c in sorted(scored, key=lambda pair: (-pair[0], pair[1].domain, pair[1].row))]

    def _dense(self, vector: np.ndarray, indexes: Iterable[DomainIndex]) -> tuple[list[_Candidate], dict[str, float]]:
        """Dense candidates ordered by cosine similarity, and each domain's best similarity."""
        scored, best = [], {}
        for index in indexes:
            for name, similarity in self.store.vectors.query(index.collection, vector, CANDIDATES):
                if name in index.rows:
                    scored.append((similarity, _Candidate(index.domain, index.rows[name])))
                    best[index.domain] = max(best.get(index.domain, -1.0), similarity)
        return [c for _, c in sorted(scored, key=lambda pair: (-pair[0], pair[1].domain, pair[1].row))], best

    def _hinted(self, entities: Sequence[Entity], indexes: Iterable[DomainIndex]) -> list[_Candidate]:
        """Entries the recognised entities point at, through each pack's ``entity_hints``."""
        by_domain = {i.domain: i for i in indexes}
        rows = ((entity.domain, by_domain[entity.domain].row_of(hint.format(value=entity.value)))
                for entity in entities if entity.domain in by_domain
                for hint in get_pack(entity.domain).entity_hints.get(entity.kind, ()))
        return _unique(rows)

    def _recipes(self, words: dict[str, str], vector: np.ndarray, indexes: Iterable[DomainIndex]) -> list[_Candidate]:
        """Entries of the recipes that best match the question (its lexical ``words``
        per domain and its ``vector``), in call order."""
        matched = []
        for index in indexes:
            book = self._book(index)
            scores = book.scores(words[index.domain], vector)
            matched += [(float(score), index.domain, rows) for score, rows in zip(scores, book.rows)]
        matched.sort(key=lambda item: (-item[0], item[1]))
        taken = matched[:RECIPES_TAKEN]
        # Step by step across the recipes: each one's first calls before any one's last.
        return _unique((domain, rows[step]) for step in range(max((len(r) for _, _, r in taken), default=0))
                       for _, domain, rows in taken if step < len(rows))

    def _book(self, index: DomainIndex) -> RecipeBook:
        if index.domain not in self._books:
            self._books[index.domain] = open_recipe_book(get_pack(index.domain), index.row_of, self.store.embedder,
                                                         self.store.recipe_cache)
        return self._books[index.domain]

    def _members(self, seeds: Sequence[_Candidate], lexical: dict[str, np.ndarray]) -> list[_Candidate]:
        """Methods and properties of the types in play, best BM25 match first: a class
        among the seeds, or the class a seed returns. Parsing a SMILES yields a
        ``Mol``, so ``Mol.GetSubstructMatches`` may be what the question is about;
        ``GetMorganGenerator`` returns a generator whose ``GetFingerprint`` is called."""
        def members(seed: _Candidate) -> list[int]:
            index = self.indexes[seed.domain]
            entry = index.entries[seed.row]
            owner = entry.name if entry.kind == "class" else index.class_named(entry.returns)
            scores = lexical[seed.domain]
            rows = [row for row in (index.members_of(owner) if owner else []) if scores[row] > 0]
            return sorted(rows, key=lambda row: (-scores[row], row))[:MEMBERS_PER_TYPE]

        return _unique((seed.domain, row) for seed in seeds for row in members(seed))

    def _companions(self, seeds: Sequence[_Candidate]) -> list[_Candidate]:
        """Entries the seeds' search notes name as used with them, in seed order."""
        return _unique((seed.domain, row) for seed in seeds for row in self.indexes[seed.domain].companions(seed.row))

    def _owners(self, best: Sequence[_Candidate]) -> list[_Candidate]:
        """The classes owning the best methods and properties."""
        entries = ((c.domain, self.indexes[c.domain].entries[c.row]) for c in best)
        return _unique((domain, self.indexes[domain].row_of(entry.public_name.rsplit(".", 1)[0]))
                       for domain, entry in entries if entry.kind in ("method", "property"))

    def _reweigh(self, fused: list, domains: set[str]) -> list:
        """Down-weight other domains' entries, data objects no entity asked for, and
        entries reachable only by long paths: what a library exports near its top
        (``Bio.SeqUtils.gc_fraction``) is what its users call."""
        rescored = []
        for candidate, score, why in fused:
            entry = self.indexes[candidate.domain].entries[candidate.row]
            if domains and candidate.domain not in domains:
                score *= OFF_DOMAIN
            if entry.kind == "data" and "entity" not in why:
                score *= DATA_PRIOR
            score /= 1 + DEPTH_PRIOR * max(0, entry.public_name.count(".") - 2)
            rescored.append((candidate, score, why))
        return _diversified(sorted(rescored, key=lambda item: -item[1]), self.indexes)


def _unique(rows: Iterable[tuple[str, int | None]]) -> list[_Candidate]:
    """Candidates for the (domain, row) pairs that name a row, first occurrence kept."""
    return list(dict.fromkeys(_Candidate(domain, row) for domain, row in rows if row is not None))


def _diversified(ranked: list, indexes: dict[str, DomainIndex]) -> list:
    """Callables named like a better-ranked one (``Bio.Seq.translate``,
    ``SeqFeature.translate`` after ``Seq.translate``) down-weighted, unless they are
    methods of a type in play: a question needing several entries is better served by
    different operations than by one operation from several classes."""
    seen: set[str] = set()
    rescored = []
    for candidate, score, why in ranked:
        entry = indexes[candidate.domain].entries[candidate.row]
        short = entry.public_name.rsplit(".", 1)[-1]
        if entry.kind in ("function", "method") and short in seen and "member" not in why:
            score *= SAME_NAME
        seen.add(short)
        rescored.append((candidate, score, why))
    return sorted(rescored, key=lambda item: -item[1])


def _consistent(entities: list[Entity]) -> list[Entity]:
    """Entities without weak ones (quantities, times) of domains no strong entity is in."""
    strong = {e.domain for e in entities if e.kind not in _WEAK_KINDS}
    return [e for e in entities if not strong or e.domain in strong or e.kind not in _WEAK_KINDS]


def _question_domains(entities: Sequence[Entity], dense_best: dict[str, float]) -> set[str]:
    """The domains a question belongs to: its entities', or else those whose best
    dense match is close to the best overall."""
    if entities:
        return {e.domain for e in entities}
    if not dense_best:
        return set()
    top = max(dense_best.values())
    return {d for d, similarity in dense_best.items() if similarity >= top - DOMAIN_MARGIN}


def _unversioned(type_name: str | None) -> str:
    return re.sub(r"\d+", "", type_name or "")


def _distinct(hits: Iterable[Hit], k: int, preferred: Callable[[ApiEntry], ApiEntry]) -> list[Hit]:
    """The first ``k`` hits, with parallel copies of a data object (``preferred`` maps
    each to the one it copies) shown once, as that one, at the best rank any had."""
    kept: list[Hit] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        if hit.entry.kind == "data":
            entry = preferred(hit.entry)
            if (entry.domain, entry.public_name) in seen:
                continue
            seen.add((entry.domain, entry.public_name))
            hit = Hit(entry, hit.score, hit.why)
        kept.append(hit)
        if len(kept) == k:
            break
    return kept


def _mask_entities(query: str, entities: Sequence[Entity]) -> str:
    """The question as text search should see it: entities replaced by their kind's
    words, words naming an entity's notation dropped, operation phrases spelled out."""
    text = query
    for entity in sorted(entities, key=lambda e: -e.span[0]):
        if entity.kind in _ENTITY_WORDS:
            start, end = entity.span
            text = text[:start] + _ENTITY_WORDS[entity.kind] + text[end:]
    if any(e.kind in ("smiles", "bad_smiles") for e in entities):
        text = _SMILES_WORD.sub("", text)
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return text
