"""Astropy objects as JSON: quantities as ``{value, unit}``, times as ISO strings,
coordinates as their frame and components."""

from __future__ import annotations

import sys

from domains._protocol import Renderer


def _quantity(quantity, child):
    return {"value": child(quantity.value), "unit": quantity.unit.to_string()}


def _time(time, child):
    return child(time.isot)


def _time_delta(delta, child):
    return _quantity(delta.to(sys.modules["astropy.units"].s), child)


def _coordinate(coordinate, child):
    frame = getattr(coordinate, "frame", coordinate)
    out = {"frame": frame.name}
    if frame.has_data:
        for name in frame.get_representation_component_names():
            component = getattr(frame, name)
            if name == "distance" and component.unit.physical_type == "dimensionless":
                continue  # a direction without a distance
            out[name] = child(component)
    return out


# Subclasses before their bases: Quantity is also an ndarray, and numpy comes last.
RENDERERS = (
    Renderer("astropy.time", "TimeDelta", _time_delta),
    Renderer("astropy.time", "Time", _time),
    Renderer("astropy.coordinates", "SkyCoord", _coordinate),
    Renderer("astropy.coordinates", "BaseCoordinateFrame", _coordinate),
    Renderer("astropy.units", "Quantity", _quantity),
    Renderer("astropy.units", "UnitBase", lambda unit, child: child(unit.to_string())),
)
