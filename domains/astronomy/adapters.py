"""From question text to Astropy objects: quantities, units, sky coordinates,
angles, times and named cosmologies. Astropy's own parsers do the work; their
errors are restated as ``InvalidInputError`` naming the input."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from domains._protocol import Adapter
from domains.errors import InvalidInputError

# Julian dates of the modern era are above this; smaller numbers are MJDs.
_JD_THRESHOLD = 1_000_000


@contextmanager
def _astropy_errors(what: str, value: Any) -> Iterator[None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    except InvalidInputError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, OSError) as error:
        raise InvalidInputError(f"not {what}: {value!r} ({' '.join(str(error).split())[:200]})") from None


def parse_quantity(value: Any):
    """A ``Quantity`` from ``"5 km/s"``, ``{"value": 5, "unit": "km/s"}`` or a number
    (dimensionless)."""
    from astropy import units as u

    with _astropy_errors("a quantity with a unit", value):
        if isinstance(value, dict):
            return u.Quantity(value["value"], value["unit"])
        if isinstance(value, str) and not re.match(r"^\s*[-+]?(\d|\.\d)", value):
            raise InvalidInputError(f"not a quantity with a unit: {value!r} (it must start with a number)")
        return u.Quantity(value)


def parse_unit(value: Any):
    from astropy import units as u

    with _astropy_errors("a unit", value):
        return u.Unit(value, parse_strict="raise")


def parse_angle(value: Any):
    """An ``Angle`` from ``"10d20m"``, ``"1h30m"``, ``"12.5 deg"``, or a number of degrees."""
    from astropy import units as u
    from astropy.coordinates import Angle

    with _astropy_errors("an angle", value):
        return Angle(value, unit=u.deg) if isinstance(value, (int, float)) else Angle(value)


def parse_skycoord(value: Any):
    """A ``SkyCoord`` from ``"10h21m0s +41d12m"``, ``"150.1 2.2"`` (degrees),
    ``(ra, dec)`` or ``(ra, dec, frame)``, or ``{"ra", "dec", "frame"}``."""
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    with _astropy_errors("a sky coordinate", value):
        if isinstance(value, dict):
            value = (value["ra"], value["dec"], value.get("frame", "icrs"))
        if isinstance(value, (list, tuple)):
            ra, dec, *frame = value
            unit = (u.hourangle, u.deg) if isinstance(ra, str) and "h" in ra else u.deg
            return SkyCoord(ra, dec, unit=unit, frame=frame[0] if frame else "icrs")
        text = re.sub(r"\b(?:RA|Dec)\b\s*=?\s*|°|,", " ", str(value).replace("−", "-"), flags=re.IGNORECASE).strip()
        if re.search(r"\d\s*h|:", text):
            return SkyCoord(text, unit=(u.hourangle, u.deg))
        parts = text.split()
        if len(parts) != 2:
            raise InvalidInputError(f"not a sky coordinate: {value!r} (expected a right ascension and a declination)")
        return SkyCoord(*parts, unit=u.deg)


def parse_time(value: Any):
    """A ``Time`` from an ISO string, ``"JD 2451545"``, ``"MJD 51544"`` or a number
    (a Julian date above 1,000,000, else a modified Julian date)."""
    from astropy.time import Time

    with _astropy_errors("a time", value):
        if isinstance(value, (int, float)):
            return Time(value, format="jd" if value > _JD_THRESHOLD else "mjd")
        match = re.fullmatch(r"\s*(MJD|JD)\s*=?\s*([\d.]+)\s*", str(value), re.IGNORECASE)
        if match:
            return Time(float(match.group(2)), format=match.group(1).lower())
        return Time(value)


def parse_cosmology(value: Any):
    """A cosmology realisation by name (``"Planck18"``, ``"WMAP9"``)."""
    from astropy.cosmology import realizations

    if value not in realizations.available:
        raise InvalidInputError(f"unknown cosmology {value!r}; Astropy ships {', '.join(realizations.available)}")
    return getattr(realizations, value)


def parse_site(value: Any):
    """An ``EarthLocation`` from ``{"lat", "lon", "height"}`` (degrees, metres; east
    and north positive), as the recogniser reads "lat 28.76° N, lon 17.88° W, 2396 m"."""
    from astropy import units as u
    from astropy.coordinates import EarthLocation

    numbers = isinstance(value, dict) and all(isinstance(value.get(key, 0), (int, float)) for key in ("lat", "lon", "height"))
    if not numbers or not {"lat", "lon"} <= set(value):
        raise InvalidInputError(f"not an observing site: {value!r} (expected latitude, longitude and height in numbers)")
    if not -90 <= value["lat"] <= 90:
        raise InvalidInputError(f"not an observing site: latitude {value['lat']}° is outside -90..90")
    with _astropy_errors("an observing site", value):
        return EarthLocation.from_geodetic(value["lon"] * u.deg, value["lat"] * u.deg, value.get("height", 0) * u.m)


def parse_table(value: Any):
    """A ``Table`` from CSV or whitespace-separated text with a header line (never a
    file: text without a line break would be read as a path)."""
    from astropy.table import Table

    if not isinstance(value, str) or "\n" not in value.strip():
        raise InvalidInputError(f"not a table: {value!r} (expected a header line and rows)")
    with _astropy_errors("a table", value):
        return Table.read(str(value), format="ascii")


def parse_fits_header(value: Any):
    """A FITS ``Header`` from cards pasted one per line."""
    from astropy.io import fits

    with _astropy_errors("a FITS header", value):
        return fits.Header.fromstring(str(value), sep="\n")


ADAPTERS: tuple[Adapter, ...] = (
    # "1.3 parsecs" is recognised as a quantity whose unit word astropy does not read:
    # a recogniser's guess that fails to parse is no proof that the question is wrong.
    Adapter(("Quantity", "Quantity-like"), parse_quantity, kinds=("quantity",), proves_invalid=False),
    Adapter(("Unit", "UnitBase", "unit-like"), parse_unit, kinds=("unit",)),
    Adapter(("Angle", "Longitude", "Latitude"), parse_angle, kinds=("angle",)),
    # SkyCoord forwards frame methods (separation, position_angle) to BaseCoordinateFrame.
    Adapter(("SkyCoord", "BaseCoordinateFrame"), parse_skycoord, kinds=("coordinate",)),
    Adapter(("Time",), parse_time, kinds=("time",)),
    Adapter(("EarthLocation",), parse_site, kinds=("site",)),
    # Pasted tables and headers are often loose; a parse failure is no proof of bad input.
    Adapter(("Table", "QTable"), parse_table, kinds=("table",), proves_invalid=False),
    Adapter(("Header",), parse_fits_header, kinds=("fits_header",), proves_invalid=False),
    Adapter(("Cosmology", "FLRW", "FlatLambdaCDM", "LambdaCDM"), parse_cosmology, kinds=("cosmology",)),
)
