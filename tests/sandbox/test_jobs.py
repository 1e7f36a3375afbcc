"""Ordinary jobs: the libraries work inside the sandbox, state persists, feedback comes back."""

from __future__ import annotations

import json

import pytest

from assistant.sandbox import ExecResult, Sandbox, SandboxArgumentError, SandboxClosedError


def test_state_is_kept_across_runs(sandbox):
    first = sandbox.run("x = 40\ndef bump(v):\n    return v + 2")
    assert first.ok and first.value is None and first.new_session
    second = sandbox.run("bump(x)")
    assert second.ok and second.value == 42 and not second.new_session


def test_the_session_is_main_like_a_notebook(sandbox):
    result = sandbox.run("ran = False\nif __name__ == '__main__':\n    ran = True\nran")
    assert result.ok and result.value is True


def test_trailing_expression_is_the_value_and_underscore_keeps_it(sandbox):
    assert sandbox.run("[1, 2][0] + 1").value == 2
    assert sandbox.run("_ * 10").value == 20


def test_rdkit_snippet(sandbox):
    code = (
        "from rdkit import Chem\n"
        "from rdkit.Chem import Descriptors\n"
        "mol = Chem.MolFromSmiles('OC(=O)c1ccccc1OC(C)=O')\n"
        "round(Descriptors.MolWt(mol), 2)"
    )
    result = sandbox.run(code)
    assert result.ok and result.value == 180.16
    mol = sandbox.run("mol")
    assert mol.value == "CC(=O)Oc1ccccc1C(=O)O" and mol.type == "rdkit.Chem.rdchem.Mol"


def test_bad_smiles_error_text_comes_back_in_stderr(sandbox):
    result = sandbox.run("from rdkit import Chem\nChem.MolFromSmiles('C1CC(')")
    assert result.ok and result.value is None
    assert "SMILES Parse Error" in result.stderr


def test_biopython_snippet(sandbox):
    code = (
        "from Bio.Seq import Seq\n"
        "from Bio.SeqUtils import gc_fraction\n"
        "dna = Seq('ATGGCCATTGTAATGGGCCGCTGA')\n"
        "str(dna.translate(to_stop=True)), round(gc_fraction(dna), 3)"
    )
    result = sandbox.run(code)
    assert result.ok and result.value == ["MAIVMGR", 0.542]
    record = sandbox.run("from Bio.SeqRecord import SeqRecord\nSeqRecord(dna, id='frag1')")
    assert record.value == {"id": "frag1", "seq": "ATGGCCATTGTAATGGGCCGCTGA"}


def test_astropy_snippet(sandbox):
    distance = sandbox.run("import astropy.units as u\n(1 * u.pc).to(u.lyr)")
    assert distance.ok and distance.value["unit"] == "lyr" and distance.value["value"] == pytest.approx(3.2616, 1e-4)
    coord = sandbox.run(
        "from astropy.coordinates import SkyCoord\n"
        "a = SkyCoord(10 * u.deg, 20 * u.deg)\n"
        "b = SkyCoord(11 * u.deg, 20 * u.deg)\n"
        "a.separation(b).to(u.arcmin)"
    )
    assert coord.ok and coord.value["value"] == pytest.approx(56.38, abs=0.01)
    when = sandbox.run("from astropy.time import Time\nTime('2024-03-20T03:06:00', scale='utc')")
    assert when.value == "2024-03-20T03:06:00.000"


def test_astropy_cosmology_and_ut1_work_offline(sandbox):
    result = sandbox.run(
        "from astropy.cosmology import Planck18\nfrom astropy.time import Time\n"
        "Planck18.luminosity_distance(0.5).value, Time('2020-01-01', scale='utc').ut1.isot"
    )
    assert result.ok, result
    assert result.value[0] == pytest.approx(2919.3, rel=1e-3)


def test_numpy_and_scipy_values_become_plain_json(sandbox):
    result = sandbox.run("import numpy as np\nfrom scipy import integrate\nnp.arange(3) * 2, integrate.quad(np.sin, 0, np.pi)[0]")
    assert result.ok
    assert result.value[0] == [0, 2, 4] and result.value[1] == pytest.approx(2.0)


def test_module_not_preloaded_can_still_be_imported(sandbox):
    result = sandbox.run("import Bio.PDB, xml.dom.minidom\nBio.PDB.__name__")
    assert result.ok and result.value == "Bio.PDB"


def test_threads_and_scratch_files_work(sandbox):
    code = (
        "import threading, tempfile, os\n"
        "out = []\n"
        "t = threading.Thread(target=lambda: out.append(1)); t.start(); t.join()\n"
        "with tempfile.NamedTemporaryFile('w', delete=False) as f:\n    f.write('data')\n"
        "out, open(f.name).read(), os.path.dirname(f.name) == os.getcwd()"
    )
    result = sandbox.run(code)
    assert result.ok and result.value == [[1], "data", True]


