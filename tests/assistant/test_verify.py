"""The echo check: an input handed back unchanged is no answer, a conversion is."""

import pytest

from assistant.sandbox import Sandbox
from assistant.verify import echo_problem
from domains import recognise


def test_an_echo_is_caught_but_a_conversion_is_not():
    with Sandbox() as sandbox:
        written = recognise("When is 2000-01-01T00:00:00 in JD?", "astronomy")
        same = sandbox.run("from astropy.time import Time\nTime('2000-01-01T00:00:00')")
        assert "unchanged" in echo_problem(same, written, sandbox)
        angle = recognise("What is a right ascension of 13h29m52.7s in decimal degrees?", "astronomy")
        degrees = sandbox.run("from astropy.coordinates import Angle\nAngle('13h29m52.7s').to('deg')")
        assert degrees.ok and echo_problem(degrees, angle, sandbox) is None


def test_units_convert_spectrally_only_between_plain_units():
    from assistant.verify import in_unit

    assert in_unit({"value": 656.28, "unit": "nm"}, "THz")["value"] == pytest.approx(456.806, rel=1e-5)
    assert in_unit({"value": 2.0, "unit": "km"}, "m") == {"value": 2000.0, "unit": "m"}
    # km/s/Mpc is a frequency as well, but a distance is no Hubble parameter
    assert in_unit({"value": 3000.0, "unit": "Mpc"}, "km/s/Mpc") is None
