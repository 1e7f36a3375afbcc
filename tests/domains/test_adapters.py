"""Adapters: question text to library objects and back, and clear errors for bad input."""

from __future__ import annotations

import pytest

from domains import InvalidInputError, coerce, find_adapter, get_pack, parse_entity, recognise


def render(domain: str, obj):
    """Render with the pack's own renderers (nested values rendered the same way)."""
    for renderer in get_pack(domain).renderers:
        module = __import__(renderer.module, fromlist=[renderer.type_name])
        if isinstance(obj, getattr(module, renderer.type_name)):
            return renderer.render(obj, lambda nested: render(domain, nested) if hasattr(nested, "unit") else
                                   (float(nested) if hasattr(nested, "dtype") else nested))
    raise AssertionError(f"no {domain} renderer for {type(obj)}")


@pytest.mark.parametrize("domain, type_text, text, rendered", [
    ("chemistry", "Mol", "OCC", "CCO"),
    ("chemistry", "rdkit.Chem.rdchem.Mol", "InChI=1S/C2H6O/c1-2-3/h3H,2H2,1H3", "CCO"),
    ("biology", "Seq", "5'-atgc gatc-3'", "ATGCGATC"),
    ("biology", "Seq", "MKTAYIAKQR", "MKTAYIAKQR"),
    ("astronomy", "Quantity-like ['length']", "3.2e-3 pc", {"value": 0.0032, "unit": "pc"}),
    ("astronomy", "Quantity", {"value": 5, "unit": "km/s"}, {"value": 5.0, "unit": "km / s"}),
    ("astronomy", "Time", "2020-01-01T12:00:00", "2020-01-01T12:00:00.000"),
    ("astronomy", "Time", "JD 2451545.0", "2000-01-01T12:00:00.000"),
    ("astronomy", "Time", 51544.0, "2000-01-01T00:00:00.000"),
])
def test_parse_then_render_then_parse_again(domain, type_text, text, rendered):
    obj = coerce(type_text, text)
    assert render(domain, obj) == rendered
    again = coerce(type_text, rendered)
    assert render(domain, again) == rendered


def test_coordinates_angles_and_cosmologies():
    from astropy import units as u

    vega = coerce("SkyCoord", "18h36m56.34s +38d47m01.3s")
    assert vega.ra.deg == pytest.approx(279.2347, abs=1e-3) and vega.dec.deg == pytest.approx(38.7837, abs=1e-3)
    assert coerce("SkyCoord", "RA 150.1192°, Dec +2.2050°").dec.deg == pytest.approx(2.205)
    galactic = coerce("SkyCoord", (120.0, -30.0, "galactic"))
    assert galactic.frame.name == "galactic"
    assert coerce("Angle", "10d20m").to(u.deg).value == pytest.approx(10 + 20 / 60)
    assert coerce("SkyCoord", "05h35m17s, Dec −05d23m28s").dec.deg == pytest.approx(-5.3911, abs=1e-3)
    assert coerce("substitution_matrix", "PAM250")["W"]["C"] == -8
    site = coerce("EarthLocation", {"lat": -24.6272, "lon": -70.4042, "height": 2635.0})
    assert site.lat.deg == pytest.approx(-24.6272) and site.height.value == pytest.approx(2635.0)
    assert coerce("Table", "name  rv\nA  3.1\nB  5.2").colnames == ["name", "rv"]
    assert coerce("Header", "SIMPLE  =  T\nEXPTIME =  450.0 / [s]")["EXPTIME"] == 450.0
    assert coerce("FlatLambdaCDM", "Planck18").H0.value == pytest.approx(67.66)


def test_fasta_record_and_fingerprint():
    record = coerce("SeqRecord", ">r1 my read\nACGTACGT\nAC\n")
    assert record.id == "r1" and str(record.seq) == "ACGTACGTAC"
    assert coerce("ExplicitBitVect", "0110").GetNumOnBits() == 2


