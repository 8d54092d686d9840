#!/usr/bin/env python3
"""Every DAG file that still fails to load after `fix` gets a `check` finding on the statement
that fails: over the fixed copy a real-repo measurement kept (`KEEP=DIR measure.sh 3 ...`: DIR/c,
DIR/after.jsonl), reload each failing file with a full traceback, take its frames in the fixed
copy, run `check` on those files and say whether a finding lies on a failing statement (or, where
the loader stubbed a module the env lacks, whether AU195 reports that import).

    python scripts/explained_failures.py KEEP_DIR BEFORE.jsonl --python ENV/bin/python \\
        --realdags ../shared/realdags [--target 3]

Prints one line per failing file (explained or not, the finding or the error) and `explained N of M`.
Not part of the test suite: the repos are data outside this repository. Exit 1 when one is unexplained.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAME = re.compile(r'File "([^"]+)", line (\d+)')


def loads(record: dict | None) -> bool:
    return record is not None and not record["error"] and bool(record["dags"])


def failing_files(before: Path, after: Path) -> list[str]:
    old = {r["file"]: r for r in map(json.loads, before.read_text().splitlines())}
    new = {r["file"]: r for r in map(json.loads, after.read_text().splitlines())}
    return sorted(f for f, r in old.items() if loads(r) and not loads(new.get(f)))


def full_tracebacks(copy: Path, python: str, realdags: Path) -> dict[str, str]:
    """file (relative to the copy) -> its import error, with Airflow's traceback depth raised."""
    env = dict(
        os.environ, AIRFLOW__CORE__DAGBAG_IMPORT_ERROR_TRACEBACK_DEPTH="200", PYTHONDONTWRITEBYTECODE="1"
    )
    env.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="explained-home-"))
    units = subprocess.run(
        [sys.executable, str(realdags / "units.py"), str(copy)], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    errors: dict[str, str] = {}
    for line in units:
        unit, *extra = line.split("\t")
        out = subprocess.run(
            [python, str(realdags / "snapshot_dags.py"), unit, *extra],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        ).stdout
        prefix = os.path.relpath(unit, copy)
        for record in map(json.loads, filter(None, out.splitlines())):
            errors[os.path.normpath(os.path.join(prefix, record["file"]))] = record["error"] or ""
    return errors


def failing_frames(error: str, copy: Path) -> list[tuple[Path, int]]:
    """The frames of the last traceback that lie in the fixed copy, deepest first."""
    last = error.rsplit("During handling of the above exception", 1)[-1]
    frames = [(Path(p), int(n)) for p, n in FRAME.findall(last) if Path(p).resolve().is_relative_to(copy)]
    return frames[::-1]


def statement_span(path: Path, line: int) -> tuple[int, int]:
    """First and last line of the innermost statement holding `line`."""
    try:
        tree = ast.parse(path.read_bytes())
    except SyntaxError:
        return line, line
    spans = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt):
            continue
        body = getattr(node, "body", None)
        # a compound statement (with, for, if, def...) fails on its header, not on its body
        end = body[0].lineno - 1 if isinstance(body, list) and body else node.end_lineno or node.lineno
        if node.lineno <= line <= max(end, node.lineno):
            spans.append((node.lineno, max(end, node.lineno)))
    return min(spans, key=lambda span: span[1] - span[0], default=(line, line))


def findings(paths: list[Path], target: str) -> dict[Path, list[dict]]:
    command = [sys.executable, "-m", "upgrade", "check", "--target", target, "--output-format", "json"]
    command += ["--no-force-exclude", "--no-respect-gitignore", "--no-cache", "--exit-zero"]
    out = subprocess.run(
        command + [str(p) for p in sorted(set(paths))], capture_output=True, text=True, cwd=REPO
    )
    found: dict[Path, list[dict]] = {}
    for item in json.loads(out.stdout)["diagnostics"]:
        found.setdefault(Path(item["path"]).resolve(), []).append(item)
    return found


def importable(python: str, module: str) -> bool:
    probe = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({module!r}) else 1)"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("keep", type=Path)
    parser.add_argument("before", type=Path)
    parser.add_argument("--python", required=True, help="the target Airflow env's python")
    parser.add_argument(
        "--realdags", type=Path, required=True, help="folder with units.py and snapshot_dags.py"
    )
    parser.add_argument("--target", default="3")
    args = parser.parse_args()
    copy = (args.keep / "c").resolve()
    failing = failing_files(args.before, args.keep / "after.jsonl")
    errors = full_tracebacks(copy, args.python, args.realdags.resolve())
    frames = {f: failing_frames(errors.get(f, ""), copy) for f in failing}
    found = findings([path.resolve() for chain in frames.values() for path, _ in chain], args.target)
    explained = 0
    for f in failing:
        last_error = (errors.get(f) or "builds no DAG").strip().splitlines()[-1][:110]
        if not frames[f]:
            print(f"UNEXPLAINED {f}: no frame in the fixed copy: {last_error}")
            continue
        hits = []
        for path, line in frames[f]:
            first, last = statement_span(path, line)
            hits += [(path, d) for d in found.get(path.resolve(), []) if first <= d["line"] <= last]
        path, line = frames[f][0]
        where = f"{path.relative_to(copy)}:{line}"
        if not hits:
            # the loader stubs third-party modules the env lacks: on a plain install the file fails
            # at that import instead, which AU195 reports
            hits = [
                (p, d)
                for p, _ in frames[f]
                for d in found.get(p.resolve(), [])
                if d["code"] == "AU195" and not importable(args.python, d["message"].split("`")[1])
            ]
        if hits:
            explained += 1
            codes = ", ".join(f"{d['code']}@{p.name}:{d['line']}" for p, d in hits)
            print(f"explained   {f}: fails at {where} ({last_error}); {codes}: {hits[0][1]['message'][:160]}")
        else:
            print(f"UNEXPLAINED {f}: fails at {where}: {last_error}")
    print(f"explained {explained} of {len(failing)}")
    return 0 if explained == len(failing) else 1


if __name__ == "__main__":
    sys.exit(main())
