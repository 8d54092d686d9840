"""codemods/_context.py ImportTracker: a file's imports, bindings and compat-code ranges."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from codemods._context import ImportTracker

SOURCES = [
    "import a.b\nfrom c import d as e, f\nfrom . import g\n",
    "import a; import b\nif x: import c\n",
    "def f():\n    from m import n\n    class C:\n        import o\n",
    "try:\n    from new import X\nexcept ImportError:\n    from old import X\n",
    "try:\n    import y\nexcept ImportError:\n    pass\n",
    "if airflow.__version__.startswith('1.'):\n    from a import B\nelse:\n    from c import B\n",
    "for i in x:\n    import q\nelse:\n    import r\nwhile 1:\n    import s\nwith w:\n    import t\n",
    "try:\n    pass\nfinally:\n    import u\n",
    "from m import *\nimport a.b as c\n",
] + (["match v:\n    case 1:\n        import w\n"] if sys.version_info >= (3, 10) else [])
REPO_FILES = sorted((Path(__file__).parent.parent.parent / "codemods").glob("*.py"))


def _state(tracker: ImportTracker):
    return (
        [(n.lineno, n.col_offset) for n in tracker.import_nodes],
        tracker.bindings,
        sorted(tracker.guarded_ranges),
    )


@pytest.mark.parametrize("source", SOURCES + [path.read_text() for path in REPO_FILES])
def test_the_node_index_gives_what_the_statement_walk_gives(source):
    # the engine takes the imports from the file's node index (made for the rules anyway)
    tree = ast.parse(source)
    assert _state(ImportTracker.from_ast(tree, indexed=True)) == _state(ImportTracker.from_ast(tree))


def test_compat_code_ranges():
    tracker = ImportTracker.from_ast(ast.parse(SOURCES[3] + SOURCES[4] + SOURCES[5]), indexed=True)
    assert sorted(tracker.guarded_ranges) == [(1, 4), (9, 12)]  # a handler that only passes is none
    assert tracker.bindings["X"] == "old.X"


@pytest.mark.parametrize("indexed", [False, True])
def test_imports_in_source_order(indexed):
    # the walk is breadth first: nested and same-line imports are put back in source order
    source = SOURCES[1] + SOURCES[2]
    tracker = ImportTracker.from_ast(ast.parse(source), indexed=indexed)
    assert [(n.lineno, n.col_offset) for n in tracker.import_nodes] == [
        (1, 0),
        (1, 10),
        (2, 6),
        (4, 4),
        (6, 8),
    ]
    assert tracker.bindings == {"a": "a", "b": "b", "c": "c", "n": "m.n", "o": "o"}
