"""Type-directed candidate plans: each retrieved entry called with the question's
entities in the parameters whose types they fit.

This is what a small model chooses among (it cannot free-write calls reliably), and,
taking the first candidate, the ``retrieval`` baseline that uses no model at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.answer import Attempt, Call, Plan
from assistant.context import Context
from assistant.program import locate, param_type
from domains import Entity, find_adapters, get_pack
from retrieval import ApiEntry, Hit
from retrieval._search import NEUTRAL_KINDS
from retrieval._text import name_words

Lookup = Callable[[str], "ApiEntry | None"]

# Measured on the dev sets with the retrieval baseline: a floor of 0.5 cut wrong values
# from 135 to 116 of 362 tasks for one fewer right answer.
REPAIR_FLOOR = 0.5
MAKER_PENALTY = 0.3  # an entry that only parses the input (MolFromSmiles) is rarely the answer
DATA_PENALTY = 0.3  # a constant ignores the question's inputs
FALLBACK_FIT = 0.6  # an argument placed by position, not by type
VARIADIC_FIT = 0.8  # the molecule passed to a ``(*x, **y)`` wrapper
SHAPE_BONUS = 1.5  # the entry returns the kind of value the question asks for
_NUMBER = re.compile(r"(?<![\w.])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
_NUMERIC_TYPES = re.compile(r"\b(int|float|double|number|real)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Candidate:
    """One ready plan, with the label a model sees and its prior score."""

    plan: Plan
    entry: ApiEntry
    label: str
    score: float


def untried_plans(context: Context, history: Sequence[Attempt]) -> list[Candidate]:
    """The candidate plans whose entry no earlier attempt used, best prior first."""
    return candidate_plans(context, exclude=[name for attempt in history for name in attempt.entries])


def candidate_plans(context: Context, exclude: Sequence[str] = ()) -> list[Candidate]:
    """Plans for the offered entries, best prior first; entries in ``exclude`` (already
    tried) are left out. A method's class is found with ``context.lookup``, so a method
    of a class built from the input (``ProteinAnalysis(seq).gravy()``) is a two-call plan."""
    makers = _makers(context)
    found = []
    for rank, hit in enumerate(context.hits):
        if hit.entry.kind in ("module", "class"):
            continue
        candidate = _candidate(hit, rank, context, makers, context.lookup)
        if candidate is not None:
            found.append(candidate)
    found.sort(key=lambda c: -c.score)
    # After a failure, a much weaker candidate is a straw to grasp at: it yields a wrong
    # value more often than a right one, where declining is the honest answer.
    floor = REPAIR_FLOOR * found[0].score if found else 0.0
    return [c for c in found if c.entry.name not in exclude and c.score >= floor]


def _candidate(hit: Hit, rank: int, context: Context, makers: set[str], lookup: Lookup) -> Candidate | None:
    entry = hit.entry
    try:
        target = locate(entry)
    except ImportError:
        return None
    filler = _Filler(context)
    calls: list[Call] = []
    args: list[object] = []
    fits: list[float] = []
    if target.on_instance:
        owner = filler.take(param_type(entry, -1, None), numeric=False, strict=True)
        if owner is None:
            built = _construct(entry.owner, filler, lookup)
            if built is None:
                return None
            calls.append(built)
            owner = ({"$ref": built.bind_to}, FALLBACK_FIT)
        args.append(owner[0])
        fits.append(owner[1])
    kwargs: dict[str, object] = {}
    if target.callable:
        filled = _fill(entry, filler)
        if filled is None:
            return None
        args += filled[0]
        kwargs = filled[1]
        fits += filled[2]
    elif not target.on_instance and entry.kind != "data":
        return None
    score = 1.0 / (rank + 1) * (min(fits) if fits else FALLBACK_FIT) * filler.coverage()
    score *= MAKER_PENALTY if entry.name in makers else 1.0
    score *= DATA_PENALTY if entry.kind == "data" and context.entities else 1.0
    score *= SHAPE_BONUS if _fits_shape(entry, context) else 1.0
    calls.append(Call(entry.public_name, tuple(args), kwargs, bind_to=f"x{len(calls) + 1}"))
    label = _label(entry, target.on_instance, args, calls[0] if len(calls) > 1 else None, kwargs)
    return Candidate(Plan(calls=tuple(calls)), entry, label, score)


def _fill(entry: ApiEntry, filler: _Filler) -> tuple[list[object], dict[str, object], list[float]] | None:
    """Values for the required parameters (None if one cannot be filled), and for the
    optional ones the question names ("radius 2" fills ``radius``)."""
    args: list[object] = []
    kwargs: dict[str, object] = {}
    fits: list[float] = []
    params = [p for p in entry.params if not p.name.startswith("*")]
    for position, param in enumerate(params):
        if param.default is not None:
            named = filler.named(param.name)
            if named is not None:
                kwargs[param.name] = named
            elif (entity := filler.of_kind_named(param.name)) is not None:
                kwargs[param.name] = entity
            elif param.default == "False" and filler.spells_out(param.name):
                kwargs[param.name] = True
            continue
        value = filler.take(param_type(entry, position, None), numeric=_is_numeric(param.type))
        if value is None:
            return None
        args.append(value[0])
        fits.append(value[1])
    if not params and any(p.name.startswith("*") and not p.name.startswith("**") for p in entry.params):
        value = filler.take(None, numeric=False)  # RDKit's ``MolWt(*x, **y)`` wrappers take the molecule first
        if value is not None:
            args.append(value[0])
            fits.append(VARIADIC_FIT)
    return args, kwargs, fits


def _construct(owner: str | None, filler: _Filler, lookup: Lookup) -> Call | None:
    """A call building the method's class from the question's inputs, if one can."""
    cls = lookup(owner) if owner else None
    if cls is None or cls.kind != "class":
        return None
    filled = _fill(cls, filler)
    if not filled or not filled[0]:
        return None
    return Call(cls.public_name, tuple(filled[0]), filled[1], bind_to="x1")


class _Filler:
    """Hands out the question's values to parameters, each at most once."""

    def __init__(self, context: Context) -> None:
        self.entities = [e for e in context.entities if e.kind not in NEUTRAL_KINDS]
        self.targets = [e for e in context.entities if e.kind in NEUTRAL_KINDS]  # only by type: "in Mpc"
        self.used = 0
        self.question = context.question
        self.vocabulary = get_pack(context.domain).vocabulary if context.domain else {}
        spans = [e.span for e in context.entities if e.kind != "quantity"]
        found = [m for m in _NUMBER.finditer(context.question) if not any(a <= m.start() < b for a, b in spans)]
        self.numbers = [_number(m.group()) for m in found
                        if not any(a <= m.start() < b for a, b in (e.span for e in context.entities))]
        # Each number with the words around it, to fill the optional parameter they name.
        text = context.question
        self.labelled = [(_number(m.group()), _adjacent(text[:m.start()], -1) + _adjacent(text[m.end():], 0))
                         for m in found]

    def named(self, param: str) -> object | None:
        """The number the question writes right next to the parameter's name ("radius 2",
        "2048 bits" for ``nBits``), matched on the name's last word."""
        last = _words(re.sub(r"([a-z])([A-Z])", r"\1 \2", param).replace("_", " "))[-1:]
        return next((value for value, words in self.labelled if last and last[0] in words and len(last[0]) > 2),
                    None)

    def spells_out(self, param: str) -> bool:
        """Does the question name the parameter, by its domain expansion or, for a
        name of several words, by those words? "one complete coding sequence" turns
        on ``cds``; "CDS" alone does not."""
        words = name_words(param)
        expanded = " ".join(self.vocabulary.get(w, w) for w in words)
        # A bare one-word name ("cds", "strict") is too easily mentioned in passing.
        phrases = {expanded} - {" ".join(words)} | ({" ".join(words)} if len(words) > 1 else set())
        return any(re.search(rf"\b{re.escape(phrase)}\b", self.question, re.IGNORECASE) for phrase in phrases)

    def of_kind_named(self, param: str) -> object | None:
        """An entity whose kind names the parameter (a ``codon_table`` for ``table``, a
        ``substitution_matrix`` for ``substitution_matrix``)."""
        entity = next((e for e in self.entities if param.lower() in (e.kind, *e.kind.split("_"))), None)
        return self._use(entity) if entity is not None else None

    def take(self, type_text: str | None, numeric: bool, strict: bool = False) -> tuple[object, float] | None:
        """A value for a parameter of ``type_text``: an entity its adapter parses, else
        (unless ``strict``) a number or the next entity by position."""
        adapters = find_adapters(type_text)
        kinds = {kind for adapter in adapters for kind in adapter.kinds}
        entity = next((e for e in self.entities if e.kind in kinds), None)
        if entity is not None:
            return self._use(entity), 1.0
        target = next((e for e in self.targets if e.kind in kinds), None)
        if target is not None:
            self.targets.remove(target)
            return target.value, 1.0
        adapter = adapters[0] if adapters else None
        if strict:
            return None
        if numeric and self.numbers:
            return self.numbers.pop(0), FALLBACK_FIT
        if self.entities and (adapter is None or not numeric):
            return self._use(self.entities[0]), FALLBACK_FIT
        if self.numbers and type_text is None:
            return self.numbers.pop(0), FALLBACK_FIT
        return None

    def coverage(self) -> float:
        """Share of the question's entities used: an input left over suggests the wrong call."""
        return (self.used + 1) / (self.used + len(self.entities) + 1)

    def _use(self, entity: Entity) -> object:
        self.used += 1
        self.entities.remove(entity)
        return entity.value if entity.value is not None else entity.text


