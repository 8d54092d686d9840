"""The import fixes made in place (byte edits found on CPython's ast) give exactly the file the
LibCST rewrite gives, over every 1.10.15 example DAG and the reference team's DAG.

The in-place path is taken when no two imports of a file would import the same name once
fixed; forcing that answer to "no" sends every import through LibCST instead. Both outputs
and both sets of diagnostics are real; only the choice between the two paths is forced.
"""

from __future__ import annotations

import pytest

from codemods.moved_import import ImportRenamer
from tests.corpus.test_fix_properties import corpus_files, fix

TARGETS = ["2.0", "2", "3"]


@pytest.mark.parametrize("target", TARGETS)
def test_in_place_import_fixes_equal_the_libcst_rewrite(target, monkeypatch):
    in_place = {}
    for path in corpus_files():
        data = path.read_bytes()
        in_place[path] = (data, fix(path, data, target, unsafe=False))
    monkeypatch.setattr(ImportRenamer, "_imports_stay_distinct", lambda self: False)
    compared = differing = 0
    for path, (data, fast) in in_place.items():
        slow = fix(path, data, target, unsafe=False)
        assert fast.error == slow.error, path
        key = lambda d: (d.line, d.col, d.code, d.message, d.applied)  # noqa: E731
        assert sorted(map(key, fast.diagnostics)) == sorted(map(key, slow.diagnostics)), path
        if fast.new_source != slow.new_source:
            differing += 1
            print(f"{path}: in-place and LibCST rewrites differ")
        compared += fast.new_source is not None
    assert compared > 40  # most example DAGs have imports to fix
    assert differing == 0
