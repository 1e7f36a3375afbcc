"""Every bundled dev task's reference still computes its gold answer with the
installed libraries: the sets are rebuilt from their sources and compared."""

from __future__ import annotations

import json

import pytest

from eval.build_tasks import DOMAINS, build_file, output_path, source_path


@pytest.mark.parametrize("domain", DOMAINS)
def test_references_reproduce_gold(domain, tmp_path):
    rebuilt = build_file(source_path(domain), tmp_path / f"{domain}.jsonl", domain)
    committed = [json.loads(line) for line in output_path(domain).read_text(encoding="utf-8").splitlines()]
    fresh = [json.loads(line) for line in rebuilt.read_text(encoding="utf-8").splitlines()]
    assert [t["id"] for t in fresh] == [t["id"] for t in committed]
    changed = [new["id"] for new, old in zip(fresh, committed) if new["answer"] != old["answer"]]
    assert not changed, f"gold answers no longer reproduced (rebuild with python -m eval.build_tasks): {changed}"
