"""The notebook-like session inside a child: run code, call an API entry, keep state.

Private module, run inside the sandboxed child. One namespace per session
holds variables across runs; ``call(..., bind_to="x1")`` stores its raw result
there, and an argument ``{"$ref": "x1"}`` (anywhere in args or kwargs) is
replaced by that variable, so a plan of calls can chain. Replies are JSON
dicts; exceptions become ``error`` replies whose traceback starts at the
generated code, not at this module.
"""

from __future__ import annotations

import ast
import difflib
import importlib
import keyword
import linecache
import sys
import traceback
import types
from types import TracebackType
from typing import Any

from assistant.sandbox._render import RenderLimits, render, type_name

REF_KEY = "$ref"
_MAX_MESSAGE = 4000
_MAX_TRACEBACK = 8000


class _Refusal(Exception):
    """A call the kernel will not make (bad name, unknown ``$ref``); shown to the model."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class Kernel:
    """Session state and the two kinds of job."""

    def __init__(self, limits: RenderLimits) -> None:
        # The session is ``__main__``, as in a notebook: ``if __name__ == "__main__":`` blocks run,
        # and functions defined in a cell can be pickled by reference (multiprocessing).
        main = types.ModuleType("__main__")
        sys.modules["__main__"] = main
        self.namespace: dict[str, Any] = main.__dict__
        self.limits = limits
        self.cells = 0

    def run(self, code: str) -> dict[str, Any]:
        """Execute ``code``; the value of a trailing expression is the result."""
        self.cells += 1
        filename = f"<cell-{self.cells}>"
        try:
            body, last = _split_last_expression(code, filename)
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
            exec(body, self.namespace)
            value = eval(last, self.namespace) if last is not None else None
        except BaseException as exc:  # noqa: BLE001 - generated code may raise anything, SystemExit included
            return _error_reply(exc)
        if last is not None:
            self.namespace["_"] = value
        return self._value_reply(value)

    def call(self, entry: str, args: list[Any], kwargs: dict[str, Any], bind_to: str | None) -> dict[str, Any]:
        """Resolve ``entry`` (dotted name), substitute ``$ref`` args, call it (a non-callable
        entry without arguments, such as a constant, gives its value)."""
        try:
            if bind_to is not None and (not bind_to.isidentifier() or keyword.iskeyword(bind_to)):
                raise _Refusal("ValueError", f"bind_to={bind_to!r} is not a valid Python name")
            target = self.resolve(entry)
            if callable(target) or args or kwargs:
                value = target(*self._deref(args), **self._deref(kwargs))
            else:
                value = target  # a constant or property (``astropy.constants.c``): its value
        except BaseException as exc:  # noqa: BLE001
            return _error_reply(exc)
        if bind_to is not None:
            self.namespace[bind_to] = value
        return self._value_reply(value)

    def resolve(self, entry: str) -> Any:
        """A session variable (``x1.GetNumAtoms``) or the longest importable module prefix, then getattr."""
        parts = entry.split(".")
        if not all(p.isidentifier() for p in parts):
            raise _Refusal("ValueError", f"{entry!r} is not a dotted Python name")
        if parts[0] in self.namespace:
            return _walk(self.namespace[parts[0]], parts[0], parts[1:])
        for cut in range(len(parts), 0, -1):
            module_name = ".".join(parts[:cut])
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name and not module_name.startswith(exc.name):
                    raise  # the module exists but one of its own imports is missing
                continue
            return _walk(module, module_name, parts[cut:])
        raise _Refusal("ModuleNotFoundError", f"cannot resolve {entry!r}: no module named {parts[0]!r}")

    def _deref(self, value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {REF_KEY} and isinstance(value[REF_KEY], str):
            name = value[REF_KEY]
            if name not in self.namespace:
                known = ", ".join(sorted(self.user_names())) or "none"
                raise _Refusal("NameError", f"no session variable {name!r} for $ref; defined: {known}")
            return self.namespace[name]
        if isinstance(value, list):
            return [self._deref(v) for v in value]
        if isinstance(value, dict):
            return {k: self._deref(v) for k, v in value.items()}
        return value

    def user_names(self) -> list[str]:
        """Variables the generated code defined (no dunders, no modules)."""
        return [k for k, v in self.namespace.items() if not k.startswith("_") and type(v).__name__ != "module"]

    def _value_reply(self, value: Any) -> dict[str, Any]:
        shown = render(value, self.limits)
        return {
            "status": "ok", "value": shown.value, "repr": shown.repr,
            "type": shown.type, "value_truncated": shown.truncated, "error": None,
        }  # fmt: skip


def _walk(obj: Any, path: str, attrs: list[str]) -> Any:
    """getattr along ``attrs``; a miss names the closest attributes."""
    for attr in attrs:
        if not hasattr(obj, attr):
            close = difflib.get_close_matches(attr, [a for a in dir(obj) if not a.startswith("_")], n=3)
            hint = f"; closest: {', '.join(f'{path}.{c}' for c in close)}" if close else ""
            raise _Refusal("AttributeError", f"{path!r} has no attribute {attr!r}{hint}")
        obj, path = getattr(obj, attr), f"{path}.{attr}"
    return obj


def _split_last_expression(code: str, filename: str) -> tuple[Any, Any]:
    """Compile ``code`` as statements plus, if it ends with an expression, that expression."""
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), filename, "eval")
    return compile(tree, filename, "exec"), last


def _error_reply(exc: BaseException) -> dict[str, Any]:
    status = "memory" if isinstance(exc, MemoryError) else "error"
    if isinstance(exc, _Refusal):
        error = {"type": exc.kind, "message": str(exc), "traceback": ""}
    else:
        error = {"type": type_name(exc), "message": _message(exc), "traceback": _user_traceback(exc)}
    return {"status": status, "value": None, "repr": None, "type": None, "value_truncated": False, "error": error}


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__
        text = f"<{type_name(exc)}; str() failed>"
    return text[:_MAX_MESSAGE]


def _user_traceback(exc: BaseException) -> str:
    """The traceback from the first frame outside this module (the generated code or the library)."""
    tb: TracebackType | None = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    try:
        text = "".join(traceback.format_exception(type(exc), exc, tb, limit=30))
    except Exception:  # noqa: BLE001
        text = f"{type_name(exc)}: <traceback unavailable>"
    return text if len(text) <= _MAX_TRACEBACK else "...\n" + text[-_MAX_TRACEBACK:]
