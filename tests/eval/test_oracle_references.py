"""Every bundled task's reference, run in the real sandbox and rendered by the domain
packs' renderers, passes its own checker: tasks, renderers and checkers agree (what
``--model oracle`` will report as 100%)."""

from __future__ import annotations

import pytest

from assistant.sandbox import Sandbox
from eval.checkers import check
from eval.tasks import bundled_task_files, load_tasks


@pytest.mark.parametrize("domain", ["chemistry", "biology", "astronomy"])
def test_references_pass_their_checkers(domain):
    tasks = load_tasks(bundled_task_files([domain]))
    failures = []
    with Sandbox(timeout_s=60) as sandbox:
        for task in tasks:
            sandbox.reset()  # each reference in a fresh session
            result = sandbox.run(task.reference + "\nresult")
            refused = result.status != "ok" or result.value is None
            if not check(task.answer, result.value, refused=refused):
                failures.append((task.id, result.status, result.value, result.error and result.error.message))
    assert not failures
