"""What the fork server imports once so that every child starts warm.

Private module. Importing RDKit, Biopython, Astropy and scipy costs over a
second; a child forked after the imports gets them for free. Astropy is told
never to download (IERS tables, cached data): children have no network, and a
download attempt would only turn into a slow failure.
"""

from __future__ import annotations

import importlib
import threading

DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy", "scipy", "scipy.integrate", "scipy.optimize", "scipy.special",
    "rdkit", "rdkit.Chem", "rdkit.Chem.AllChem", "rdkit.Chem.Descriptors", "rdkit.Chem.rdMolDescriptors",
    "rdkit.Chem.Crippen", "rdkit.Chem.Lipinski", "rdkit.Chem.rdFingerprintGenerator", "rdkit.DataStructs",
    "Bio", "Bio.Seq", "Bio.SeqRecord", "Bio.SeqUtils", "Bio.SeqUtils.ProtParam", "Bio.Align", "Bio.SeqIO",
    "Bio.Data.CodonTable",
    "astropy", "astropy.units", "astropy.constants", "astropy.coordinates", "astropy.time",
    "astropy.cosmology", "astropy.table",
)  # fmt: skip


def warm(modules: tuple[str, ...]) -> list[str]:
    """Import ``modules`` and configure them for offline use; returns warnings.

    A module that fails to import is reported, not fatal: the sandbox still
    works, that library just is not available (or is imported per child).
    """
    warnings = [f"preload {name}: {type(exc).__name__}: {exc}" for name, exc in _import_all(modules)]
    warnings += _astropy_offline()
    warnings += _renderers()
    if threading.active_count() > 1:
        warnings.append(f"{threading.active_count()} threads after preload; forking them is unsafe")
    return warnings


def _import_all(modules: tuple[str, ...]) -> list[tuple[str, Exception]]:
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - report any import failure
            failed.append((name, exc))
    return failed


def _astropy_offline() -> list[str]:
    """No IERS auto-download and no remote data; warm the cosmology realisations."""
    try:
        from astropy.utils import data, iers

        iers.conf.auto_download = False
        data.conf.allow_internet = False
        from astropy.cosmology import Planck18  # noqa: F401 - reads its table once, here
    except Exception as exc:  # noqa: BLE001
        return [f"astropy offline setup: {type(exc).__name__}: {exc}"]
    return []


def _renderers() -> list[str]:
    """Collect the domain packs' renderers once, so children inherit them."""
    try:
        from assistant.sandbox._render import handlers

        handlers()
    except Exception as exc:  # noqa: BLE001 - rendering then falls back to plain values
        return [f"domain renderers: {type(exc).__name__}: {exc}"]
    return []
