"""Index and query through a real Chroma server (``chroma run``) on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from retrieval import IndexStore, Searcher, VectorStoreError
from small_packs import small_pack


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    if shutil.which("chroma") is None:
        pytest.fail("the chroma CLI (installed with chromadb) is missing")
    port = _free_port()
    server = subprocess.Popen(["chroma", "run", "--path", str(tmp_path / "db"), "--host", "127.0.0.1",
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        server.kill()
        pytest.fail("chroma server did not start within 30 s")
    yield url
    server.terminate()
    server.wait(10)


def test_index_and_search_through_http_client(chroma_server, tmp_path, embedder):
    store = IndexStore(home=tmp_path / "home", url=chroma_server, embedder=embedder)
    report = store.build(small_pack("biology"))
    assert report.embedded == report.entries
    assert f"sciwand_biology_{report.fingerprint}" in store.vectors.names()
    hits = Searcher(store, ["biology"]).search("melting temperature of an oligonucleotide", k=5, mode="dense")
    assert any("MeltingTemp" in h.entry.name for h in hits)
    assert store.build(small_pack("biology")).skipped


def test_unreachable_server_is_one_clear_error(tmp_path, embedder):
    store = IndexStore(home=tmp_path, url=f"http://127.0.0.1:{_free_port()}", embedder=embedder)
    with pytest.raises(VectorStoreError, match="Chroma failed at connecting to http://127.0.0.1"):
        store.vectors.names()
