"""The harvester on the real installed libraries."""

from __future__ import annotations

import pytest

from domains import get_pack
from retrieval import harvest


@pytest.fixture(scope="module")
def entries():
    found = {}
    for domain in ("chemistry", "biology", "astronomy"):
        for entry in harvest(get_pack(domain)):
            found[entry.name] = entry
    return found


@pytest.fixture(scope="module")
def by_alias(entries):
    return {name: entry for entry in entries.values() for name in entry.names}


def test_scale_and_summaries(entries):
    assert len(entries) > 10_000
    summarised = sum(1 for e in entries.values() if e.summary)
    assert summarised / len(entries) >= 0.95


def test_boost_function_is_named_where_defined_and_aliased_where_imported(by_alias):
    entry = by_alias["rdkit.Chem.MolFromSmiles"]
    assert entry.name == "rdkit.Chem.rdmolfiles.MolFromSmiles"
    assert entry.public_name == "rdkit.Chem.MolFromSmiles"
    assert entry.kind == "function" and entry.returns == "Mol"
    assert "sanitize" in {p.name for p in entry.params}
    assert entry.summary == "Construct a molecule from a SMILES string."
    assert entry.library == "rdkit" and entry.version


def test_methods_and_properties_of_classes(by_alias):
    atoms = by_alias["rdkit.Chem.Mol.GetNumAtoms"]
    assert atoms.kind == "method" and atoms.signature.startswith("GetNumAtoms(")
    assert by_alias["astropy.time.Time.jd"].kind == "property"
    assert by_alias["astropy.units.Quantity.value"].kind == "property"


def test_inherited_and_delegated_members_are_aliases(by_alias):
    translate = by_alias["Bio.Seq.Seq.translate"]
    assert translate.kind == "method" and "Bio.Seq.Seq.translate" in translate.aliases
    distance = by_alias["astropy.cosmology.FlatLambdaCDM.luminosity_distance"]
    assert distance is by_alias["astropy.cosmology.FLRW.luminosity_distance"]
    separation = by_alias["astropy.coordinates.SkyCoord.separation"]
    assert separation.name == "astropy.coordinates.baseframe.BaseCoordinateFrame.separation"


def test_public_data_objects(by_alias):
    assert by_alias["astropy.constants.G"].kind == "data"
    assert "Gravitational" in by_alias["astropy.constants.G"].summary
    assert by_alias["astropy.cosmology.Planck18"].kind == "data"
    assert by_alias["astropy.units.ABmag"].kind == "data"
    assert by_alias["Bio.Data.CodonTable.unambiguous_dna_by_id"].kind == "data"


def test_numpydoc_parameters(by_alias):
    (z,) = [p for p in by_alias["astropy.cosmology.FLRW.luminosity_distance"].params if p.name == "z"]
    assert "redshift" in (z.doc or "").lower()


def test_no_private_test_or_network_names(entries):
    for entry in entries.values():
        public = [n for n in entry.names if not any(p.startswith("_") for p in n.split("."))]
        assert public or entry.owner, entry.name
        assert ".tests." not in entry.name
        assert not entry.name.startswith(("Bio.Entrez", "astropy.coordinates.name_resolve"))
    assert not any(n.endswith("SkyCoord.from_name") for e in entries.values() for n in e.names)


def test_every_name_a_dev_task_requires_is_an_entry(entries, by_alias):
    """The task spec: names are matched against canonical names and all public aliases;
    a path reached only through an instance is matched by the object it resolves to."""
    from eval._match import matches
    from eval.tasks import bundled_task_files, load_tasks

    by_tail: dict[str, list] = {}
    for entry in entries.values():
        by_tail.setdefault(entry.name.rsplit(".", 1)[-1], []).append(entry)
    missing = []
    for task in load_tasks(bundled_task_files()):
        for requirement in task.functions:
            if any(name in by_alias for name in requirement):
                continue
            candidates = [e for name in requirement for e in by_tail.get(name.rsplit(".", 1)[-1], [])]
            if not any(matches(requirement, e) for e in candidates):
                missing.append((task.id, requirement))
    assert not missing
