from retrieval._boost import format_signature, parse_boost_doc

DOC = """
MolFromSmiles( (AnyStr)SMILES, (SmilesParserParams)params) -> Mol :
    Construct a molecule from a SMILES string.

    C++ signature :
        RDKit::ROMol* MolFromSmiles(boost::python::api::object,RDKit::v1::SmilesParserParams)

MolFromSmiles( (AnyStr)SMILES [, (bool)sanitize=True [, (dict)replacements={}]]) -> Mol :
    Construct a molecule from a SMILES string.

      ARGUMENTS:
        - SMILES: the smiles string
        - sanitize: (optional) toggles sanitization of the molecule.

    C++ signature :
        RDKit::ROMol* MolFromSmiles(boost::python::api::object [,bool=True [,boost::python::dict={}]])
"""


def test_every_overload_with_optional_brackets():
    overloads = parse_boost_doc(DOC)
    assert [len(o.params) for o in overloads] == [2, 3]
    smiles, sanitize, replacements = overloads[1].params
    assert (smiles.name, smiles.type, smiles.default) == ("SMILES", "AnyStr", None)
    assert (sanitize.name, sanitize.type, sanitize.default) == ("sanitize", "bool", "True")
    assert (replacements.name, replacements.default) == ("replacements", "{}")
    assert overloads[1].returns == "Mol"
    assert "C++ signature" not in overloads[1].text


def test_self_is_dropped_from_methods():
    doc = "\nGetNumAtoms( (Mol)self [, (int)onlyHeavy=-1 [, (bool)onlyExplicit=True]]) -> int :\n    Returns n.\n"
    (overload,) = parse_boost_doc(doc)
    assert [p.name for p in overload.params] == ["onlyHeavy", "onlyExplicit"]
    assert format_signature("GetNumAtoms", overload) == \
        "GetNumAtoms(onlyHeavy: int = -1, onlyExplicit: bool = True) -> int"


def test_defaults_containing_commas_and_brackets_stay_whole():
    doc = "\nF( (Mol)mol [, (tuple)x=(1, 2) [, (list)y=[3, 4]]]) -> None :\n    Does it.\n"
    (overload,) = parse_boost_doc(doc)
    assert [(p.name, p.default) for p in overload.params] == [("mol", None), ("x", "(1, 2)"), ("y", "[3, 4]")]


def test_real_rdkit_function():
    from rdkit import Chem

    overloads = parse_boost_doc(Chem.MolFromSmiles.__doc__)
    assert overloads and all(o.returns == "Mol" for o in overloads)
    assert "sanitize" in {p.name for o in overloads for p in o.params}