def test_stdout_from_python_and_from_c_is_captured(sandbox):
    result = sandbox.run("import ctypes\nprint('from python')\nctypes.CDLL(None).printf(b'from C\\n')")
    assert result.ok
    assert "from python" in result.stdout and "from C" in result.stdout


def test_error_has_type_message_and_a_traceback_trimmed_to_user_code(sandbox):
    result = sandbox.run("def inner():\n    raise ValueError('bad input 7')\ninner()")
    assert result.status == "error"
    assert result.error.type == "ValueError" and result.error.message == "bad input 7"
    assert "<cell-" in result.error.traceback and "inner()" in result.error.traceback
    assert "_kernel.py" not in result.error.traceback and "_child.py" not in result.error.traceback


def test_syntax_error_is_reported(sandbox):
    result = sandbox.run("def broken(:\n    pass")
    assert result.status == "error" and result.error.type == "SyntaxError"
    assert "broken" in result.error.traceback


def test_call_resolves_dotted_names_and_chains_with_refs(sandbox):
    mol = sandbox.call("rdkit.Chem.MolFromSmiles", ["c1ccccc1O"], bind_to="x1")
    assert mol.ok and mol.value == "Oc1ccccc1"
    weight = sandbox.call("rdkit.Chem.Descriptors.MolWt", [{"$ref": "x1"}])
    assert weight.ok and weight.value == pytest.approx(94.113)
    atoms = sandbox.call("x1.GetNumAtoms")
    assert atoms.value == 7
    nested = sandbox.call("builtins.dict", [], {"mol": {"$ref": "x1"}, "n": [1, {"$ref": "x1"}]})
    assert nested.value == {"mol": "Oc1ccccc1", "n": [1, "Oc1ccccc1"]}
    assert sandbox.run("x1.GetNumAtoms()").value == 7  # bound values are ordinary session variables


def test_call_with_keyword_arguments_across_libraries(sandbox):
    seq = sandbox.call("Bio.Seq.Seq", ["ATGAAATAG"], bind_to="s")
    assert seq.value == "ATGAAATAG"
    protein = sandbox.call("s.translate", kwargs={"to_stop": True})
    assert protein.value == "MK"
    quantity = sandbox.call("astropy.units.Quantity", [3.0, "km"])
    assert quantity.value == {"value": 3.0, "unit": "km"}
    constant = sandbox.call("astropy.constants.c")
    assert constant.value == {"value": 299792458.0, "unit": "m / s"}


def test_call_errors_are_worded_for_the_model(sandbox):
    typo = sandbox.call("rdkit.Chem.MolFromSmile", ["CCO"])
    assert typo.status == "error" and typo.error.type == "AttributeError"
    assert "closest: rdkit.Chem.MolFromSmiles" in typo.error.message
    missing_ref = sandbox.call("rdkit.Chem.Descriptors.MolWt", [{"$ref": "nope"}])
    assert missing_ref.error.type == "NameError" and "'nope'" in missing_ref.error.message
    no_module = sandbox.call("notalibrary.thing")
    assert no_module.error.type == "ModuleNotFoundError"
    bad_name = sandbox.call("rdkit.Chem.MolFromSmiles", ["CCO"], bind_to="not a name")
    assert bad_name.error.type == "ValueError" and "bind_to" in bad_name.error.message
    raised = sandbox.call("rdkit.Chem.MolFromSmiles", [42])
    assert raised.status == "error" and raised.error.traceback


def test_call_arguments_must_be_json(sandbox):
    with pytest.raises(SandboxArgumentError, match="plain JSON values"):
        sandbox.call("builtins.len", [object()])


def test_result_round_trips_through_json(sandbox):
    result = sandbox.run("import astropy.units as u\nprint('hi')\n{'q': 2 * u.s, 'n': float('nan')}")
    again = ExecResult.from_dict(json.loads(result.to_json()))
    assert again == result
    assert result.value == {"q": {"value": 2.0, "unit": "s"}, "n": "nan"}


def test_reset_and_close(server):
    sb = Sandbox(server=server)
    sb.run("kept = 1")
    sb.reset()
    assert sb.run("'kept' in globals()").value is False
    sb.close()
    with pytest.raises(SandboxClosedError, match="closed"):
        sb.run("1")


def test_per_run_timeout_overrides_the_session_default(sandbox):
    result = sandbox.run("import time\ntime.sleep(5)", timeout_s=0.5)
    assert result.status == "timeout" and result.seconds < 2
    assert "0.5 s" in result.error.message
