"""Plausibility of Astropy results: non-negative distances and ages, separations
within 180 degrees, and a quantity of the physical type the question asks for."""

from __future__ import annotations

from typing import Any

from domains._protocol import Validator

VALIDATORS = (
    Validator(r"distance|^age$|lookback_time|comoving_volume|^separation", lambda v: v >= 0,
              "a distance, age, volume or separation is never negative"),
    Validator(r"^separation$", lambda v: v <= 180, "an on-sky separation is at most 180 degrees"),
)


def check_expected(value: Any, expected: str) -> str | None:
    """A problem if ``value`` (a rendered ``{value, unit}``) is not of physical type
    ``expected`` ("length", "speed", ...), or None."""
    from astropy import units as u

    if not isinstance(value, dict) or "unit" not in value:
        return f"expected a quantity of type {expected!r}, got {value!r}"
    try:
        physical = u.Unit(value["unit"]).physical_type
    except ValueError:
        return f"the result's unit {value['unit']!r} is not a unit"
    if expected not in str(physical).split("/") and str(physical) != expected:
        return f"expected a {expected} but the result is a {physical} ({value['unit']})"
    return None
