"""Hybrid search on the small real index."""

from __future__ import annotations

import pytest

from domains import UnknownDomainError


def names(hits):
    return [h.entry.public_name for h in hits]


def test_words_find_the_function(searcher):
    hits = searcher.search("average molecular weight of a molecule", domain="chemistry", k=5)
    assert "rdkit.Chem.Descriptors.MolWt" in names(hits)
    assert all(h.entry.domain == "chemistry" for h in hits)


def test_a_smiles_in_the_question_surfaces_the_parser(searcher):
    hits = searcher.search("What is the logP of CC(=O)Oc1ccccc1C(=O)O?", k=5)
    found = [h.entry.name for h in hits]
    # The small index does not walk rdkit.Chem, so the hint resolves by import to where it is defined.
    assert "rdkit.Chem.rdmolfiles.MolFromSmiles" in found
    assert "rdkit.Chem.Crippen.MolLogP" in found
    assert hits[found.index("rdkit.Chem.rdmolfiles.MolFromSmiles")].why.get("entity") == 1


def test_a_dna_sequence_routes_to_biology(searcher):
    hits = searcher.search("reverse complement of ATGGCCATTGTAATGGGCCGC", k=5)
    assert hits[0].entry.domain == "biology"
    assert "Bio.Seq.Seq.reverse_complement" in {n for h in hits for n in h.entry.names}


def test_modes_and_scores(searcher):
    for mode in ("bm25", "dense", "hybrid"):
        hits = searcher.search("melting temperature of a primer", k=3, mode=mode)
        assert len(hits) == 3
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_unknown_domain_names_the_installed_ones(searcher):
    with pytest.raises(UnknownDomainError, match="installed domain packs: chemistry, biology, astronomy"):
        searcher.search("anything", domain="geology")


def test_langchain_retriever(searcher):
    from langchain_core.retrievers import BaseRetriever

    from retrieval import SciwandRetriever

    retriever = SciwandRetriever(k=5, domain="biology", searcher=searcher)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("GC content of a sequence")
    assert len(documents) == 5
    assert any(d.metadata["name"] == "Bio.SeqUtils.gc_fraction" for d in documents)
    assert documents[0].metadata["library"] == "biopython" and documents[0].page_content


def test_pack_notes_reach_the_entries(searcher):
    from domains import get_pack

    entry = searcher.entry("Bio.SeqUtils.gc_fraction")
    assert entry.note and entry.note == get_pack("biology").search_notes()["Bio.SeqUtils.gc_fraction"]


def test_methods_of_the_input_type_are_ranked(searcher):
    hits = searcher.search("Translate ATGGCCATTGTAATGGGCCGCTGA into protein", k=5)
    translate = next(h for h in hits if "Bio.Seq.Seq.translate" in h.entry.names)
    assert "member" in translate.why  # a DNA sequence makes a Seq, and translate is a Seq method


def test_notes_name_companions():
    from retrieval._index import DomainIndex
    from retrieval._model import ApiEntry

    def entry(name, note="", kind="function"):
        return ApiEntry(name, kind, "chemistry", "rdkit", "1", note=note)

    entries = [entry("rdkit.Chem.MolFromSmarts", "count groups with Mol.HasSubstructMatch or GetSubstructMatches"),
               entry("rdkit.Chem.Mol.HasSubstructMatch", kind="method"),
               entry("rdkit.Chem.Mol.GetSubstructMatches", kind="method"),
               entry("rdkit.Chem.Other.GetSubstructMatches", kind="method"),
               entry("rdkit.Chem.Another.GetSubstructMatches", "has a note", kind="method")]
    index = DomainIndex("chemistry", entries, lexical=None, collection="")
    # Dotted mentions match two segments; a bare name prefers an entry with a note, then the shortest.
    assert index.companions(0) == [1, 4]
    assert index.companions(1) == []