def _number(text: str) -> int | float:
    return float(text) if "." in text or "e" in text.lower() else int(text)


def _words(text: str) -> list[str]:
    """Lower-case words without a plural s: "2048 bits" and ``nBits`` meet at "bit"."""
    return [w.lower().removesuffix("s") for w in re.findall(r"[A-Za-z]+", text)]


def _adjacent(text: str, side: int) -> list[str]:
    """The word directly before (``side=-1``) or after (``0``) a number, if only spaces,
    "=" or ":" separate them."""
    match = re.search(r"([A-Za-z]+)[\s=:]*$", text) if side else re.match(r"[\s]*([A-Za-z]+)", text)
    return _words(match.group(1)) if match else []


def _is_numeric(type_text: str | None) -> bool:
    return bool(type_text and _NUMERIC_TYPES.search(type_text))


def _makers(context: Context) -> set[str]:
    """Entries hinted by the entity kinds present: they turn input into objects."""
    if not context.domain:
        return set()
    hints = get_pack(context.domain).entity_hints
    names = {name for e in context.entities for name in hints.get(e.kind, ())}
    return {hit.entry.name for hit in context.hits if names & set(hit.entry.names)}


def _fits_shape(entry: ApiEntry, context: Context) -> bool:
    returns = (entry.returns or "").lower()
    kind = context.expected.kind
    return bool(kind == "boolean" and "bool" in returns or kind == "integer" and re.search(r"\bint\b", returns))


def _label(entry: ApiEntry, on_instance: bool, args: Sequence[object], built: Call | None = None,
           kwargs: dict[str, object] | None = None) -> str:
    """``Descriptors.MolWt('CCO')``: short enough for a small model's prompt."""
    short = ".".join(entry.public_name.split(".")[-2:])
    shown = [_short(a) for a in args] + [f"{k}={_short(v)}" for k, v in (kwargs or {}).items()]
    if built is not None:
        shown[0] = f"{built.entry.rsplit('.', 1)[-1]}({', '.join(_short(a) for a in built.args)})"
    if on_instance:
        return f"{shown[0]}.{entry.public_name.rsplit('.', 1)[-1]}({', '.join(shown[1:])})"
    return f"{short}({', '.join(shown)})" if entry.kind != "data" else short


def _short(value: object) -> str:
    text = repr(value) if not isinstance(value, dict) else f"'{value.get('value', '')} {value.get('unit', '')}'"
    return text if len(text) <= 24 else text[:21] + "...'"
