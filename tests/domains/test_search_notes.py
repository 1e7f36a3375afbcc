"""Every pack's search notes name real API objects and stay short."""

import pytest

from domains import domain_names, get_pack
from retrieval._resolve import MISSING, resolve

MAX_WORDS = 45


@pytest.mark.parametrize("domain", domain_names())
def test_notes_name_live_objects_briefly(domain):
    notes = get_pack(domain).search_notes()
    unknown = [name for name in notes if resolve(name) is MISSING]
    assert unknown == [], f"{domain} notes name objects that do not exist: {unknown}"
    long = [name for name, note in notes.items() if len(note.split()) > MAX_WORDS]
    assert long == [], f"{domain} notes over {MAX_WORDS} words: {long}"


def test_notes_load_from_the_pack_folder(tmp_path):
    from domains._base import load_search_notes

    (tmp_path / "search_notes.yaml").write_text("rdkit.Chem.MolFromSmiles: >\n  parse a SMILES\n  string\n")
    assert load_search_notes(tmp_path / "search_notes.yaml") == {"rdkit.Chem.MolFromSmiles": "parse a SMILES string"}
    assert load_search_notes(tmp_path / "absent.yaml") == {}
    (tmp_path / "bad.yaml").write_text("- a list\n")
    with pytest.raises(ValueError, match="mapping"):
        load_search_notes(tmp_path / "bad.yaml")
