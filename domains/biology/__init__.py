"""Biology pack: Biopython."""

from pathlib import Path

from domains._base import Pack
from domains._protocol import IndexSurface
from domains.biology.adapters import ADAPTERS
from domains.biology.recognise import recognise
from domains.biology.render import RENDERERS
from domains.biology.validators import INPUT_CHECKS, VALIDATORS
from domains.biology.vocabulary import VOCABULARY

pack = Pack(
    name="biology",
    surface=IndexSurface(
        library="biopython",
        roots=(
            "Bio.Seq", "Bio.SeqRecord", "Bio.SeqUtils", "Bio.SeqIO", "Bio.AlignIO", "Bio.Align",
            "Bio.Restriction", "Bio.Data.CodonTable", "Bio.Data.IUPACData", "Bio.motifs", "Bio.Phylo", "Bio.PDB",
        ),
        # Network downloads and optional database/format back ends.
        skip=("Bio.PDB.PDBList", "Bio.motifs.jaspar.db", "Bio.Phylo.CDAOIO", "Bio.PDB.mmtf", "Bio.PDB.binary_cif"),
    ),
    folder=Path(__file__).parent,
    recogniser=recognise,
    renderers=RENDERERS,
    adapters=ADAPTERS,
    validators=VALIDATORS,
    input_checks=INPUT_CHECKS,
    vocabulary=VOCABULARY,
    input_errors=("TranslationError",),
    entity_hints={
        "dna": ("Bio.Seq.Seq",),
        "rna": ("Bio.Seq.Seq",),
        "protein": ("Bio.Seq.Seq", "Bio.SeqUtils.ProtParam.ProteinAnalysis"),
        "fasta": ("Bio.SeqIO.parse", "Bio.SeqIO.read"),
        "newick": ("Bio.Phylo.read",),
        "enzyme": ("Bio.Restriction.{value}",),
        "sites": ("Bio.motifs.create",),
        "substitution_matrix": ("Bio.Align.substitution_matrices.load", "Bio.Align.PairwiseAligner"),
    },
)
