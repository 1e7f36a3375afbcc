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
    from importlib.metadata import entry_points

    from domains import DomainPack, Entity, domain_names

    registered = {ep.name for ep in entry_points(group="sciwand.domains")}
    assert {"chemistry", "biology", "astronomy"} <= registered  # discovered, not hard-wired
    for name in domain_names():
        pack = get_pack(name)
        assert isinstance(pack, DomainPack) and pack.name == name
        assert pack.surface.roots and pack.vocabulary and pack.renderers and pack.adapters
        assert all(isinstance(e, Entity) for e in pack.recognise("nothing to see here"))
        assert pack.tasks().exists()
        assert pack.validate(f"{name}.anything", 1.0) == []


def test_blocks_enzymes_and_strand_ends():
    fasta = "How many records?\n>a first\nACGTACGTAA\n>b\nGGGCCCAATT\n"
    assert [e.kind for e in recognise(fasta, "biology")] == ["fasta"]
    assert kinds("Leaves of ((A:0.1,B:0.2):0.3,C:0.4);", "biology") == [("newick", "((A:0.1,B:0.2):0.3,C:0.4);")]
    assert kinds("Do EcoRI and HindIII cut it? In Italy, no.", "biology") == [("enzyme", "EcoRI"), ("enzyme", "HindIII")]
    assert kinds("Where does BamH1 cut? Planck18 or Gly4Ser?", "biology") == [("enzyme", "BamH1")]  # refused by name
    assert kinds("complement of 5'-ATGCRYTTAGC-3' please", "biology") == [("dna", "ATGCRYTTAGC")]


def test_smarts_reactions_and_broken_smiles():
    assert kinds("apply [C:1](=O)[OH].[N;H2:2]>>[C:1](=O)[N:2] now", "chemistry") == \
        [("reaction", "[C:1](=O)[OH].[N;H2:2]>>[C:1](=O)[N:2]")]
    assert kinds("match [CX3](=O)[OX2H1] in it", "chemistry") == [("smarts", "[CX3](=O)[OX2H1]")]
    assert kinds("logP of C1CC( please", "chemistry") == [("bad_smiles", "C1CC(")]


def test_units_plurals_years_and_labels():
    assert kinds("How many light-years is 1.3 parsecs?", "astronomy") == [("quantity", "1.3 parsecs")]
    assert kinds("a 3D model of it", "astronomy") == []
    star = recognise("a 0.8 M☉ star of 2 R⊕", "astronomy")
    assert [e.value for e in star] == [{"value": 0.8, "unit": "solMass"}, {"value": 2.0, "unit": "earthRad"}]
    found = recognise("Assuming the Planck 2018 cosmology", "astronomy")
    assert [(e.kind, e.value) for e in found] == [("cosmology", "Planck18")]
    assert kinds("star at RA 150.1192°, Dec +2.2050° tonight", "astronomy") == \
        [("coordinate", "RA 150.1192°, Dec +2.2050°")]


def test_each_pack_renders_its_library_objects_to_json():
    import json

    from astropy import units as u
    from astropy.time import Time
    from Bio.Seq import Seq
    from rdkit import Chem

    def render(obj):
        for pack in (get_pack("chemistry"), get_pack("biology"), get_pack("astronomy")):
            for renderer in pack.renderers:
                cls = getattr(__import__(renderer.module, fromlist=[renderer.type_name]), renderer.type_name)
                if isinstance(obj, cls):
                    return renderer.render(obj, lambda nested: nested if not hasattr(nested, "unit") else render(nested))
        raise AssertionError(f"no renderer for {type(obj)}")

    assert render(Chem.MolFromSmiles("OCC")) == "CCO"
    assert render(Seq("ATGC")) == "ATGC"
    assert render(5 * u.km / u.s) == {"value": 5.0, "unit": "km / s"}
    assert render(Time("2020-01-01T00:00:00")) == "2020-01-01T00:00:00.000"
    json.dumps([render(Chem.MolFromSmiles("c1ccccc1")), render(3 * u.pc)])


def test_look_alikes_are_not_entities():
    # English words and element symbols RDKit would parse; a year beside a unit-like word
    assert kinds("No, I need CO data from In and Co samples", "chemistry") == []
    assert kinds("In 2019 we observed it again", "astronomy") == []
    assert [e.kind for e in recognise("the 2015 survey at z = 0.3", "astronomy")] == ["redshift"]
    assert kinds("GRANDVIEW and ACCEPTED are words", "biology") == []
    assert kinds("PCR of the ATGCAT", "biology") == [("dna", "ATGCAT")]


