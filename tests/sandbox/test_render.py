"""The renderer, in-process: library objects become small, plain JSON."""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy import units as u
from astropy.coordinates import SkyCoord
from astropy.time import Time, TimeDelta
from Bio.Seq import Seq
from Bio.SeqRecord import SeqRecord
from rdkit import Chem

from assistant.sandbox._render import RenderLimits, render


@pytest.mark.parametrize(
    "obj, expected",
    [
        (Chem.MolFromSmiles("OCC"), "CCO"),
        (Seq("ATG"), "ATG"),
        (SeqRecord(Seq("ATG"), id="r1"), {"id": "r1", "seq": "ATG"}),
        (3 * u.km, {"value": 3.0, "unit": "km"}),
        (np.arange(3) * u.s, {"value": [0.0, 1.0, 2.0], "unit": "s"}),
        (Time("2020-01-01T00:00:00"), "2020-01-01T00:00:00.000"),
        (TimeDelta(1, format="jd"), {"value": 86400.0, "unit": "s"}),
        (u.km / u.s, "km / s"),
        (np.float32(1.5), 1.5),
        (np.array([[1, 2], [3, 4]]), [[1, 2], [3, 4]]),
        ({1: float("inf"), "b": (1, 2)}, {"1": "inf", "b": [1, 2]}),
        ({3, 1, 2}, [1, 2, 3]),
        (1 + 2j, {"real": 1.0, "imag": 2.0}),
        (None, None),
    ],
    ids=lambda v: type(v).__name__,
)
def test_known_types_render_to_json(obj, expected):
    shown = render(obj)
    assert shown.value == expected and not shown.truncated
    json.dumps(shown.value, allow_nan=False)


def test_sky_coordinates_keep_frame_and_components():
    icrs = render(SkyCoord(10 * u.deg, 20 * u.deg)).value
    assert icrs == {"frame": "icrs", "ra": {"value": 10.0, "unit": "deg"}, "dec": {"value": 20.0, "unit": "deg"}}
    galactic = render(SkyCoord(10 * u.deg, 20 * u.deg, distance=3 * u.pc).galactic).value
    assert set(galactic) == {"frame", "l", "b", "distance"} and galactic["distance"]["unit"] == "pc"


def test_unknown_objects_render_to_none_with_type_and_repr():
    class Thing:
        def __repr__(self) -> str:
            return "<thing>"

    shown = render(Thing())
    assert shown.value is None and shown.repr == "<thing>" and shown.type.endswith("Thing")


def test_everything_is_capped():
    limits = RenderLimits(max_items=10, max_chars=1000, max_repr=50)
    assert render(list(range(100)), limits).value == list(range(10))
    assert render(list(range(100)), limits).truncated
    assert len(render("x" * 10_000, limits).value) <= 1000
    assert render(np.arange(10**6), limits).value == list(range(10))
    assert len(render(["y" * 900] * 5, limits).value[1]) < 900
    assert len(render("z" * 10_000, limits).repr) <= 50
    assert render(2**5000).value is None and render(2**5000).truncated


def test_broken_objects_do_not_raise():
    class Broken:
        def __repr__(self) -> str:
            raise RuntimeError("no")

    class BadSeq(list):
        def __iter__(self):
            raise RuntimeError("no")

    assert "Broken" in render(Broken()).repr
    assert render(BadSeq([1])).value is None


def test_deep_nesting_stops_at_the_depth_limit():
    nested: list = []
    for _ in range(50):
        nested = [nested]
    shown = render(nested, RenderLimits(max_depth=5))
    assert shown.truncated and json.dumps(shown.value).count("[") <= 7
