"""Import every public module under a domain pack's roots, quietly and safely."""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import pkgutil
import warnings
from collections.abc import Iterator
from types import ModuleType

from domains import IndexSurface

log = logging.getLogger(__name__)

_TEST_PARTS = ("test", "tests", "testing", "conftest", "setup_package")


def is_public_path(dotted: str) -> bool:
    """False for private segments (``_src``), test modules and build-time helpers."""
    return not any(part.startswith("_") or part.startswith(_TEST_PARTS) for part in dotted.split("."))


def skipped(dotted: str, surface: IndexSurface) -> bool:
    """True if ``dotted`` is, or lies under, a name the pack asks to skip."""
    return any(dotted == s or dotted.startswith(s + ".") for s in surface.skip)


@contextlib.contextmanager
def quiet_imports() -> Iterator[None]:
    """Silence what libraries print or warn while their modules import (banners,
    deprecation notices, RDKit's C++ log), so harvesting output stays readable."""
    from rdkit import rdBase

    with rdBase.BlockLogs(), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def walk_modules(surface: IndexSurface) -> list[ModuleType]:
    """The importable public modules under ``surface.roots``, sorted by name.

    A module that fails to import (an optional dependency is missing) is logged and
    left out: it is not callable here either.
    """
    names: set[str] = set()
    with quiet_imports():
        for root in surface.roots:
            module = _try_import(root)
            if module is None:
                continue
            names.add(root)
            if hasattr(module, "__path__"):
                for info in pkgutil.walk_packages(module.__path__, root + ".", onerror=lambda name: None):
                    names.add(info.name)
        selected = sorted(n for n in names if is_public_path(n) and not skipped(n, surface))
        modules = [m for m in (_try_import(n) for n in selected) if m is not None]
    return modules


def _try_import(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except BaseException as error:  # noqa: BLE001 - SystemExit and friends from odd modules too
        log.info("skipping %s: %s: %s", name, type(error).__name__, error)
        return None
