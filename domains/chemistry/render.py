"""RDKit objects as JSON: a molecule is its canonical SMILES."""

from __future__ import annotations

import sys

from domains._protocol import Renderer


def _mol(mol, child):
    return child(sys.modules["rdkit.Chem"].MolToSmiles(mol))


RENDERERS = (Renderer("rdkit.Chem", "Mol", _mol),)
