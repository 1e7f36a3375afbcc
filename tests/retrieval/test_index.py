"""Building, reusing, resuming and rebuilding a real (small) index."""

from __future__ import annotations

import json

import pytest

from retrieval import IndexNotBuiltError, IndexStore, Searcher, fingerprint
from small_packs import small_pack


def test_second_build_does_no_work(small_index):
    report = small_index.build(small_pack("chemistry"))
    assert report.skipped and report.embedded == 0 and report.entries > 100


def test_missing_recipe_vectors_are_embedded_without_rebuilding(small_index):
    import shutil

    pack = small_pack("chemistry")
    shutil.rmtree(small_index.recipe_cache / "chemistry")
    assert not small_index.is_current(pack)  # so that first-use builds warm them, not each searching process
    report = small_index.build(pack)
    assert report.skipped and report.embedded == 0 and small_index.is_current(pack)


def test_manifest_records_versions_and_fingerprint(small_index):
    state = json.loads((small_index.home / "manifest.json").read_text())["chemistry"]
    assert state["library"] == "rdkit" and state["version"]
    assert state["fingerprint"] == fingerprint(small_pack("chemistry"))
    assert state["entries"] == len(small_index.load("chemistry").entries)


def test_interrupted_build_resumes_without_reembedding(tmp_path, embedder):
    store = IndexStore(home=tmp_path, url="", embedder=embedder)
    store.embed_batch = 32
    pack = small_pack("biology")

    def interrupt(stage, done, total):
        if stage == "embed" and done >= 64:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        store.build(pack, progress=interrupt)
    assert not store.is_current(pack)
    with pytest.raises(IndexNotBuiltError, match="sciwand index --domain biology"):
        store.load("biology")
    report = IndexStore(home=tmp_path, url="", embedder=embedder).build(pack)
    assert not report.skipped
    assert report.embedded == report.entries - 64
    hits = Searcher(store, ["biology"]).search("GC content of a DNA sequence", k=5)
    assert any("gc_fraction" in h.entry.name for h in hits)


def test_changed_library_version_rebuilds_that_domain_only(tmp_path, embedder, monkeypatch):
    import retrieval._index as index_module

    store = IndexStore(home=tmp_path, url="", embedder=embedder)
    pack = small_pack("biology")
    first = store.build(pack)
    real = index_module.library_version
    monkeypatch.setattr(index_module, "library_version", lambda lib: real(lib) + ".post99")
    assert not store.is_current(pack)
    second = store.build(pack)
    assert not second.skipped and second.fingerprint != first.fingerprint
    assert [p.name for p in (tmp_path / "index" / "biology").iterdir()] == [second.fingerprint]
    assert not any(first.fingerprint in name for name in store.vectors.names())


def test_rebuild_flag_starts_over(tmp_path, embedder):
    store = IndexStore(home=tmp_path, url="", embedder=embedder)
    pack = small_pack("biology")
    store.build(pack)
    report = store.build(pack, rebuild=True)
    assert not report.skipped and report.embedded == report.entries


def test_progress_reaches_the_total_of_every_stage(tmp_path, embedder):
    seen: dict[str, tuple[int, int]] = {}
    IndexStore(home=tmp_path, url="", embedder=embedder).build(
        small_pack("biology"), progress=lambda stage, done, total: seen.__setitem__(stage, (done, total)))
    assert set(seen) == {"harvest", "embed", "lexical", "recipes"}
    assert all(done == total for done, total in seen.values())
