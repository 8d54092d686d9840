"""What every generator in scripts/ shares: where the Airflow envs are, and writing or checking
its committed output.

A generator reads Airflow's (or a provider's) own files and writes data the codemods use; the
output is committed, and `--check` compares instead of writing (tests/test_generated_data.py runs
the check of each generator against the tox envs).
"""

from __future__ import annotations

import argparse
import difflib
import os
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def tox_dir() -> Path:
    """The tox work dir that holds the Airflow envs (af110, af20, af2, af3)."""
    return Path(os.environ.get("AU_TOX_WORKDIR", REPO / ".tox"))


def site_packages(env: str, tox: Path | None = None) -> Path:
    """The site-packages of a tox env; a missing env ends the script with the command to build it."""
    root = (tox or tox_dir()) / env
    found = sorted((root / "lib").glob("python3*/site-packages"))
    if not found:
        raise SystemExit(f"no site-packages under {root}: build the env (tox run -e {env} --notest)")
    return found[0]


def env_python(env: str, tox: Path | None = None) -> Path:
    python = (tox or tox_dir()) / env / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{python} missing: build the env (tox run -e {env} --notest)")
    return python


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--check", action="store_true", help="exit 1 with a diff if the committed output drifted"
    )
    parser.add_argument(
        "--tox-dir",
        type=Path,
        default=None,
        help="where the Airflow envs are (default: $AU_TOX_WORKDIR or .tox)",
    )


def generator_main(doc: str, output: Path, make: Callable[[Path], str], script: str, argv=None) -> int:
    """The command line of a generator with one output: `make(tox_dir)` gives its text, which is
    written, or with --check compared with the committed file."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    return write_or_check({output: make(args.tox_dir or tox_dir())}, check=args.check, script=script)


def write_or_check(
    outputs: dict[Path, str], *, check: bool, script: str, stale: tuple[Path, ...] = ()
) -> int:
    """Write the generated texts, or (check) print a diff of every file that differs and exit 1.

    `stale`: committed files the generator no longer writes (removed with --check failing).
    """
    drifted = [path for path, text in outputs.items() if _read(path) != text]
    if check:
        for path in drifted:
            sys.stdout.writelines(
                difflib.unified_diff(
                    _read(path).splitlines(True),
                    outputs[path].splitlines(True),
                    f"committed {_rel(path)}",
                    "generated",
                )
            )
        for path in [*drifted, *stale]:
            print(f"{_rel(path)} drifted: run `python scripts/{script}`")
        return 1 if drifted or stale else 0
    for path in stale:
        path.unlink()
    for path in drifted:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text(outputs[path], encoding="utf-8")
        os.replace(temporary, path)
        print(f"wrote {_rel(path)}")
    return 0


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return str(path)
