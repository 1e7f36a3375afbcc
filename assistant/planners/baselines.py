"""The eval's baselines, planners like any other so they run the same loop.

``oracle`` executes the task's reference program: it must score 100% on a valid task
file, which checks the tasks and the answer checkers together. ``retrieval`` uses no
model: the best type-fitting candidate of the retrieved entries, the floor that every
model has to beat.
"""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer import Attempt, Plan
from assistant.context import Context
from assistant.planners.candidates import untried_plans


class OraclePlanner:
    name = "oracle"

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        if not context.reference:
            return Plan(refusal="the oracle baseline needs the task's reference program")
        return Plan(code=context.reference)


class RetrievalPlanner:
    name = "retrieval"
    # The next candidate after the best is another operation, not a fix of this call.
    library_errors_are_final = True

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        found = untried_plans(context, history)
        if not found:
            return Plan(refusal="no retrieved API entry can take the inputs in the question")
        return found[0].plan
