"""Attributes Astropy classes answer through ``__getattr__``, listed from Astropy's own
registries so the index knows ``Time.jd`` and ``SkyCoord.galactic``."""

from __future__ import annotations

import inspect


def time_members() -> dict[str, str]:
    """Time formats (``jd``, ``mjd``, ``iso``, ...) and scales (``utc``, ``tdb``, ...)."""
    from astropy.time import Time

    members = {}
    for name, cls in Time.FORMATS.items():
        doc = inspect.getdoc(cls) or ""
        members[name] = f"The time as {name} format: {doc}".strip()
    for scale in Time.SCALES:
        members[scale] = f"The same time in the {scale.upper()} time scale (a new Time object)."
    return members


def skycoord_members() -> dict[str, str]:
    """Frame names (``galactic``, ``fk5``, ...) that transform the coordinate, and the
    components of common frames (``ra``, ``dec``, ``l``, ``b``, ``distance``)."""
    from astropy.coordinates import Galactic, ICRS, frame_transform_graph

    members = {}
    for name in frame_transform_graph.get_names():
        frame = frame_transform_graph.lookup_name(name)
        summary = (inspect.getdoc(frame) or "").split("\n")[0]
        members[name] = f"This coordinate transformed to the {name} frame. {summary}".strip()
    for frame in (ICRS, Galactic):
        for component, label in frame().representation_component_names.items():
            members.setdefault(component, f"The {component} component of the coordinate ({label}, "
                                          f"{frame.__name__} frame) as an Angle or Distance.")
    members.setdefault("distance", "The distance component of the coordinate as a Distance.")
    return members
