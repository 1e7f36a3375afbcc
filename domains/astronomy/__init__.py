"""Astronomy pack: Astropy."""

from pathlib import Path

from domains._base import Pack
from domains._protocol import IndexSurface
from domains.astronomy.dynamic import skycoord_members, time_members
from domains.astronomy.adapters import ADAPTERS
from domains.astronomy.recognise import recognise
from domains.astronomy.render import RENDERERS
from domains.astronomy.validators import VALIDATORS, check_expected
from domains.astronomy.vocabulary import VOCABULARY

pack = Pack(
    name="astronomy",
    surface=IndexSurface(
        library="astropy",
        roots=(
            "astropy.units", "astropy.constants", "astropy.coordinates", "astropy.cosmology", "astropy.time",
            "astropy.table", "astropy.stats", "astropy.modeling", "astropy.io.fits", "astropy.wcs", "astropy.timeseries",
        ),
        # Name resolution and site registries go to the network; setup modules are build-time only.
        skip=(
            "astropy.coordinates.name_resolve", "astropy.coordinates.SkyCoord.from_name",
            "astropy.coordinates.EarthLocation.of_address", "astropy.coordinates.EarthLocation.get_site_names",
            "astropy.coordinates.EarthLocation.of_site", "astropy.table.mixins.dask",
        ),
        # In Astropy 8, SkyCoord reaches frame methods (separation, ...) through __getattr__.
        delegations={"astropy.coordinates.SkyCoord": "astropy.coordinates.BaseCoordinateFrame"},
        dynamic_members={"astropy.time.Time": time_members, "astropy.coordinates.SkyCoord": skycoord_members},
    ),
    folder=Path(__file__).parent,
    recogniser=recognise,
    renderers=RENDERERS,
    adapters=ADAPTERS,
    validators=VALIDATORS,
    not_answers=("Equivalency",),
    check_expected=check_expected,
    vocabulary=VOCABULARY,
    entity_hints={
        # A value with a unit is almost always converted: the constructor and .to go together.
        "quantity": ("astropy.units.Quantity", "astropy.units.Quantity.to"),
        "coordinate": ("astropy.coordinates.SkyCoord",),
        "angle": ("astropy.coordinates.Angle",),
        "site": ("astropy.coordinates.EarthLocation.from_geodetic",),
        "table": ("astropy.table.Table.read",),
        "fits_header": ("astropy.io.fits.Header.fromstring",),
        "time": ("astropy.time.Time",),
        "redshift": (),
        # A named cosmology hints at its own realisation object (see retrieval: "{value}").
        "cosmology": ("astropy.cosmology.{value}",),
    },
)