def test_names_and_angles_are_not_broken_smiles():
    # Identifiers with digits, sexagesimal angles and acronyms that RDKit would parse
    text = "NAXIS1 and WGS84 at 18h36m56.34s in NCBI table 3 with BLOSUM62, MMFF94, Fsp3, CO(1-0), CRC-32"
    assert [e for e in recognise(text, "chemistry")] == []
    assert kinds("the broken C1CC( and CN1C=NC2=C1C(=O)N(C(=O)N2C", "chemistry") == \
        [("bad_smiles", "C1CC("), ("bad_smiles", "CN1C=NC2=C1C(=O)N(C(=O)N2C")]
    assert kinds("attach a methyl to the ring", "biology") == []


def test_labelled_coordinates_and_lone_angles():
    assert kinds("Vega, RA 18h36m56.34s, Dec +38d47m01.3s (ICRS)?", "astronomy") == \
        [("coordinate", "18h36m56.34s, Dec +38d47m01.3s")]
    assert kinds("a right ascension of 13h29m52.7s in degrees", "astronomy") == [("angle", "13h29m52.7s")]


def test_substitution_matrices_and_aligned_sites():
    found = recognise("Score with BLOSUM62 or BLOSUM55, not the GENETIC code; the JONES matrix\n", "biology")
    assert [(e.kind, e.value) for e in found] == [
        ("substitution_matrix", "BLOSUM62"), ("substitution_matrix", "BLOSUM55"), ("substitution_matrix", "JONES")]
    sites = recognise("Consensus of these sites?\nTACAA\nTACGC\nAATGC\n", "biology")
    assert [(e.kind, e.value) for e in sites] == [("sites", ["TACAA", "TACGC", "AATGC"])]
    assert recognise("Uneven lines\nTACAA\nTAC\nAATGC\n", "biology") == []


def test_sites_tables_headers_and_molfiles():
    site = recognise("From La Palma (lat 28.7606° N, lon 17.8792° W, 2396 m), when?", "astronomy")
    assert [(e.kind, e.value) for e in site] == [("site", {"lat": 28.7606, "lon": -17.8792, "height": 2396.0})]
    csv = recognise("Brightest?\nname,V\nHD 1,8.2\nHD 2,6.9\n", "astronomy")
    spaced = recognise("Mean per group, in order of name.\nname  rv\nA   3.1\nB   5.2\nA   3.3\n", "astronomy")
    assert [e.kind for e in csv] == ["table"] and [e.text.splitlines()[0] for e in spaced] == ["name  rv"]
    header = recognise("Exposure?\nSIMPLE  =  T\nNAXIS   =  2\nEXPTIME =  450.0 / [s]\nEND", "astronomy")
    assert [e.kind for e in header] == ["fits_header"] and header[0].text.endswith("END")
    molfile = "What is it?\n     RDKit          2D\n\n  2  1  0  0  0  0  0  0  0  0999 V2000\n" \
              "    0.0 0.0 0.0 C   0  0\n    1.0 0.0 0.0 O   0  0\n  1  2  1  0\nM  END"
    assert [e.kind for e in recognise(molfile)] == ["molblock"]


def test_prose_and_assignments_are_no_tables_or_headers():
    prose = "Take the DNA ATGGCCATTGTAATGGGCCGCTGA, then translate it.\nIf there is a stop, stop there.\nOtherwise, go on."
    assert [e.kind for e in recognise(prose)] == ["dna"]
    scores = "Use these scores:\nMATCH = 2\nMISMATCH = -1\nGAP = -2\nAlign ACGT and AGT."
    assert "fits_header" not in [e.kind for e in recognise(scores)]
    assert kinds("at lat 30, lon 40 and 2 km", "astronomy")[0][0] == "site"
    assert recognise("at lat 30, lon 40 and 2 km", "astronomy")[0].value["height"] == 2000.0
    assert kinds("lat 5" + " " * 3000 + "x", "astronomy") == []  # returns at once: no backtracking blow-up
    assert kinds("a ChrII fragment cut by Hind3", "biology") == [("enzyme", "Hind3")]
