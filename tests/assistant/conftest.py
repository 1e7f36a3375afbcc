"""Fixtures for the model layer: the embedded Gemma file, and that file served over the
OpenAI API by ``llama_cpp.server`` (one server per test module)."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from model_helpers import unused_port

# llama_cpp.server, with the model loaded as sciwand loads it (see cpu_buffers_only).
SERVER = ("import runpy\nfrom assistant.local_llm import cpu_buffers_only\nwith cpu_buffers_only():\n"
          "    runpy.run_module('llama_cpp.server', run_name='__main__', alter_sys=True)")
SERVER_START_S = 120.0


@pytest.fixture(scope="session")
def gemma_path() -> Path:
    """The embedded Gemma GGUF, assembled once into ``$SCIWAND_HOME/models`` as sciwand would."""
    from assistant.local_llm import local_model_path

    return local_model_path("gemma3-270m")


@pytest.fixture(scope="module")
def openai_server(gemma_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:<port>/v1``) of ``llama_cpp.server`` serving the
    embedded Gemma as ``gemma-3-270m``; stopped when the module's tests are done."""
    port = unused_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [sys.executable, "-c", SERVER, "--model", str(gemma_path), "--model_alias", "gemma-3-270m",
               "--chat_format", "gemma", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_until_serving(process, base_url, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_serving(process: subprocess.Popen, base_url: str, log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"llama_cpp.server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"llama_cpp.server did not answer within {SERVER_START_S:.0f} s:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
def openai_env(openai_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point ``openai:<name>`` at the test server, with no API key; returns its base URL."""
    monkeypatch.setenv("OPENAI_BASE_URL", openai_server)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return openai_server
