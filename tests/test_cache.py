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
