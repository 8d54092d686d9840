"""`fix` never breaks a real repo: over the 19 real 1.10 DAG repos of shared/realdags, at every
target, every file that parsed still parses, a second fix changes nothing, and no traceback
or internal error is printed. The command runs as a user runs it, on a copy (the repos are
read-only data)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.airflow_envs import REPO


def realdags_repos() -> Path:
    candidates = [Path(os.environ["AU_REALDAGS"])] if os.environ.get("AU_REALDAGS") else []
    candidates += [
        REPO.parent / "shared" / "realdags" / "repos",
        REPO.parent.parent / "shared" / "realdags" / "repos",
    ]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    pytest.fail(f"the real DAG repos are not at {' or '.join(map(str, candidates))}; set AU_REALDAGS=DIR")


def snapshot_tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def parses(data: bytes) -> bool:
    try:
        ast.parse(data)
    except (SyntaxError, ValueError):
        return False
    return True


def fix(root: Path, target: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "upgrade", "fix", "--no-cache", "-q", "--target", target, *extra, "."],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
    )


# ~45 s a target on 2 cores; --target 3 with --unsafe-fixes applies its safe fixes too.
@pytest.mark.slow
@pytest.mark.parametrize(
    "target, extra",
    [("2.0", ()), ("2.2", ()), ("2", ()), ("3", ("--unsafe-fixes",))],
    ids=["2.0", "2.2", "2", "3-unsafe"],
)
def test_fix_never_breaks_a_real_repo(tmp_path: Path, target: str, extra: tuple[str, ...]):
    source = realdags_repos()
    root = tmp_path / "repos"
    shutil.copytree(source, root, symlinks=True)
    for path in [root, *root.rglob("*")]:  # the shared copy is read-only; a repo's own files are not
        if path.is_symlink():
            continue
        path.chmod(0o755 if path.is_dir() else 0o644)
    before = snapshot_tree(root)

    first = fix(root, target, *extra)
    for result in (first,):
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr[
            -3000:
        ]
    assert first.returncode in (0, 1, 2), first.stderr[-2000:]
    after = snapshot_tree(root)
    changed = [name for name in before if after.get(name) != before[name]]
    broken = [
        name for name in changed if name.endswith(".py") and parses(before[name]) and not parses(after[name])
    ]
    assert not broken, f"files that parsed and no longer do: {broken}"
    assert set(after) == set(before), "fix created or removed files"

    second = fix(root, target, *extra)
    assert "Traceback" not in second.stderr and "internal error" not in second.stderr, second.stderr[-3000:]
    again = snapshot_tree(root)
    moved = [name for name in after if again.get(name) != after[name]]
    assert not moved, f"a second fix changed {moved}"
    assert len(changed) > 50, (
        f"only {len(changed)} files changed at --target {target}: is this the real corpus?"
    )
    print(f"--target {target} {' '.join(extra)}: {len(changed)} of {len(before)} files fixed, none broken")
