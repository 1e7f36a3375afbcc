"""The NumPy query encoder against sentence-transformers, the reference that builds
the index: the same vectors, or queries would not find what the index holds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from retrieval import _bert
from retrieval._embed import _model_folder

TEXTS = [
    "average molecular weight of a molecule",
    "GC",
    "",
    "  luminosity distance at redshift 0.5 in a flat ΛCDM cosmology, in Mpc  ",
    "Ünïcödé, 中文 and 🙂 in one query",
    "reverse complement of ATGGCCATTGTAATGGGCCGC",
    # Over 256 word pieces: both truncate at the model's max_seq_length.
    " ".join(f"word{i} descriptor" for i in range(300)),
]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_queries_are_encoded_without_importing_torch():
    # What a new process pays before its first search: torch alone takes 3+ s to import.
    code = ("import sys; from retrieval._embed import Embedder; Embedder().encode(['molecular weight']); "
            "print(sorted({'torch', 'transformers', 'sentence_transformers'} & set(sys.modules)))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"


def test_numpy_vectors_match_sentence_transformers(embedder):
    reference = embedder.encode(TEXTS, reference=True)
    batch = embedder.encode(TEXTS)
    one_by_one = np.vstack([embedder.encode([text]) for text in TEXTS])
    assert batch.shape == reference.shape == (len(TEXTS), 384) and batch.dtype == np.float32
    assert np.allclose(np.linalg.norm(batch, axis=1), 1.0, atol=1e-6)
    assert _cosines(batch, reference).min() >= 0.9999
    assert np.array_equal(batch, one_by_one)  # a query's vector does not depend on its batch


def test_the_long_text_is_truncated_like_sentence_transformers(embedder):
    long_text = TEXTS[-1]
    longer = long_text + " entirely different words about proteins and stars" * 20
    vectors = embedder.encode([long_text, longer])
    assert np.array_equal(vectors[0], vectors[1])  # only the first 256 pieces count


@pytest.mark.parametrize("change", [
    lambda folder: (folder / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": True, "pooling_mode_mean_tokens": False})),
    lambda folder: (folder / "config.json").write_text(json.dumps(
        {**json.loads((folder / "config.json").read_text()), "hidden_act": "gelu_new"})),
    lambda folder: (folder / "modules.json").write_text(json.dumps([{"type": "sentence_transformers.models.Transformer"}])),
    lambda folder: (folder / "tokenizer.json").unlink(),
])
def test_another_model_shape_is_left_to_sentence_transformers(tmp_path, change):
    folder = tmp_path / "model"
    shutil.copytree(_model_folder(), folder, ignore=shutil.ignore_patterns("*.safetensors"))
    (folder / "model.safetensors").touch()
    assert _bert.supported(folder)
    change(folder)
    assert not _bert.supported(folder)
