"""Validators: plausibility checks on rendered results."""

from domains import get_pack


def test_chemistry():
    pack = get_pack("chemistry")
    assert pack.validate("rdkit.Chem.Descriptors.MolWt", 180.16) == []
    assert pack.validate("rdkit.Chem.Descriptors.MolWt", -3) == \
        ["rdkit.Chem.Descriptors.MolWt returned -3.0: a molecule's weight is positive"]
    assert pack.validate("rdkit.Chem.rdMolDescriptors.CalcFractionCSP3", 1.3)
    assert pack.validate("rdkit.Chem.Lipinski.NumHDonors", 2.5)
    assert pack.validate("rdkit.Chem.Lipinski.NumHDonors", 2) == []


def test_biology():
    pack = get_pack("biology")
    assert pack.validate("Bio.SeqUtils.gc_fraction", 0.5) == []
    assert pack.validate("Bio.SeqUtils.gc_fraction", 50.0)
    assert pack.validate("Bio.SeqUtils.ProtParam.ProteinAnalysis.isoelectric_point", 17.0)


def test_astronomy_signs_and_expected_physical_type():
    pack = get_pack("astronomy")
    distance = {"value": 6791.0, "unit": "Mpc"}
    assert pack.validate("astropy.cosmology.FLRW.luminosity_distance", distance, "length") == []
    assert pack.validate("astropy.cosmology.FLRW.luminosity_distance", {"value": -1.0, "unit": "Mpc"})
    assert pack.validate("astropy.units.Quantity.to", {"value": 3.0, "unit": "s"}, "length") == \
        ["expected a length but the result is a time (s)"]
    assert pack.validate("astropy.units.Quantity.to", 3.0, "speed") == ["expected a quantity of type 'speed', got 3.0"]


def test_non_finite_numbers_are_never_plausible():
    for name in ("chemistry", "biology", "astronomy"):
        assert get_pack(name).validate("anything", float("nan"))
        assert get_pack(name).validate("anything", "inf")
