"""Harvest API entries from an installed library by introspection.

Every public function, class, data object, method and property reachable from the
module roots a domain pack declares becomes one ``ApiEntry`` named where it is
defined, with every public path users import it by recorded as an alias. Inherited
members are aliases of the base class's entry (``FlatLambdaCDM.luminosity_distance``
is an alias of ``FLRW.luminosity_distance``), and so are members a class reaches by
delegation (``SkyCoord.separation``).
"""

from __future__ import annotations

import importlib.metadata
import inspect
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from domains import DomainPack
from retrieval._boost import is_boost_callable
from retrieval._describe import describe
from retrieval._model import ApiEntry, Kind
from retrieval._walk import is_public_path, quiet_imports, skipped, walk_modules

HARVESTER_VERSION = "5"
_SCALARS = (dict, list, tuple, frozenset, set, int, float, complex, str)


@dataclass
class _Draft:
    name: str
    kind: Kind
    obj: Any
    owner: str | None = None
    aliases: set[str] = field(default_factory=set)


def library_version(library: str) -> str:
    """The installed distribution version of ``library`` (``rdkit``, ``biopython``, ...)."""
    return importlib.metadata.version(library)


def harvest(pack: DomainPack, progress: Callable[[int, int], None] | None = None) -> list[ApiEntry]:
    """Every public API entry under the pack's roots, sorted by canonical name."""
    harvester = _Harvester(pack)
    with quiet_imports():
        harvester.collect_modules(walk_modules(pack.surface))
        harvester.collect_members()
        harvester.collect_delegations()
        harvester.collect_dynamic()
        return harvester.entries(progress)