def test_parallel_copies_of_a_data_object_show_once():
    from retrieval._model import ApiEntry, Hit
    from retrieval._search import _distinct

    def data(name):
        return ApiEntry(name, "data", "astronomy", "astropy", "8")

    current = data("astropy.constants.R_sun")
    hits = [Hit(data("astropy.constants.iau2012.R_sun"), 3.0), Hit(data("astropy.units.deg"), 2.0),
            Hit(data("astropy.constants.si.R_sun"), 1.0), Hit(data("rdkit.Chem.Descriptors3D.descList"), 0.5)]
    kept = _distinct(hits, 5, lambda e: current if e.public_name.endswith("R_sun") else e)
    assert [h.entry.public_name for h in kept] == \
        ["astropy.constants.R_sun", "astropy.units.deg", "rdkit.Chem.Descriptors3D.descList"]
    assert kept[0].score == 3.0


def test_a_data_object_is_shown_as_its_current_default(searcher):
    from retrieval._model import ApiEntry

    def data(name, kind_of):
        return ApiEntry(name, "data", "astronomy", "astropy", "8", returns=kind_of)

    searcher._data = {("astronomy", "astropy.constants.R_sun"): data("astropy.constants.R_sun", "IAU2015"),
                      ("astronomy", "astropy.units.pct"): data("astropy.units.pct", "Unit")}
    try:
        assert searcher._current_default(data("astropy.constants.iau2012.R_sun", "IAU2012")).public_name == \
            "astropy.constants.R_sun"
        assert searcher._current_default(data("astropy.units.cds.pct", "PrefixUnit")).public_name == \
            "astropy.units.cds.pct"
    finally:
        searcher._data = None


def test_recipes_bring_in_the_entries_a_task_calls(searcher):
    # The question holds no SMILES and names no descriptor; the rule-of-five recipe
    # brings the parser and the descriptors it calls.
    hits = searcher.search("Does this drug candidate pass the rule of five?", domain="chemistry", k=10)
    from_recipes = {n for h in hits if "recipe" in h.why for n in h.entry.names}
    assert {"rdkit.Chem.rdmolfiles.MolFromSmiles", "rdkit.Chem.Lipinski.NumHDonors"} <= from_recipes


def test_recipe_vectors_are_cached_by_text(tmp_path, embedder):
    from domains import Recipe
    from retrieval._recipes import recipe_vectors, recipe_vectors_path

    class Counting:
        calls = 0

        def encode(self, texts, **options):
            Counting.calls += 1
            return embedder.encode(texts, **options)

    rings = (Recipe("count the rings of a molecule", ("rdkit.Chem.MolFromSmiles",), ("How many rings has it?",)),)
    first = recipe_vectors("chemistry", rings, Counting(), tmp_path)
    again = recipe_vectors("chemistry", rings, Counting(), tmp_path)
    assert Counting.calls == 1 and first.shape == (2, 384) and (first == again).all()

    recipe_vectors_path("chemistry", rings, tmp_path).write_bytes(b"damaged")
    assert (recipe_vectors("chemistry", rings, Counting(), tmp_path) == first).all() and Counting.calls == 2

    weigh = (Recipe("weigh a molecule", ("rdkit.Chem.MolFromSmiles",)),)
    recipe_vectors("chemistry", weigh, Counting(), tmp_path)
    assert len(list((tmp_path / "chemistry").glob("*.npy"))) == 2  # a search keeps another install's cookbook
    recipe_vectors("chemistry", weigh, Counting(), tmp_path, prune=True)
    assert list((tmp_path / "chemistry").glob("*")) == [recipe_vectors_path("chemistry", weigh, tmp_path)]


def test_recipes_without_entries_in_the_index_are_left_out(tmp_path, embedder):
    from domains import Recipe
    from retrieval._recipes import open_recipe_book

    class Pack:
        name = "chemistry"

        def recipes(self):
            return (Recipe("parse a protein structure", ("Bio.PDB.PDBParser",), ("read 1abc.pdb",)),
                    Recipe("count the rings", ("rdkit.Chem.MolFromSmiles", "rdkit.Chem.RingInfo.NumRings")))

    rows = {"rdkit.Chem.MolFromSmiles": 7}
    book = open_recipe_book(Pack(), rows.get, embedder, tmp_path)
    assert [r.task for r in book.recipes] == ["count the rings"] and book.rows == [[7]]
    assert book.vectors.shape == (1, 384) and book.owners.tolist() == [0]
    assert book.scores("rings", embedder.encode(["count the rings"])[0]).shape == (1,)
