from retrieval._docparse import parse_params, summarise
from retrieval._fusion import reciprocal_rank_fusion
from retrieval._text import expand, name_words


def test_names_split_on_dots_camel_case_snake_case_and_digits():
    assert name_words("rdkit.Chem.Descriptors.MolWt") == ["rdkit", "chem", "descriptors", "mol", "wt"]
    assert name_words("GetNumHeavyAtoms") == ["get", "num", "heavy", "atoms"]
    assert name_words("MolToSMILES2D") == ["mol", "to", "smiles", "2", "d"]
    assert name_words("gc_fraction") == ["gc", "fraction"]


def test_vocabulary_spells_out_abbreviations_after_the_word():
    assert expand(["mol", "wt"], {"wt": "weight", "mol": "molecule"}) == ["mol", "molecule", "wt", "weight"]


def test_summary_is_first_sentence_skipping_signature_lines_and_sections():
    assert summarise("f(x, y)\n\nCompute the thing. Then more.") == "Compute the thing."
    assert summarise("ARGUMENTS:\n  - x: a value\n") == ""
    assert len(summarise("word " * 100)) <= 200


def test_numpydoc_and_bullet_parameters():
    numpydoc = "Do.\n\nParameters\n----------\nz : float\n    Redshift.\n\nReturns\n-------\nQuantity\n"
    params, returns = parse_params(numpydoc)
    assert params["z"].type == "float" and params["z"].doc == "Redshift."
    assert returns == "Quantity"
    bullets, _ = parse_params("Do.\n\n  ARGUMENTS:\n    - mol: the molecule\n    - force: recompute\n")
    assert bullets["mol"].doc == "the molecule" and "force" in bullets


def test_rrf_rewards_agreement_and_weights():
    fused = reciprocal_rank_fusion({"a": ["x", "y", "z"], "b": ["y", "x"]}, k=60)
    assert [item for item, _, _ in fused][:2] in (["x", "y"], ["y", "x"])
    assert fused[-1][0] == "z" and fused[-1][2] == {"a": 3}
    boosted = reciprocal_rank_fusion({"a": ["x", "y"], "hint": ["z"]}, weights={"hint": 3.0})
    assert boosted[0][0] == "z"