class _Harvester:
    def __init__(self, pack: DomainPack) -> None:
        self.pack = pack
        self.surface = pack.surface
        self.top = self.surface.roots[0].split(".")[0]
        self.version = library_version(self.surface.library)
        self.drafts: dict[str, _Draft] = {}
        self.by_id: dict[int, str] = {}

    # -- module level -------------------------------------------------------
    def collect_modules(self, modules: list[ModuleType]) -> None:
        roots = set(self.surface.roots)
        for module in modules:
            for attr, obj in sorted(_public_attributes(module).items()):
                path = f"{module.__name__}.{attr}"
                if attr.startswith("_") or inspect.ismodule(obj) or skipped(path, self.surface):
                    continue
                if inspect.isclass(obj) or _is_routine(obj):
                    canonical = self._canonical(obj, module, attr) if self._home(obj) else None
                    if canonical and not skipped(canonical, self.surface):  # re-exports of skipped modules too
                        self._add(canonical, "class" if inspect.isclass(obj) else "function", obj, path)
                elif self._is_data(obj, module.__name__ in roots):
                    self._add_data(obj, path)

    def _home(self, obj: Any) -> bool:
        home = getattr(obj, "__module__", None)
        return isinstance(home, str) and home.split(".")[0] == self.top

    def _is_data(self, obj: Any, in_root: bool) -> bool:
        """Instances of the library's types (units, constants, cosmologies) and plain
        tables and values (``MeltingTemp.DNA_NN3``, ``CodonTable.unambiguous_dna_by_id``)."""
        if isinstance(obj, bool) or obj is None or callable(obj) and not hasattr(obj, "unit"):
            return False
        return type(obj).__module__.split(".")[0] == self.top or isinstance(obj, _SCALARS)

    def _canonical(self, obj: Any, module: ModuleType, attr: str) -> str:
        """``module.qualname`` where the object is defined, if that path really leads
        to it; otherwise the first public path it was found under."""
        home = obj.__module__
        qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
        if isinstance(qualname, str) and "<" not in qualname and _resolves(home, qualname, obj):
            return f"{home}.{qualname}"
        if getattr(sys.modules.get(home), attr, None) is obj:
            return f"{home}.{attr}"
        return f"{module.__name__}.{attr}"

    def _add(self, name: str, kind: Kind, obj: Any, alias: str, owner: str | None = None) -> _Draft:
        known = self.by_id.get(id(obj)) if kind in ("class", "function") else None
        draft = self.drafts.get(known or name)
        if draft is None:
            draft = self.drafts[name] = _Draft(name, kind, obj, owner)
            if kind in ("class", "function"):
                self.by_id[id(obj)] = name
        if alias != draft.name and is_public_path(alias):
            draft.aliases.add(alias)
        return draft

    def _add_data(self, obj: Any, path: str) -> None:
        """Data objects are named by the deepest module holding them (``astropy.units.si.m``,
        alias ``astropy.units.m``); scalars are never merged by identity."""
        key = id(obj) if not isinstance(obj, (int, float, complex, str)) else None
        name = self.by_id.get(key) if key is not None else None
        if name is None:
            self.drafts[path] = _Draft(path, "data", obj)
            if key is not None:
                self.by_id[key] = path
            return
        draft = self.drafts[name]
        if path.count(".") > draft.name.count("."):
            del self.drafts[name]
            draft.aliases.add(draft.name)
            draft.name = path
            self.drafts[path] = draft
            self.by_id[key] = path
        else:
            draft.aliases.add(path)
        draft.aliases.discard(draft.name)

    # -- class members --------------------------------------------------------
    def collect_members(self) -> None:
        for draft in [d for d in self.drafts.values() if d.kind == "class"]:
            paths = [draft.name, *sorted(draft.aliases)]
            for member, attr, base in self._members(draft.obj):
                owner = self._class_name(self._family(draft.obj, base) if _member_kind(attr) == "data" else base)
                name = f"{owner}.{member}"
                if any(skipped(f"{p}.{member}", self.surface) for p in paths):
                    continue
                for path in paths:
                    self._add(name, _member_kind(attr), attr, f"{path}.{member}", owner)

    def _members(self, cls: type) -> Iterator[tuple[str, Any, type]]:
        """Public methods and properties of ``cls``, own and inherited from classes of
        the same library, each with the class that defines it (first in the MRO). A
        compiled base that hides its module (``_pairwisealigner.PairwiseAligner``) is
        no entry of its own: its members (``mode``, ``match_score``) go to ``cls``."""
        seen: set[str] = set()
        for base in inspect.getmro(cls):
            own = dict(vars(base))
            for member in sorted(own):
                if member in seen:
                    continue
                seen.add(member)
                hidden = _hidden_extension(base)
                if member.startswith("_") or not (self._home(base) or hidden) or _member_kind(own[member]) is None:
                    continue
                yield member, own[member], cls if hidden else base

    def _family(self, cls: type, base: type) -> type:
        """Where a class data attribute is recorded: the most generic class of this
        library above ``cls``. Hundreds of restriction enzyme classes each set
        ``site``; they share one ``RestrictionType.site`` entry, not hundreds."""
        library = [c for c in inspect.getmro(cls) if self._home(c)]
        return library[-1] if len(library) > 1 else base

    def _class_name(self, cls: type) -> str:
        return self.by_id.get(id(cls)) or f"{cls.__module__}.{cls.__qualname__}"

    def collect_delegations(self) -> None:
        for source, target in self.surface.delegations.items():
            source_draft, target_draft = self.drafts.get(self._resolve(source)), self.drafts.get(self._resolve(target))
            if source_draft is None or target_draft is None:
                continue
            paths = [source_draft.name, *sorted(source_draft.aliases)]
            for member, attr, base in self._members(target_draft.obj):
                if hasattr(source_draft.obj, member):
                    continue
                for path in paths:
                    self._add(f"{self._class_name(base)}.{member}", _member_kind(attr), attr, f"{path}.{member}",
                              self._class_name(base))

    def collect_dynamic(self) -> None:
        """Members a class answers through ``__getattr__`` (``Time.jd``, ``SkyCoord.galactic``),
        listed by the pack with their documentation."""
        for source, provide in self.surface.dynamic_members.items():
            draft = self.drafts.get(self._resolve(source))
            if draft is None:
                continue
            paths = [draft.name, *sorted(draft.aliases)]
            for member, doc in provide().items():
                if hasattr(draft.obj, member):
                    continue
                for path in paths:
                    self._add(f"{draft.name}.{member}", "property", property(doc=doc), f"{path}.{member}", draft.name)

    def _resolve(self, dotted: str) -> str:
        """The canonical name of the entry a public alias names."""
        for draft in self.drafts.values():
            if dotted == draft.name or dotted in draft.aliases:
                return draft.name
        return dotted

    # -- entries --------------------------------------------------------------
    def entries(self, progress: Callable[[int, int], None] | None = None) -> list[ApiEntry]:
        drafts = sorted(self.drafts.values(), key=lambda d: d.name)
        out = []
        for i, draft in enumerate(drafts):
            short = draft.name.split(".")[-1]
            described = describe(draft.obj, short, draft.kind, draft.owner)
            out.append(ApiEntry(
                name=draft.name, kind=draft.kind, domain=self.pack.name, library=self.surface.library,
                version=self.version, aliases=tuple(sorted(draft.aliases - {draft.name})),
                signature=described.signature, params=described.params, returns=described.returns,
                summary=described.summary, summary_source=described.summary_source, doc=described.doc,
                owner=draft.owner,
            ))
            if progress and i % 500 == 0:
                progress(i, len(drafts))
        if progress:
            progress(len(drafts), len(drafts))
        return out


def _public_attributes(module: ModuleType) -> dict[str, Any]:
    """The module's namespace plus names in ``__all__`` it only provides lazily
    through a module ``__getattr__`` (``astropy.cosmology.Planck18``)."""
    found = dict(vars(module))
    for attr in getattr(module, "__all__", ()):
        if attr not in found:
            try:
                found[attr] = getattr(module, attr)
            except Exception:  # noqa: BLE001 - a lazy attribute that fails is not available
                continue
    return found


def _is_routine(obj: Any) -> bool:
    return inspect.isroutine(obj) or is_boost_callable(obj)


def _hidden_extension(base: type) -> bool:
    """A compiled class whose module is a private top-level name, not a package path."""
    module = getattr(base, "__module__", "") or ""
    return module.startswith("_") and "." not in module and module not in sys.stdlib_module_names


def _member_kind(attr: Any) -> Kind | None:
    if isinstance(attr, property) or type(attr).__name__ in ("getset_descriptor", "member_descriptor",
                                                              "lazyproperty", "classproperty"):
        return "property"
    if isinstance(attr, (staticmethod, classmethod)) or inspect.isroutine(attr) or is_boost_callable(attr):
        return "method"
    if isinstance(attr, _SCALARS) and not isinstance(attr, bool):
        return "data"
    return None


def _resolves(module: str, qualname: str, obj: Any) -> bool:
    target: Any = sys.modules.get(module)
    for part in qualname.split("."):
        target = getattr(target, part, None)
    return target is obj
