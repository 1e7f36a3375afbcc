"""Shared fixtures: a small real index (a few RDKit and Biopython modules) built once
per session under a temporary ``SCIWAND_HOME``."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def embedder():
    from retrieval._embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def small_home(tmp_path_factory, embedder):
    """A ``SCIWAND_HOME`` holding a real chromadb + BM25 index of the small packs."""
    from retrieval import IndexStore
    from small_packs import SMALL_ROOTS, small_pack

    home = tmp_path_factory.mktemp("sciwand-home")
    store = IndexStore(home=home, url="", embedder=embedder)
    for domain in SMALL_ROOTS:
        store.build(small_pack(domain))
    return home


@pytest.fixture(scope="session")
def small_index(small_home, embedder):
    from retrieval import IndexStore

    return IndexStore(home=small_home, url="", embedder=embedder)


@pytest.fixture(scope="session")
def searcher(small_index):
    from retrieval import Searcher

    from small_packs import SMALL_ROOTS

    return Searcher(small_index, list(SMALL_ROOTS))


@pytest.fixture
def use_small_packs(monkeypatch, small_home):
    """Register the small packs under the real domain names, as a separate
    distribution would through the ``sciwand.domains`` entry points, and point
    ``SCIWAND_HOME`` at the small index."""
    from domains import _registry

    specs = {"chemistry": "small_packs:chemistry", "biology": "small_packs:biology",
             "astronomy": "small_packs:astronomy"}
    monkeypatch.setattr(_registry, "_specs", lambda: specs)
    _registry.get_pack.cache_clear()
    monkeypatch.setenv("SCIWAND_HOME", str(small_home))
    monkeypatch.delenv("SCIWAND_CHROMA_URL", raising=False)
    yield
    _registry.get_pack.cache_clear()