def test_library_objects_and_unclaimed_types_pass_through():
    from rdkit import Chem

    mol = Chem.MolFromSmiles("CCO")
    assert coerce("Mol", mol) is mol
    assert coerce("int", "3") == "3" and coerce(None, 5) == 5
    assert find_adapter("bool") is None


@pytest.mark.parametrize("type_text, value, message", [
    ("Mol", "C1CC(", r"not a valid SMILES: 'C1CC\(' \(syntax error\)"),
    ("Mol", "C(C)(C)(C)(C)C", r"not a valid SMILES: .*valence for atom # 0 C, 5"),
    ("Mol", "InChI=1S/garbage", r"not a valid InChI"),
    ("Mol", 42, r"expected a SMILES, InChI or molblock string, got 42"),
    ("ExplicitBitVect", "0102", r"not a fingerprint bit string"),
    ("Seq", "ATGC1", r"not a biological sequence: 'ATGC1' contains '1'"),
    ("Seq", "   ", r"empty sequence"),
    ("SeqRecord", "ACGT", r"not FASTA text"),
    ("SeqRecord", ">a\nAC\n>b\nGT\n", r"expected one FASTA record, found 2"),
    ("Quantity", "five km", r"not a quantity with a unit: 'five km' \(it must start with a number\)"),
    ("Quantity", "5 furlongz", r"not a quantity with a unit: '5 furlongz'"),
    ("Unit", "parsnips", r"not a unit: 'parsnips'"),
    ("Angle", "ten degrees", r"not an angle: 'ten degrees'"),
    ("SkyCoord", "10h21m0s +95d00m", r"not a sky coordinate: '10h21m0s \+95d00m'"),
    ("SkyCoord", "150.1", r"expected a right ascension and a declination"),
    ("Time", "yesterday", r"not a time: 'yesterday'"),
    ("Cosmology", "Planck99", r"unknown cosmology 'Planck99'; Astropy ships .*Planck18"),
    ("QueryMol", "[n;R1", r"not a valid SMARTS: '\[n;R1'"),
    ("RestrictionType", "BamH1", r"no restriction enzyme named 'BamH1' .*did you mean BamHI"),
    ("CodonTable", 19, r"there is no NCBI genetic code 19"),
    ("EarthLocation", {"lat": 95.0, "lon": 10.0}, r"latitude 95.0° is outside -90..90"),
    ("EarthLocation", {"lon": 1.0, "height": 2.0}, r"not an observing site"),
    ("EarthLocation", {"lat": "28", "lon": 1.0}, r"not an observing site"),
    ("Table", "/etc/hostname", r"not a table: '/etc/hostname' \(expected a header line and rows\)"),
    ("substitution_matrix", "BLOSUM55", r"no substitution matrix named 'BLOSUM55'; did you mean BLOSUM50"),
])
def test_bad_input_is_a_clear_domain_error(type_text, value, message):
    with pytest.raises(InvalidInputError, match=message):
        coerce(type_text, value)


def test_entities_parse_into_library_objects():
    question = "logP of CC(=O)O at 5 km/s with Planck 2018 for ATGGCCATTGTAATGG on 2020-01-01"
    parsed = {e.kind: type(parse_entity(e)).__name__ for e in recognise(question)}
    assert parsed == {"smiles": "Mol", "quantity": "Quantity", "cosmology": "FlatLambdaCDM", "dna": "Seq",
                      "time": "Time"}
    (broken,) = recognise("the logP of C1CC( please", "chemistry")
    with pytest.raises(InvalidInputError, match="not a valid SMILES"):
        parse_entity(broken)


def test_genetic_codes_smarts_and_enzymes_become_library_objects():
    (table,) = [e for e in recognise("Translate ATGGCTTGATAA using NCBI genetic code 2.", "biology")
                if e.kind == "codon_table"]
    assert parse_entity(table).id == 2
    assert coerce("QueryMol", "[OX2H]").GetNumAtoms() == 1
    assert str(coerce("RestrictionType", "EcoRI")) == "EcoRI"
