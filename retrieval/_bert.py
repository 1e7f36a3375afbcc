"""The packaged MiniLM sentence encoder run with NumPy, for queries.

Importing sentence-transformers pulls in transformers and torch, about 3.5 s on two
cores: most of a new process's time to its first search. The model is a small BERT
(6 layers, 384 wide), so its forward pass is a few matrix products that NumPy runs
in milliseconds, from the same ``model.safetensors`` and ``tokenizer.json`` that
sentence-transformers reads, in the same steps its ``modules.json`` lists
(Transformer, mean Pooling, Normalize). Its vectors match sentence-transformers' to
about 1e-7 (``tests/retrieval/test_embed.py`` pins that). A model folder of another
shape is declined (``load`` returns None) and sentence-transformers runs it instead.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

# modules.json as this port implements it: BERT, then mean pooling, then normalising.
_MODULES = ["sentence_transformers.models.Transformer", "sentence_transformers.models.Pooling",
            "sentence_transformers.models.Normalize"]


def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def supported(folder: Path) -> bool:
    """True if ``folder`` holds a sentence-transformers model this port computes
    exactly: a BERT with absolute positions and exact GELU, mean-pooled, normalised."""
    try:
        modules = [m["type"] for m in _read(folder / "modules.json")]
        pooling = _read(folder / "1_Pooling" / "config.json")
        config = _read(folder / "config.json")
        settings = _read(folder / "sentence_bert_config.json")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    pooled = {key for key, on in pooling.items() if key.startswith("pooling_mode") and on}
    return (modules == _MODULES and pooled == {"pooling_mode_mean_tokens"}
            and config.get("model_type") == "bert" and config.get("hidden_act") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and not settings.get("do_lower_case", False)
            and (folder / "model.safetensors").exists() and (folder / "tokenizer.json").exists())


class BertEncoder:
    """Sentence embeddings of one supported model folder (see ``supported``)."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from scipy.special import erf
        from tokenizers import Tokenizer

        self._erf = erf
        self._weights = load_file(folder / "model.safetensors")
        self._config = _read(folder / "config.json")
        # tokenizer.json carries a 128-token truncation and padding of its own; the
        # model's sentence_bert_config.json says 256, which is what sentence-transformers uses.
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_read(folder / "sentence_bert_config.json")["max_seq_length"])
        self._tokenizer.no_padding()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-normalised float32 rows. Each text runs alone, unpadded: a query
        comes one at a time, and its vector then does not depend on its batch."""
        return np.vstack([self._one(encoding) for encoding in self._tokenizer.encode_batch(list(texts))]
                         or [np.zeros((0, self._config["hidden_size"]), np.float32)])

    def _one(self, encoding) -> np.ndarray:
        ids, types = np.array(encoding.ids), np.array(encoding.type_ids)
        w = self._weights
        hidden = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:len(ids)]
                  + w["embeddings.token_type_embeddings.weight"][types])
        hidden = self._norm(hidden, "embeddings.LayerNorm")
        for layer in range(self._config["num_hidden_layers"]):
            hidden = self._layer(hidden, f"encoder.layer.{layer}.")
        pooled = hidden.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)[None, :]

    def _layer(self, hidden: np.ndarray, prefix: str) -> np.ndarray:
        """One BERT encoder layer: self-attention, then the feed-forward block, each
        followed by a residual LayerNorm (post-norm, as BERT has it)."""
        heads = self._config["num_attention_heads"]
        size = hidden.shape[1] // heads
        q, k, v = (self._linear(hidden, f"{prefix}attention.self.{name}").reshape(-1, heads, size).transpose(1, 0, 2)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.float32(math.sqrt(size))
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        context = (scores / scores.sum(axis=-1, keepdims=True) @ v).transpose(1, 0, 2).reshape(hidden.shape)
        hidden = self._norm(self._linear(context, f"{prefix}attention.output.dense") + hidden,
                            f"{prefix}attention.output.LayerNorm")
        inner = self._linear(hidden, f"{prefix}intermediate.dense")
        inner = inner * np.float32(0.5) * (np.float32(1.0) + self._erf(inner / np.float32(math.sqrt(2.0))))  # exact GELU
        return self._norm(self._linear(inner, f"{prefix}output.dense") + hidden, f"{prefix}output.LayerNorm")

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self._weights[f"{name}.weight"].T + self._weights[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        variance = np.square(x - mean).mean(axis=-1, keepdims=True)
        scaled = (x - mean) / np.sqrt(variance + np.float32(self._config["layer_norm_eps"]))
        return scaled * self._weights[f"{name}.weight"] + self._weights[f"{name}.bias"]
