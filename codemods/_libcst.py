"""LibCST, imported the first time a rule module reads one of its names.

Rules decide on CPython's ast; LibCST only builds new code inside Rewrite transforms, which the
framework runs in fix mode (codemods/_rewrites.py). Importing libcst takes about 0.1 s, about a
third of a cached check, so the modules that build LibCST nodes name it through this stand-in:

    if TYPE_CHECKING:
        import libcst as cst
    else:
        from codemods._libcst import cst

`cst.Name` imports libcst on first use and is then LibCST's own attribute; a check reads none,
so it never imports LibCST (tests/test_lazy_imports.py). A module-level use (a base class, a
default value, a constant made of LibCST nodes) would import it with the rule: those live in
functions.
"""

from __future__ import annotations

import importlib


class _OnFirstUse:
    def __init__(self, module: str) -> None:
        self._module = module

    def __getattr__(self, name: str):
        if name.startswith("__"):  # introspection (copy, inspect, pickle) is not a use
            raise AttributeError(name)
        value = getattr(importlib.import_module(self._module), name)
        setattr(self, name, value)  # the next read is a plain attribute
        return value

    def __repr__(self) -> str:
        return f"<{self._module}, imported on first use>"


cst = _OnFirstUse("libcst")
