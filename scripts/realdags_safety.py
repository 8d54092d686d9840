#!/usr/bin/env python3
"""`fix` never breaks a real repo: over a directory of real DAG repos (default: the 19 real 1.10
repos of ../shared/realdags/repos), at every target, every file that parsed still parses, a second
fix changes nothing, no file is created or removed, and no traceback or internal error is printed.

    python scripts/realdags_safety.py [REPOS_DIR] [--targets 2.0,2.2,2,3]

Runs the command as a user runs it, on a copy (the repos are read-only data). Not part of the test
suite: the repos are data outside this repository. ~45 s a target on 2 cores. Exit 1 on any defect.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Next to the checkout (../shared), or next to the folder holding worktrees of it.
DEFAULT_REPOS = next(
    (
        p
        for p in (
            REPO.parent / "shared" / "realdags" / "repos",
            REPO.parent.parent / "shared" / "realdags" / "repos",
        )
        if p.is_dir()
    ),
    REPO.parent / "shared" / "realdags" / "repos",
)


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


def check_target(source: Path, target: str, extra: tuple[str, ...]) -> list[str]:
    """The defects found at one target (empty: none); prints the figures."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "repos"
        shutil.copytree(source, root, symlinks=True)
        for path in [root, *root.rglob("*")]:  # the shared copy is read-only; a repo's own files are not
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)
        before = snapshot_tree(root)
        first = fix(root, target, *extra)
        after = snapshot_tree(root)
        second = fix(root, target, *extra)
        again = snapshot_tree(root)
    defects = []
    for run in (first, second):
        if "Traceback" in run.stderr or "internal error" in run.stderr:
            defects.append(f"traceback or internal error:\n{run.stderr[-3000:]}")
        if run.returncode not in (0, 1, 2):
            defects.append(f"exit {run.returncode}: {run.stderr[-2000:]}")
    changed = [name for name in before if after.get(name) != before[name]]
    broken = [n for n in changed if n.endswith(".py") and parses(before[n]) and not parses(after[n])]
    if broken:
        defects.append(f"files that parsed and no longer do: {broken}")
    if set(after) != set(before):
        defects.append("fix created or removed files")
    moved = [name for name in after if again.get(name) != after[name]]
    if moved:
        defects.append(f"a second fix changed {moved}")
    print(
        f"--target {target} {' '.join(extra)}: {len(changed)} of {len(before)} files fixed, {len(broken)} broken"
    )
    return defects


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("repos", nargs="?", type=Path, default=DEFAULT_REPOS)
    parser.add_argument("--targets", default="2.0,2.2,2,3")
    args = parser.parse_args()
    if not args.repos.is_dir():
        print(f"realdags_safety: {args.repos}: not a directory", file=sys.stderr)
        return 2
    defects = []
    for target in args.targets.split(","):
        extra = ("--unsafe-fixes",) if target.startswith("3") else ()
        defects += [f"--target {target}: {d}" for d in check_target(args.repos, target, extra)]
    for defect in defects:
        print(defect, file=sys.stderr)
    return 1 if defects else 0


if __name__ == "__main__":
    sys.exit(main())
