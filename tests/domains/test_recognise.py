"""Entity recognisers on real questions, including look-alikes."""

from domains import get_pack, recognise


def kinds(text, domain=None):
    return [(e.kind, e.text) for e in recognise(text, domain)]


def test_smiles_in_prose_and_parentheses():
    assert kinds("weight of aspirin (SMILES CC(=O)Oc1ccccc1C(=O)O) in g/mol?", "chemistry") == \
        [("smiles", "CC(=O)Oc1ccccc1C(=O)O")]
    assert kinds("toluene (Cc1ccccc1)?", "chemistry") == [("smiles", "Cc1ccccc1")]


def test_english_words_are_not_smiles():
    assert kinds("No CO in the box, I said", "chemistry") == []


def test_sequences_by_alphabet():
    assert kinds("Translate ATGGCCATTGTAATGGGC please", "biology") == [("dna", "ATGGCCATTGTAATGGGC")]
    assert kinds("mRNA AUGGCCAUUGUA", "biology") == [("rna", "AUGGCCAUUGUA")]
    assert kinds("pI of MKTAYIAKQRQISFVKSHFSRQ", "biology") == [("protein", "MKTAYIAKQRQISFVKSHFSRQ")]
    assert kinds("PROTEINS are GREAT", "biology") == []


def test_astronomy_values():
    found = recognise("Convert 5 km/s at z=0.5 with Planck18 for 10h21m0s +41d12m on 2020-01-01T00:00", "astronomy")
    assert [(e.kind, e.text) for e in found] == [
        ("quantity", "5 km/s"), ("redshift", "z=0.5"), ("cosmology", "Planck18"),
        ("coordinate", "10h21m0s +41d12m"), ("time", "2020-01-01T00:00")]
    assert found[0].value == {"value": 5.0, "unit": "km/s"}


def test_overlaps_keep_the_longer_entity():
    # "1C" inside the SMILES parses as one coulomb; the SMILES wins.
    assert kinds("lisinopril NCCCC[C@H](N)C(=O)N1CCC[C@H]1C(=O)O") == \
        [("smiles", "NCCCC[C@H](N)C(=O)N1CCC[C@H]1C(=O)O")]


def test_every_pack_follows_the_protocol():
    from domains import DomainPack, domain_names

    for name in domain_names():
        pack = get_pack(name)
        assert isinstance(pack, DomainPack) and pack.name == name
        assert pack.surface.roots and pack.vocabulary
