"""The words the models read: the retrieved entries as documentation, the question's
recognised inputs, and the feedback from earlier attempts."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answer import Attempt
from assistant.context import Context
from assistant.planners.base import feedback
from retrieval import ApiEntry

DOC_CHARS = 240

CALL_SYSTEM = (
    "You answer a scientist's question by calling {library} functions. Call only the tools listed; "
    "pass the question's inputs (SMILES, sequences, quantities such as '5 km/s', dates, coordinates) as strings, "
    "they are converted to library objects for you. Results of your calls are named x1, x2, ... in order; pass "
    '{{"$ref": "x1"}} as an argument to use an earlier result. For a method, pass the object it is called on as '
    "'self'. The last call's result is the answer. If the input is invalid or the question cannot be answered, "
    "call refuse with the reason."
)

CODE_SYSTEM = (
    "You answer a scientist's question by writing a short Python program that uses {library}. "
    "Use the documented API entries below; do not invent functions. Store the final answer in a variable named "
    "`result` (a number, string, boolean, list, or an astropy Quantity). If the input is invalid or the question "
    "cannot be answered, raise ValueError with the reason instead of guessing. Reply with one ```python block."
)

LIBRARIES = {"chemistry": "RDKit", "biology": "Biopython", "astronomy": "Astropy"}


def library_of(context: Context) -> str:
    return LIBRARIES.get(context.domain or "", "RDKit, Biopython or Astropy")


def entry_doc(entry: ApiEntry) -> str:
    """One entry as the model reads it: name, signature, summary, the pack's search
    note (what it is for, what it is used with), parameter notes."""
    lines = [f"{entry.public_name}{entry.signature or ''}  [{entry.kind}]"]
    if entry.summary:
        lines.append(f"    {entry.summary[:DOC_CHARS]}")
    if entry.note:
        lines.append(f"    Use: {entry.note}")
    for param in entry.params[:6]:
        note = f"{param.name}: {param.type or 'any'}" + (f" = {param.default}" if param.default else "")
        lines.append(f"    - {note}" + (f" ({param.doc[:80]})" if param.doc else ""))
    return "\n".join(lines)


def question_block(context: Context, history: Sequence[Attempt], docs: bool = True) -> str:
    """The user message: the question, its recognised inputs, the docs and feedback."""
    parts = [f"Question: {context.question}"]
    if context.entities:
        parts.append("Inputs found in the question:\n" + "\n".join(f"- {e.kind}: {e.text}" for e in context.entities))
    if docs and context.entries:
        parts.append("Relevant API entries:\n" + "\n".join(entry_doc(e) for e in context.entries))
    if history:
        parts.append("Earlier attempts failed; fix the problems:\n" + feedback(history))
    return "\n\n".join(parts)
