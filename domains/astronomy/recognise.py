"""Find astronomical values in a question: quantities, sky coordinates, angles,
observing sites, pasted tables and FITS headers, times, redshifts and named
cosmologies."""

from __future__ import annotations

import re
import warnings
from functools import cache

from domains._protocol import Entity
from domains.units import target_unit

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
# A number followed by a unit expression such as "km/s", "erg s^-1 cm^-2" or "Msun".
_QUANTITY = re.compile(rf"(?<![\w.])({_NUMBER})\s*((?:[A-Za-z_µ°☉⊙⊕♃]+(?:\^?-?\d+)?(?:\s*[/*]\s*|\s+(?=[A-Za-z_]+\^?-?\d))?)+)")
# Astronomers' symbols for solar, Earth and Jupiter units, in astropy's spelling.
_SYMBOL_UNITS = {"☉": "sol", "⊙": "sol", "⊕": "earth", "♃": "jupiter"}
_SYMBOL_KIND = {"M": "Mass", "R": "Rad", "L": "Lum"}
_SEXAGESIMAL = re.compile(
    r"\d{1,2}h\s?\d{1,2}m(?:\s?\d+(?:\.\d+)?s)?[\s,]+(?:Dec\s*=?\s*)?[-+−]?\d{1,2}d\s?\d{1,2}m(?:\s?\d+(?:\.\d+)?s)?"
    r"|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?[\s,]+[-+]\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"
    # "RA 150.1192°, Dec +2.2050°" and "RA = 10.68 deg, Dec = 41.27 deg"
    r"|\bRA\s*=?\s*\d+(?:\.\d+)?\s*(?:°|deg(?:rees)?)?[\s,;]+(?:and\s+)?Dec\s*=?\s*[-+−]?\d+(?:\.\d+)?\s*(?:°|deg(?:rees)?)?"
)
# One sexagesimal angle on its own: a right ascension "13h29m52.7s" or "-05d23m28s".
_ANGLE = re.compile(r"(?<![\w.])[-+−]?\d{1,3}[hd]\s?\d{1,2}m(?:\s?\d+(?:\.\d+)?s)?(?![\w.])")
# An observing site: "lat 28.7606° N, lon 17.8792° W, 2396 m", "latitude -24.6 and longitude -70.4".
_SITE = re.compile(
    r"\blat(?:itude)?(?:\s*+=)?\s*+(?P<lat>[-+−]?\d++(?:\.\d++)?)(?:\s*+°)?(?:\s*+(?P<ns>[NS])\b)?[\s,;]++(?:and\s++)?"
    r"lon(?:gitude)?(?:\s*+=)?\s*+(?P<lon>[-+−]?\d++(?:\.\d++)?)(?:\s*+°)?(?:\s*+(?P<ew>[EW])\b)?(?:\s*+\([^)]*+\))?"
    r"(?:[\s,;]++(?:and\s++)?(?:(?:height|elevation|altitude)(?:\s*+=)?\s*+)?(?P<height>[-+]?\d++(?:\.\d++)?)\s*+"
    r"(?P<unit>km|m)\b)?",
    re.IGNORECASE)
# A table pasted as CSV: a header line and rows with as many commas.
_CSV_LINE = r"[^\n,]*(?:,[^\n,]*)+"
_CSV = re.compile(rf"^{_CSV_LINE}(?:\n{_CSV_LINE}){{2,}}", re.MULTILINE)
# A FITS header pasted as cards, one "KEYWORD = value / comment" per line.
_CARD = r"^[ \t]*[A-Z][A-Z0-9_-]{0,7}[ \t]*=[ \t]*\S[^\n]*"
_FITS_CARDS = re.compile(rf"(?:{_CARD}(?:\n|$)){{3,}}(?:[ \t]*END\b[^\n]*)?", re.MULTILINE)
# Cards are FITS only with a standard keyword among them ("MATCH = 2" lines are not).
_FITS_KEYWORD = re.compile(r"^[ \t]*(?:SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTNAME|EXPTIME|DATE-OBS|WCSAXES|"
                           r"CTYPE\d|CRPIX\d|CRVAL\d|CDELT\d|CUNIT\d|CD\d_\d|EQUINOX|RADESYS)[ \t]*=", re.MULTILINE)
_TIME = re.compile(
    r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b|\b(?:MJD|JD)\s*=?\s*\d+(?:\.\d+)?\b"
)
# "Planck18", "Planck 2018", "WMAP9", "WMAP 9-year": astropy's realisations by name or by year.
_COSMOLOGY = re.compile(r"\b(Planck|WMAP)[\s-]?((?:19|20)?\d{1,2})(?:-year)?\b")
_REDSHIFT = re.compile(rf"\b(?:z\s*=\s*|redshift(?:\s+of)?\s+(?:z\s*=\s*)?)({_NUMBER})", re.IGNORECASE)
# Words that parse as astropy units but are ordinary English in a question.
_UNIT_STOPWORDS = {"a", "an", "and", "at", "in", "is", "of", "or", "to", "the", "for", "from", "per", "as", "if"}


@cache
def cosmology_names() -> tuple[str, ...]:
    """Names of the cosmology realisations this astropy ships (Planck18, WMAP9, ...)."""
    from astropy.cosmology import realizations

    return tuple(realizations.available)


def _unit(text: str) -> str | None:
    """The longest leading part of ``text`` that astropy parses as a unit (plurals
    such as "parsecs" and symbols such as "M☉" included), or None."""
    words = text.split()
    if not words or words[0].lower() in _UNIT_STOPWORDS:
        return None
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        spelled = astropy_spelling(candidate)
        if _parses_as_unit(spelled) or (candidate.endswith("s") and len(candidate) > 3
                                        and _parses_as_unit(candidate[:-1])):
            return candidate
    return None


