"""Answer checkers, one per answer kind of the task spec.

``check(gold, value, refused)`` says whether an assistant's final answer equals the
gold answer. ``value`` is the rendered result (JSON: numbers, strings, lists,
``{"value", "unit"}`` for quantities) or a live library object; ``refused`` says the
assistant declined. A refusal is right only for a ``refusal`` task, and wrong for
any other; a value is never right for a ``refusal`` task.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

Checker = Callable[[dict[str, Any], Any], bool]
_TRUE, _FALSE = {"true", "yes"}, {"false", "no"}


def check(gold: dict[str, Any], value: Any, refused: bool = False) -> bool:
    """True if the answer (``value``, or a refusal) matches ``gold`` by its kind."""
    if gold["kind"] == "refusal" or refused:
        return gold["kind"] == "refusal" and refused
    return _CHECKERS[gold["kind"]](gold, value)


def as_number(value: Any) -> float | None:
    """A number from a number, a bare-number string, a 0-d / one-element array or a
    dimensionless quantity (``scale_factor`` returns one); booleans, quantities with
    units and anything else are not numbers."""
    if isinstance(value, dict) and set(value) == {"value", "unit"} and value["unit"] in ("", "dimensionless"):
        value = value["value"]
    if hasattr(value, "unit") and hasattr(value, "value"):
        value = value.value if str(value.unit) == "" else None
    if hasattr(value, "ndim") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*", value):
        return float(value)
    return None


def _close(got: float | None, gold: dict[str, Any]) -> bool:
    want = float(gold["value"])
    rtol, atol = float(gold.get("rtol", 1e-6)), float(gold.get("atol", 0.0))
    return got is not None and math.isfinite(got) and abs(got - want) <= atol + rtol * abs(want)


def _number(gold: dict[str, Any], value: Any) -> bool:
    return _close(as_number(value), gold)


def _integer(gold: dict[str, Any], value: Any) -> bool:
    got = as_number(value)
    return got is not None and got.is_integer() and int(got) == int(gold["value"])


def _boolean(gold: dict[str, Any], value: Any) -> bool:
    if isinstance(value, str):
        word = value.strip().lower()
        value = True if word in _TRUE else False if word in _FALSE else None
    return isinstance(value, bool) and value == bool(gold["value"])


def _string(gold: dict[str, Any], value: Any) -> bool:
    if not isinstance(value, str):
        return False
    got, want = value.strip(), str(gold["value"]).strip()
    return got == want if gold.get("case_sensitive", False) else got.lower() == want.lower()


def canonical_smiles(text: Any) -> str | None:
    """RDKit's canonical SMILES of ``text`` (a SMILES or a ``Mol``), None if invalid."""
    from rdkit import Chem, rdBase

    if not isinstance(text, str):
        return Chem.MolToSmiles(text) if type(text).__name__ == "Mol" else None
    with rdBase.BlockLogs():
        mol = Chem.MolFromSmiles(text.strip())
    return Chem.MolToSmiles(mol) if mol is not None else None


def _smiles(gold: dict[str, Any], value: Any) -> bool:
    got = canonical_smiles(value)
    return got is not None and got == canonical_smiles(gold["value"])


def _sequence(gold: dict[str, Any], value: Any) -> bool:
    if not isinstance(value, str) and type(value).__name__ not in ("Seq", "MutableSeq"):
        return False
    def letters(text: Any) -> str:
        return re.sub(r"\s+", "", str(text)).upper()
    return letters(value) == letters(gold["value"])


def _quantity(gold: dict[str, Any], value: Any) -> bool:
    """A ``{"value", "unit"}`` dict, a ``"<number> <unit>"`` string or a Quantity,
    converted to the gold unit and compared as a number."""
    from astropy import units as u

    try:
        if isinstance(value, dict):
            quantity = u.Quantity(value["value"], value["unit"])
        elif isinstance(value, str) and as_number(value) is None:
            quantity = u.Quantity(value)
        elif isinstance(value, u.Quantity):
            quantity = value
        else:
            return False
        converted = quantity.to_value(gold["unit"])
    except (ValueError, TypeError, KeyError, u.UnitsError):
        return False
    return _close(as_number(converted), gold)


def _list(gold: dict[str, Any], value: Any) -> bool:
    items = gold["items"]
    if hasattr(value, "tolist"):
        value = value.tolist()
    if not isinstance(value, (list, tuple)) or len(value) != len(items):
        return False
    if gold.get("ordered", True):
        return all(check(item, got) for item, got in zip(items, value))
    return _one_to_one([[check(item, got) for got in value] for item in items])


def _one_to_one(fits: list[list[bool]]) -> bool:
    """Whether every gold item can be paired with a distinct answer item it fits
    (bipartite matching by augmenting paths; lists here are short)."""
    owner: dict[int, int] = {}

    def assign(item: int, seen: set[int]) -> bool:
        for answer, fit in enumerate(fits[item]):
            if fit and answer not in seen:
                seen.add(answer)
                if answer not in owner or assign(owner[answer], seen):
                    owner[answer] = item
                    return True
        return False

    return all(assign(item, set()) for item in range(len(fits)))


_CHECKERS: dict[str, Checker] = {
    "number": _number, "integer": _integer, "boolean": _boolean, "string": _string, "smiles": _smiles,
    "sequence": _sequence, "quantity": _quantity, "list": _list,
}
