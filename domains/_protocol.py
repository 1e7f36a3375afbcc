"""What a domain pack is: the protocol every library folder under ``domains/`` follows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class Entity:
    """A typed span of a question: a SMILES, a sequence, a quantity, a time, ...

    ``value`` holds a cheap parsed form (``{"value": 5.0, "unit": "km/s"}``, the
    realisation name ``"Planck18"`` for "Planck 2018") that the pack's adapter for
    this kind accepts; it is never a library object, so entities stay serialisable.
    """

    kind: str
    text: str
    span: tuple[int, int]
    domain: str
    value: Any = None


@dataclass(frozen=True)
class IndexSurface:
    """What the harvester walks for one library, and how names relate.

    ``roots`` are module names whose submodules are walked too. ``delegations``
    maps a class to the class it forwards attribute access to (``SkyCoord`` reaches
    ``BaseCoordinateFrame.separation`` through ``__getattr__``), so the delegate's
    members are also recorded under the delegating class's name.
    ``dynamic_members`` maps a class to a function listing the attributes it answers
    through ``__getattr__`` with their docs (``Time.jd``), which introspection cannot see.
    """

    library: str
    roots: Sequence[str]
    skip: Sequence[str] = ()
    delegations: Mapping[str, str] = field(default_factory=dict)
    dynamic_members: Mapping[str, Callable[[], Mapping[str, str]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Renderer:
    """How one library type becomes JSON: ``render(obj, child)`` returns a JSON value,
    calling ``child`` on anything nested so the caller's size budget applies.

    The type is named by module and class (``"rdkit.Chem", "Mol"``) so that nothing is
    imported to check it: an object of a library that is not loaded cannot exist.
    """

    module: str
    type_name: str
    render: Callable[[Any, Callable[[Any], Any]], Any]


@dataclass(frozen=True)
class Adapter:
    """Parses what a question carries (a SMILES, "5 km/s", a FASTA block) into the
    library object a parameter of one of ``types`` expects.

    ``parse`` raises ``InvalidInputError`` with a message naming the bad input.
    ``kinds`` are the entity kinds (see ``Entity``) whose text it parses.
    ``proves_invalid``: a parse failure means the question's input itself is wrong, so
    the assistant may refuse before planning (false for FASTA: several records are fine
    input, just not one ``SeqRecord``).
    """

    types: tuple[str, ...]
    parse: Callable[[Any], Any]
    kinds: tuple[str, ...] = ()
    proves_invalid: bool = True


@dataclass(frozen=True)
class Recipe:
    """A common task in a scientist's words and the API entries a solution calls, in
    call order. Questions rarely name the glue a task needs (the SMARTS parser and
    ``HasSubstructMatch`` for "does it contain an amine"); a recipe matched on the
    whole question brings it in."""

    task: str
    uses: tuple[str, ...]
    asks: tuple[str, ...] = ()  # questions as users type them, matched beside the task


@dataclass(frozen=True)
class Validator:
    """A plausibility check on a result: entries whose name matches ``pattern``
    (a regular expression on the last dotted part) must give values for which
    ``check(value)`` is true; ``problem`` says what is wrong otherwise."""

    pattern: str
    check: Callable[[Any], bool]
    problem: str


@dataclass(frozen=True)
class InputCheck:
    """A precondition on the question's inputs that the library itself does not check:
    entries whose name matches ``pattern`` (last dotted part) must not be given an
    entity for which ``refuses(entity)`` is true; ``problem`` says why. Biopython
    happily "translates" a protein string, so the biology pack refuses that here."""

    pattern: str
    refuses: Callable[[Entity], bool]
    problem: str


@runtime_checkable
class DomainPack(Protocol):
    """One library's knowledge beyond its API docs.

    ``vocabulary`` expands abbreviations found in API names ("wt" -> "weight") so that
    lexical and dense search meet the words scientists use. ``entity_hints`` maps an
    entity kind to the API entries that consume it (a SMILES makes
    ``rdkit.Chem.MolFromSmiles`` relevant). ``renderers`` turn the library's objects
    into JSON for results (a ``Mol`` into its canonical SMILES), subclasses first;
    ``adapters`` go the other way, from question text to library objects.
    """

    name: str
    surface: IndexSurface
    vocabulary: Mapping[str, str]
    entity_hints: Mapping[str, Sequence[str]]
    renderers: Sequence[Renderer]
    adapters: Sequence[Adapter]

    def recognise(self, text: str) -> list[Entity]:
        """Typed candidates found in ``text``, with their spans."""
        ...

    def check_inputs(self, entry: str, entities: Sequence[Entity]) -> list[str]:
        """Problems with giving ``entities`` (from the question) to ``entry``; empty if fine."""
        ...

    def validate(self, entry: str, value: Any, expected: str | None = None) -> list[str]:
        """Problems with ``value`` (a rendered result of ``entry``); empty if plausible.
        ``expected`` is the kind of answer asked for (a physical type such as "length")."""
        ...

    def tasks(self) -> Path:
        """The bundled dev eval set (JSONL in the format of the task spec)."""
        ...

    def search_notes(self) -> Mapping[str, str]:
        """Words written for search, by API name (any public alias): what a scientist
        asking for the entry would say. Indexed beside the entry's own docs."""
        ...

    def recipes(self) -> tuple[Recipe, ...]:
        """Common tasks of the field and the entries that do them, matched by search
        against the whole question."""
        ...
