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
