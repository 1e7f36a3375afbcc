"""Discovery of domain packs through the ``sciwand.domains`` entry-point group.

A separate distribution adds a library by declaring
``[project.entry-points."sciwand.domains"] mylib = "mypkg:pack"``.
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points

from domains._protocol import DomainPack
from domains.errors import UnknownDomainError

_BUILTIN = {
    "chemistry": "domains.chemistry:pack",
    "biology": "domains.biology:pack",
    "astronomy": "domains.astronomy:pack",
}


@cache
def _specs() -> dict[str, str]:
    """Entry points found in installed metadata, falling back to the built-in packs
    so that a source checkout without ``pip install -e`` still works."""
    found = {ep.name: ep.value for ep in entry_points(group="sciwand.domains")}
    return {**_BUILTIN, **found}


def domain_names() -> list[str]:
    """Names of every installed domain pack, built-ins first."""
    return list(_specs())


@cache
def get_pack(name: str) -> DomainPack:
    """The pack called ``name``; raises ``UnknownDomainError`` listing the known ones."""
    spec = _specs().get(name)
    if spec is None:
        raise UnknownDomainError(name, domain_names())
    module_name, _, attr = spec.partition(":")
    module = __import__(module_name, fromlist=[attr])
    pack = getattr(module, attr)
    if not isinstance(pack, DomainPack):
        raise TypeError(f"entry point {name!r} -> {spec} is not a DomainPack")
    return pack


def all_packs() -> list[DomainPack]:
    """Every installed pack, in ``domain_names()`` order."""
    return [get_pack(name) for name in domain_names()]
