"""Judge an execution: it ran, it produced a value, the value fits what the question
asks (a yes/no question gets a boolean, "in Mpc" gets a length) and the domain
pack's validators find it plausible. Problems are sentences for the model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.context import Expected
from assistant.sandbox import ExecResult, Sandbox
from domains import Entity, adapter_for, get_pack
from domains.errors import brief_repr

STDERR_TAIL = 600


def execution_problems(result: ExecResult) -> list[str]:
    """Why a run failed, worded for the model (RDKit explains bad input on stderr)."""
    if result.ok:
        return []
    if result.error is None:
        return [f"the program stopped with status {result.status!r}"]
    problems = [f"{result.error.type}: {result.error.message}"]
    if result.stderr.strip():
        problems.append(f"stderr: {result.stderr.strip()[-STDERR_TAIL:]}")
    return problems


def value_problems(result: ExecResult, entry: str | None, domain: str | None, expected: Expected) -> list[str]:
    """Why a value that ran is not an answer to the question."""
    value = result.value
    if value is None:
        what = "nothing" if result.repr in (None, "None") else f"a {result.type} with no plain value ({result.repr})"
        return [f"the program returned {what}"]
    problems = []
    short_type = (result.type or "").rsplit(".", 1)[-1]
    if domain and short_type in get_pack(domain).not_answers:
        problems.append(f"the result is a {short_type}, a tool for a computation rather than its answer")
    if expected.kind == "boolean" and not isinstance(value, bool):
        problems.append(f"the question asks yes or no, but the result is {brief_repr(value, 60)}")
    if expected.unit and (isinstance(value, (str, bool)) or value is None):
        problems.append(f"the question asks for a value in {expected.unit}, but the result is {brief_repr(value, 60)}")
    unit_problem = _unit_problem(value, expected.unit)
    problems += [unit_problem] if unit_problem else []
    if domain and entry:
        problems += get_pack(domain).validate(entry, value)
    return problems


def echo_problem(result: ExecResult, entities: Sequence[Entity], sandbox: Sandbox) -> str | None:
    """A problem if the result is one of the question's inputs handed back unchanged
    (``Time('2000-01-01').utc`` for "What is the Julian Date of 2000-01-01?"): a call
    that converts nothing answers nothing. Only results of an input's own type are
    compared, by rendering that input in the sandbox, and only inputs written in the
    notation results are rendered in (an adapter's first kind: an InChI rendered as
    SMILES is a conversion, a SMILES rendered as SMILES is not)."""
    short_type = (result.type or "").rsplit(".", 1)[-1]
    for entity in entities:
        adapter = adapter_for(entity)
        if adapter is None or short_type not in adapter.types or entity.kind != adapter.kinds[0]:
            continue
        value = entity.value if entity.value is not None else entity.text
        shown = sandbox.run(f"from domains import coerce\ncoerce({adapter.types[0]!r}, {value!r})")
        if _gains_a_unit(entity, shown.value):
            continue
        if shown.ok and shown.value == result.value:
            return f"the result is the input {entity.text!r} unchanged, not an answer to the question"
    return None


def _gains_a_unit(entity: Entity, rendered: Any) -> bool:
    """An input written without a unit that renders with one: a sexagesimal angle
    ("13h29m52.7s") shown in degrees is a conversion, not the input handed back."""
    return isinstance(rendered, dict) and "unit" in rendered and not isinstance(entity.value, dict)


def _unit_problem(value: Any, unit: str | None) -> str | None:
    """A quantity must convert to the unit the question asks for."""
    if unit is None or not (isinstance(value, dict) and set(value) >= {"value", "unit"}):
        return None
    if in_unit(value, unit) is None:
        return f"the question asks for {unit}, but the result is in {value['unit'] or 'no unit'}"
    return None


def in_unit(value: dict[str, Any], unit: str) -> dict[str, Any] | None:
    """A rendered quantity expressed in ``unit`` (spectral equivalences allowed between
    plain units; a value that is not a plain number keeps its own unit), or None when
    the units do not convert."""
    from astropy import units as u

    number = value["value"] if isinstance(value["value"], (int, float)) else 1.0
    try:
        source, target = u.Unit(value["unit"]), u.Unit(unit)
        # Spectral equivalences only between plain units (nm, THz, eV): km/s/Mpc is a
        # frequency too, and a distance in Mpc must not pass for a Hubble parameter.
        spectral = u.spectral() if len(source.bases) == 1 and len(target.bases) == 1 else []
        converted = source.to(target, number, equivalencies=spectral)
    except (ValueError, TypeError, u.UnitsError):
        return None
    return {"value": converted, "unit": unit} if isinstance(value["value"], (int, float)) else value

