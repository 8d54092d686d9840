"""One target scheme for every command: each real minor 2.0 … 2.11 and 3.0 … 3.3, `2` and `3` for
the newest, one default (the newest 2.x, what a team upgrading from 1.10 will run)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from codemods._targets import DEFAULT_TARGET, TARGETS, UnknownTarget, config_key, parse_target, table_key
from upgrade.registry import select_rules


def test_every_minor_and_the_newest_of_each_major():
    minors = [f"2.{m}" for m in range(12)] + [f"3.{m}" for m in range(4)]
    assert all(parse_target(m) == tuple(int(p) for p in m.split(".")) for m in minors)
    assert parse_target("2") == (2, 11) and parse_target("3") == (3, 3)
    assert parse_target("2.11.2") == (2, 11)  # a patch release means its minor
    assert set(TARGETS) == {*minors, "2", "3"}
    assert DEFAULT_TARGET == "2"
    for bad in ("4", "2.12", "1.10", "3.4", "two"):
        with pytest.raises(UnknownTarget):
            parse_target(bad)


def test_minors_map_onto_the_rule_thresholds():
    codes = lambda target: {r.code for r in select_rules(parse_target(target))}  # noqa: E731
    assert "AU201" not in codes("2.1") and "AU201" in codes("2.2") and "AU201" in codes("2.7")
    assert "AU111" not in codes("2.10") and "AU111" in codes("2.11") and "AU111" in codes("2")
    assert "AU301" not in codes("2") and "AU301" in codes("3.0") and codes("3.2") == codes("3")
    assert [table_key(parse_target(t)) for t in ("2.0", "2.5", "2.10", "2.11", "3.1")] == [
        "2.0",
        "2.0",
        "2.0",
        "2",
        "3",
    ]
    assert config_key(parse_target("2.4")) == "2.0"


@pytest.mark.parametrize("command", ["check", "fix", "rules", "config", "verify"])
def test_every_command_takes_the_same_targets(command):
    shown = subprocess.run(
        [sys.executable, "-m", "upgrade", command, "--help"], capture_output=True, text=True
    )
    assert "2.0 … 2.11, 3.0 … 3.3" in " ".join(shown.stdout.split()) and "default 2" in shown.stdout


def test_rules_shows_targets_it_accepts(tmp_path):
    listed = subprocess.run(
        [sys.executable, "-m", "upgrade", "rules", "--target", "2.11"], capture_output=True, text=True
    )
    assert listed.returncode == 0 and "AU111" in listed.stdout and "AU301" not in listed.stdout
    config = tmp_path / "airflow.cfg"
    config.write_text("[core]\ndags_folder = /dags\n")
    for target in ("2.4", "3.1"):
        result = subprocess.run(
            [sys.executable, "-m", "upgrade", "config", str(config), "--target", target],
            capture_output=True,
            text=True,
        )
        assert result.returncode in (0, 1), result.stderr
