"""What the planner is given about a question: its domain, entities, the API entries
retrieved for it, and the kind of answer it asks for.

Gathering this is the loop's first step; re-retrieval on repair widens ``hits``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from domains import Entity, recognise
from domains.units import target_unit
from retrieval import ApiEntry, Hit, Searcher

RECALL_DEPTH = 10  # entries kept for provenance and recall@10, beyond the k the model sees


@dataclass(frozen=True)
class Expected:
    """The shape of answer a question asks for, read from its wording: ``integer`` for
    "how many", ``boolean`` for a yes/no question, and the unit after "in"/"as"."""

    kind: str | None = None
    unit: str | None = None


@dataclass
class Context:
    """One question and everything retrieved for it; ``hits`` are what the model sees.

    ``reference`` is a task's reference program, given only to the oracle baseline.
    ``lookup`` finds any indexed entry by name (not only the offered ones).
    """

    question: str
    domain: str | None
    entities: list[Entity]
    hits: list[Hit]
    ranked: list[Hit] = field(default_factory=list)
    expected: Expected = field(default_factory=Expected)
    reference: str | None = None
    lookup: Callable[[str], ApiEntry | None] = field(default=lambda name: None, repr=False)

    @property
    def entries(self) -> list[ApiEntry]:
        return [hit.entry for hit in self.hits]

    def entry(self, name: str) -> ApiEntry | None:
        """The offered entry called ``name`` (canonical, alias or public name)."""
        return next((e for e in self.entries if name in e.names or name == e.public_name), None)

    def widen(self, hits: list[Hit], extra: int = 4) -> None:
        """Add up to ``extra`` entries from a re-retrieval that the model has not seen."""
        seen = {h.entry.name for h in self.hits}
        self.hits += [h for h in hits if h.entry.name not in seen][:extra]


def gather(question: str, domain: str | None, searcher: Searcher, k: int) -> Context:
    """Search, then recognise the question's entities within the domain the hits say."""
    ranked = searcher.search(question, domain=domain, k=max(k, RECALL_DEPTH))
    domain = domain or _domain_of(question, ranked)
    entities = recognise(question, domain) if domain else []
    return Context(question, domain, entities, ranked[:k], ranked, expected_answer(question), lookup=searcher.entry)


def _domain_of(question: str, hits: list[Hit]) -> str | None:
    """The question's domain: the one its entities belong to, else the top hit's."""
    from retrieval._search import NEUTRAL_KINDS

    domains = {e.domain for e in recognise(question) if e.kind not in NEUTRAL_KINDS}
    if len(domains) == 1:
        return domains.pop()
    return hits[0].entry.domain if hits else None


_HOW_MANY = re.compile(r"\bhow many\b|\bnumber of\b|\bcount\b", re.IGNORECASE)
_YES_NO = re.compile(r"^\s*(is|are|does|do|can|has|have|will|would)\b", re.IGNORECASE)


def expected_answer(question: str) -> Expected:
    """Read the wanted answer shape off the question ("... in Mpc?" wants a length in Mpc).

    A yes/no question is one whose last sentence opens with an auxiliary verb and
    offers no alternatives ("Is it R or S?" asks for a letter)."""
    last = re.split(r"(?<=[?!.])\s+(?=[A-Z])", question.strip())[-1]
    yes_no = bool(_YES_NO.match(last)) and not re.search(r"\bor\b(?! not)", last)
    kind = "integer" if _HOW_MANY.search(question) else "boolean" if yes_no else None
    target = target_unit(question)
    return Expected(kind, target.group(1) if target else None)

