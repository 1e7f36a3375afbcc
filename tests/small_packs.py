"""Domain packs cut down to a few modules, so tests build real indexes in seconds.

Tests register them in place of the full packs (see ``use_small_packs`` in conftest).
"""

from __future__ import annotations

import dataclasses

from domains import get_pack

SMALL_ROOTS = {
    "chemistry": ("rdkit.Chem.Descriptors", "rdkit.Chem.Crippen", "rdkit.Chem.rdmolfiles", "rdkit.Chem.Lipinski"),
    "biology": ("Bio.SeqUtils", "Bio.Seq"),
    "astronomy": ("astropy.cosmology", "astropy.time"),
}


def small_pack(domain: str):
    """The real domain pack with its roots cut down to a few modules."""
    pack = get_pack(domain)
    return dataclasses.replace(pack, surface=dataclasses.replace(pack.surface, roots=SMALL_ROOTS[domain]))


chemistry = small_pack("chemistry")
biology = small_pack("biology")
astronomy = small_pack("astronomy")
