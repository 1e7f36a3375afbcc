"""The plain data that leaves ``retrieval``: API entries and search hits."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, Literal

Kind = Literal["module", "function", "class", "method", "property", "data"]


@dataclass(frozen=True)
class Param:
    """One parameter: its name, type and default as text, and its documentation."""

    name: str
    type: str | None = None
    default: str | None = None
    doc: str | None = None


@dataclass(frozen=True)
class ApiEntry:
    """One public API object of an installed library.

    ``name`` is where the object is defined (``rdkit.Chem.rdmolfiles.MolFromSmiles``);
    ``aliases`` are the other public paths users import it by
    (``rdkit.Chem.MolFromSmiles``). ``summary_source`` says whether the one-line
    summary came from the docstring (``"doc"``) or was written from the name and
    signature because the library has no docstring (``"generated"``). ``note`` is
    the domain pack's search note for the entry, in the words questions use.
    """

    name: str
    kind: Kind
    domain: str
    library: str
    version: str
    aliases: tuple[str, ...] = ()
    signature: str | None = None
    params: tuple[Param, ...] = ()
    returns: str | None = None
    summary: str = ""
    summary_source: Literal["doc", "generated", "none"] = "none"
    doc: str = ""
    owner: str | None = None
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)

    @cached_property
    def public_name(self) -> str:
        """The shortest name with no private segment, preferring those that keep the
        defining class (``FLRW.luminosity_distance`` over ``Planck18``-style subclasses)."""
        public = [n for n in self.names if not any(part.startswith("_") for part in n.split("."))]
        tail = self.name.split(".")[-2:] if self.owner else None
        return min(public or [self.name], key=lambda n: (bool(tail) and n.split(".")[-2:] != tail, n.count("."), len(n)))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApiEntry:
        data = dict(data)
        data["aliases"] = tuple(data.get("aliases", ()))
        data["params"] = tuple(Param(**p) for p in data.get("params", ()))
        return cls(**data)


@dataclass(frozen=True)
class Hit:
    """A search result: the entry, its fused score, and which retrievers ranked it."""

    entry: ApiEntry
    score: float
    why: dict[str, float] = field(default_factory=dict)
