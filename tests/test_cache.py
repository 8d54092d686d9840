"""The result cache's key: a rule file edited (or a new tool installed over the old one) never
reuses results computed by the old rules."""

import os

import codemods
from upgrade.cache import cache_key


def test_editing_a_rule_file_changes_the_key(tmp_path, monkeypatch):
    package = tmp_path / "codemods"
    package.mkdir()
    rule = package / "some_rule.py"
    rule.write_text("X = 1\n")
    (package / "__init__.py").write_text("")
    monkeypatch.setattr(codemods, "__file__", str(package / "__init__.py"))
    before = cache_key((2, 0), ["AU101"], {})
    assert cache_key((2, 0), ["AU101"], {}) == before
    rule.write_text("X = 2\n")
    os.utime(rule, ns=(rule.stat().st_atime_ns, rule.stat().st_mtime_ns + 1_000_000))
    assert cache_key((2, 0), ["AU101"], {}) != before
    assert cache_key((2, 0), ["AU102"], {}) != cache_key((2, 0), ["AU101"], {})


DAG = b"from airflow.operators.bash_operator import BashOperator\n"


def _check(path, cache_dir):
    from codemods._context import RunOptions
    from codemods._targets import parse_target
    from upgrade.registry import select_rules
    from upgrade.runner import RunConfig, run

    config = RunConfig(
        paths=[str(path)],
        rules=select_rules(parse_target("2")),
        options=RunOptions(parse_target("2")),
        cache_dir=str(cache_dir),
    )
    summary = run(config)
    return summary.cache_hits, [(d.line, d.code) for d in summary.diagnostics]


def _age(path, seconds):
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - int(seconds * 1e9)))


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    import upgrade.runner

    path = tmp_path / "dag.py"
    path.write_bytes(DAG)
    _age(path, 60)
    assert _check(path, tmp_path / "cache") == (0, [(1, "AU101")])
    reads = []
    real = upgrade.runner.read_bytes
    monkeypatch.setattr(upgrade.runner, "read_bytes", lambda p: reads.append(p) or real(p))
    assert _check(path, tmp_path / "cache") == (1, [(1, "AU101")])
    assert reads == []  # its size, mtime and inode are those recorded with its content
    path.write_bytes(DAG.replace(b"bash_operator", b"bash_operatoR"))  # same size, new mtime
    _age(path, 30)
    assert _check(path, tmp_path / "cache") == (0, [])
    assert reads == [str(path)]


def test_a_file_modified_just_now_is_always_hashed(tmp_path, monkeypatch):
    import upgrade.runner

    path = tmp_path / "dag.py"
    path.write_bytes(DAG)  # another write in the same timestamp tick would keep its stat
    _check(path, tmp_path / "cache")
    reads = []
    real = upgrade.runner.read_bytes
    monkeypatch.setattr(upgrade.runner, "read_bytes", lambda p: reads.append(p) or real(p))
    assert _check(path, tmp_path / "cache") == (1, [(1, "AU101")])
    assert reads == [str(path)]


_FINDING = {
    "line": 1,
    "col": 0,
    "code": "AU101",
    "message": "m",
    "fix": "safe",
    "applied": False,
    "end_line": 1,
    "end_col": 4,
}


def _entry(**changes):
    diagnostic = {key: value for key, value in {**_FINDING, **changes}.items() if value is not _GONE}
    return {"diagnostics": [diagnostic], "error": None}


_GONE = object()


def test_only_entries_of_the_cached_shape_are_used():
    from upgrade.cache import _well_formed

    assert _well_formed(_entry())
    assert _well_formed(_entry(path="dags/a.py", fix=None))
    assert _well_formed({"diagnostics": [], "error": "syntax error", "dependencies": {}, "path": "a.py"})
    for wrong in (
        _entry(col=_GONE),  # a field missing
        _entry(extra=1),  # a field this version does not write
        _entry(path=3),
        _entry(line="1"),
        _entry(applied=1),  # bool is an int, not the other way round
        _entry(fix=True),
        {"diagnostics": ["AU101"], "error": None},
        {"diagnostics": [], "error": None, "dependencies": []},
    ):
        assert not _well_formed(wrong), wrong
