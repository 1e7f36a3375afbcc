"""Chemistry pack: RDKit."""

from pathlib import Path

from domains._base import Pack
from domains._protocol import IndexSurface
from domains.chemistry.adapters import ADAPTERS
from domains.chemistry.recognise import recognise
from domains.chemistry.render import RENDERERS
from domains.chemistry.validators import VALIDATORS
from domains.chemistry.vocabulary import VOCABULARY

pack = Pack(
    name="chemistry",
    surface=IndexSurface(
        library="rdkit",
        roots=("rdkit.Chem", "rdkit.DataStructs"),
        # Windows-only viewers, optional databases and pandas patching: not part of
        # what a question can call here.
        skip=("rdkit.Chem.DSViewer", "rdkit.Chem.MolDb", "rdkit.Chem.PandasPatcher", "rdkit.Chem.PandasTools"),
    ),
    folder=Path(__file__).parent,
    recogniser=recognise,
    renderers=RENDERERS,
    adapters=ADAPTERS,
    validators=VALIDATORS,
    vocabulary=VOCABULARY,
    entity_hints={
        "smiles": ("rdkit.Chem.MolFromSmiles",),
        "bad_smiles": ("rdkit.Chem.MolFromSmiles",),
        "inchi": ("rdkit.Chem.MolFromInchi",),
        "molblock": ("rdkit.Chem.MolFromMolBlock",),
        "smarts": ("rdkit.Chem.MolFromSmarts",),
        "reaction": ("rdkit.Chem.AllChem.ReactionFromSmarts",),
    },
)