def _parseable(unit: str) -> str:
    """The unit as astropy reads it: symbols spelled out, a plural made singular."""
    spelled = astropy_spelling(unit)
    return spelled if _parses_as_unit(spelled) else spelled[:-1]


def astropy_spelling(unit: str) -> str:
    """``"M☉"`` -> ``"solMass"``, ``"R⊕"`` -> ``"earthRad"``; other text unchanged."""
    return re.sub(r"([MRL])([☉⊙⊕♃])", lambda m: _SYMBOL_UNITS[m[2]] + _SYMBOL_KIND[m[1]], unit)


def _parses_as_unit(text: str) -> bool:
    from astropy import units as u

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", u.UnitsWarning)
            u.Unit(text, parse_strict="raise")
    except (ValueError, TypeError):
        return False
    return True


def _quantities(text: str) -> list[Entity]:
    found = []
    for match in _QUANTITY.finditer(text):
        unit = _unit(match.group(2).strip())
        # "3D", "2x": a single letter glued to a number is a label, not a unit.
        glued = match.end(1) == match.start(2) and len(unit or "") == 1
        if unit and not glued:
            start = match.start(1)
            end = match.start(2) + match.group(2).find(unit) + len(unit)
            found.append(Entity("quantity", text[start:end], (start, end), "astronomy",
                                {"value": float(match.group(1)), "unit": _parseable(unit)}))
    return found


def _sites(text: str) -> list[Entity]:
    found = []
    for m in _SITE.finditer(text):
        lat, lon = float(m["lat"].replace("−", "-")), float(m["lon"].replace("−", "-"))
        lat = -lat if (m["ns"] or "").upper() == "S" else lat
        lon = -lon if (m["ew"] or "").upper() == "W" else lon
        height = float(m["height"]) * (1000 if (m["unit"] or "").lower() == "km" else 1) if m["height"] else 0.0
        found.append(Entity("site", m.group(), m.span(), "astronomy", {"lat": lat, "lon": lon, "height": height}))
    return found


def _prose(cells: list[str]) -> bool:
    """Sentences, not cells: a cell of four or more words, or one ending a sentence."""
    return any(len(cell.split()) > 3 or re.search(r"[.?!:]\s*$", cell) for cell in cells)


def _numeric_column(rows: list[tuple[int, str]]) -> bool:
    """Some column holds a number in every row."""
    columns = zip(*(line.split() for _, line in rows))
    return any(all(re.fullmatch(rf"{_NUMBER}", cell) for cell in column) for column in columns)


def _tables(text: str) -> list[Entity]:
    """CSV blocks, and runs of three or more lines with one number of whitespace-
    separated columns (two or more) and numbers below the header line."""
    found = [Entity("table", m.group(), m.span(), "astronomy", m.group()) for m in _CSV.finditer(text)
             if len({line.count(",") for line in m.group().splitlines()}) == 1 and not _prose(m.group().split(","))]
    lines = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    run: list[tuple[int, str]] = []
    for start, line in [*lines, (len(text), "")]:
        tabular = "," not in line and not re.match(_CARD, line)  # CSV and FITS cards are read elsewhere
        if run and tabular and len(line.split()) == len(run[0][1].split()):
            run.append((start, line))
            continue
        if len(run) >= 3 and len(run[0][1].split()) >= 2 and _numeric_column(run[1:]) \
                and not _prose([line for _, line in run]):
            begin, end = run[0][0], run[-1][0] + len(run[-1][1])
            found.append(Entity("table", text[begin:end], (begin, end), "astronomy", text[begin:end]))
        run = [(start, line)] if line and tabular else []
    return found


def recognise(text: str) -> list[Entity]:
    """Quantity, coordinate, angle, site, table, FITS header, time, redshift and
    cosmology entities in ``text``."""
    found = [Entity("coordinate", m.group(), m.span(), "astronomy", m.group()) for m in _SEXAGESIMAL.finditer(text)]
    found += _sites(text) + _tables(text)
    found += [Entity("fits_header", m.group().strip(), (m.start(), m.start() + len(m.group().rstrip())), "astronomy",
                     m.group().strip()) for m in _FITS_CARDS.finditer(text) if _FITS_KEYWORD.search(m.group())]
    found += [Entity("time", m.group(), m.span(), "astronomy", m.group()) for m in _TIME.finditer(text)]
    found += [Entity("angle", m.group(), m.span(), "astronomy", m.group().replace("−", "-"))
              for m in _ANGLE.finditer(text) if not any(a <= m.start() < b for a, b in (e.span for e in found))]
    found += [Entity("redshift", m.group(), m.span(), "astronomy", float(m.group(1))) for m in _REDSHIFT.finditer(text)]
    taken = [e.span for e in found]
    found += [e for e in _quantities(text) if not any(a <= e.span[0] < b for a, b in taken)]
    for m in _COSMOLOGY.finditer(text):
        name = f"{m.group(1)}{m.group(2)[-2:] if m.group(1) == 'Planck' else m.group(2)}"
        if name in cosmology_names():
            found.append(Entity("cosmology", m.group(), m.span(), "astronomy", name))
    target = target_unit(text)
    if target and not any(a <= target.start(1) < b for a, b in (e.span for e in found)):
        found.append(Entity("unit", target.group(1), target.span(1), "astronomy", target.group(1)))
    return found


