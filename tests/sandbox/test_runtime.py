"""Planning how an unprivileged uid reads a runtime under a private home (``/root/.pyenv``)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.sandbox._runtime import plan

NOBODY = 65534


@pytest.fixture
def tree() -> Iterator[Path]:
    """An open directory (every ancestor traversable) to build homes in."""
    base = Path(tempfile.mkdtemp())
    base.chmod(0o755)
    yield base
    for path in base.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(base)


def make_runtime(home: Path, home_mode: int, runtime_mode: int = 0o755) -> Path:
    runtime = home / ".pyenv" / "versions" / "3.11.7"
    runtime.mkdir(parents=True)
    runtime.chmod(runtime_mode)
    home.chmod(home_mode)
    return runtime


def test_private_home_is_covered_by_a_runtime_view(tree):
    runtime = make_runtime(tree / "root", 0o700)
    view = plan(NOBODY, NOBODY, str(tree), roots=(str(runtime),))
    assert view.problem is None
    assert view.hidden == ((str(tree / "root"), (str(runtime),)),)


def test_open_home_needs_no_view(tree):
    runtime = make_runtime(tree / "home", 0o755)
    view = plan(NOBODY, NOBODY, str(tree), roots=(str(runtime),))
    assert view.problem is None and view.hidden == ()


def test_an_unreadable_runtime_cannot_be_fixed_by_a_view(tree):
    runtime = make_runtime(tree / "root", 0o700, runtime_mode=0o700)
    view = plan(NOBODY, NOBODY, str(tree), roots=(str(runtime),))
    assert view.problem == f"{runtime} is not readable by uid {NOBODY}"


def test_scratch_inside_a_private_directory_is_a_problem(tree):
    runtime = make_runtime(tree / "open", 0o755)
    private = tree / "private"
    (private / "tmp").mkdir(parents=True)
    private.chmod(0o700)
    view = plan(NOBODY, NOBODY, str(private / "tmp"), roots=(str(runtime),))
    assert view.problem and "scratch base" in view.problem
