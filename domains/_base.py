"""A ready-made ``DomainPack``: a library folder fills in data and a recogniser."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from domains.errors import brief_repr
from domains._protocol import Adapter, Entity, IndexSurface, InputCheck, Recipe, Renderer, Validator


@dataclass(frozen=True)
class Pack:
    """Data-only implementation of the ``DomainPack`` protocol.

    ``folder`` is the pack's directory; its ``tasks.jsonl`` is the bundled dev set.
    ``check_expected(value, expected)`` is the pack's own test that a result is the
    kind of answer asked for (astronomy: a quantity of the right physical type).
    ``not_answers`` names result types that are instruments for a computation, never
    its answer (an astropy ``Equivalency``, which renders as a list of unit pairs).
    ``input_errors`` names the library's exceptions that say the input does not allow
    the operation (Biopython's ``TranslationError`` for a CDS with an inner stop), as
    opposed to a call written wrong.
    """

    name: str
    surface: IndexSurface
    folder: Path
    recogniser: Callable[[str], list[Entity]]
    vocabulary: Mapping[str, str] = field(default_factory=dict)
    entity_hints: Mapping[str, Sequence[str]] = field(default_factory=dict)
    renderers: Sequence[Renderer] = ()
    adapters: Sequence[Adapter] = ()
    validators: Sequence[Validator] = ()
    input_checks: Sequence[InputCheck] = ()
    not_answers: Sequence[str] = ()
    input_errors: Sequence[str] = ()
    check_expected: Callable[[Any, str], str | None] | None = None

    def recognise(self, text: str) -> list[Entity]:
        """Entities found in ``text`` by this pack's recogniser, in span order."""
        return sorted(self.recogniser(text), key=lambda e: e.span)

    def check_inputs(self, entry: str, entities: Sequence[Entity]) -> list[str]:
        """Problems with giving the question's ``entities`` to ``entry`` (a protein to a
        function defined on nucleotides), by this pack's input checks."""
        tail = entry.rsplit(".", 1)[-1]
        return [f"{tail} {check.problem}, not {entity.kind} input such as {brief_repr(entity.text, 40)}"
                for check in self.input_checks if re.search(check.pattern, tail)
                for entity in entities if check.refuses(entity)]

    def validate(self, entry: str, value: Any, expected: str | None = None) -> list[str]:
        """Problems with a rendered result of ``entry``: not a finite number where one
        is due, a validator of this pack failing, or not the kind of answer expected."""
        problems = [f"{entry} returned {value!r}, not a finite number"] if _not_finite(value) else []
        tail = entry.rsplit(".", 1)[-1]
        number = _number(value)
        for validator in self.validators:
            if re.search(validator.pattern, tail) and number is not None and not validator.check(number):
                problems.append(f"{entry} returned {number!r}: {validator.problem}")
        if expected and self.check_expected:
            problem = self.check_expected(value, expected)
            problems += [problem] if problem else []
        return problems

    def tasks(self) -> Path:
        """Path of the bundled dev eval set."""
        return self.folder / "tasks.jsonl"

    def search_notes(self) -> Mapping[str, str]:
        """Words written for search, by API name, from the pack's ``search_notes.yaml``."""
        return load_search_notes(self.folder / "search_notes.yaml")

    def recipes(self) -> tuple[Recipe, ...]:
        """Common tasks and the entries that do them, from the pack's ``recipes.yaml``."""
        return load_recipes(self.folder / "recipes.yaml")


@cache
def load_search_notes(path: Path) -> Mapping[str, str]:
    """``{api name: note}`` from a YAML mapping; empty when the file is absent.

    A note says in a scientist's words what an entry is for, because docstrings are
    written for readers who already found the entry: ``GetMorganGenerator`` never
    says "ECFP4" or "similarity".
    """
    if not path.exists():
        return {}
    import yaml

    notes = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(notes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in notes.items()):
        raise ValueError(f"{path}: expected a mapping of API names to one-line notes")
    return {name: " ".join(note.split()) for name, note in notes.items()}


@cache
def load_recipes(path: Path) -> tuple[Recipe, ...]:
    """Recipes from a YAML list of ``{task: ..., uses: [...], asks: [...]}`` (``asks``
    optional); none when the file is absent."""
    if not path.exists():
        return ()
    import yaml

    # libyaml's loader where PyYAML has it: the cookbooks are read by every searching process.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    items = yaml.load(path.read_text(encoding="utf-8"), Loader=loader) or []
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of recipes")
    for number, item in enumerate(items, start=1):
        if not _is_recipe(item):
            raise ValueError(f"{path}: recipe {number} is malformed: a recipe has a task text, a non-empty list "
                             f"of API names (uses) and optionally a list of questions (asks), none of them empty, "
                             f"and no other keys; got {brief_repr(item, 120)}")
    return tuple(Recipe(" ".join(i["task"].split()), tuple(i["uses"]),
                        tuple(" ".join(ask.split()) for ask in i.get("asks", ()))) for i in items)


def _is_recipe(item: Any) -> bool:
    def texts(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)

    return (isinstance(item, dict) and set(item) <= {"task", "uses", "asks"} and isinstance(item.get("task"), str)
            and bool(item["task"].strip()) and texts(item.get("uses")) and bool(item["uses"])
            and texts(item.get("asks", [])))


def _number(value: Any) -> float | None:
    """The number in a rendered value: a plain number or a quantity's ``value``."""
    if isinstance(value, dict) and "value" in value:
        value = value["value"]
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _not_finite(value: Any) -> bool:
    number = _number(value)
    return (number is not None and not math.isfinite(number)) or value in ("nan", "inf", "-inf")
