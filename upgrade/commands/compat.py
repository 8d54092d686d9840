"""`airflow-upgrade compat vendor DAGS_DIR`: copy the runtime layer (compat/) into a DAG repo.

git-sync then ships it to every scheduler and worker pod, old and new: the 1.10 side runs
Python 3.8, where this distribution (Python >= 3.9) cannot be installed, but compat/ itself is
plain Python 3.8 that imports nothing but the standard library and Airflow. The copy is a
package of the DAG folder (`--package`, default `compat`); its modules' `compat.` imports are
renamed to that package. Every file starts with a marker line, so a later run refreshes the copy
and refuses to write into a folder that is not one (`--force` to take it over).

Exit status like `fix`: 0 the copy is up to date, 1 files written, 2 usage error.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import compat as compat_package
from upgrade import __version__
from upgrade.settings import SettingsError, load_settings

EXIT_CURRENT, EXIT_WRITTEN, EXIT_ERROR = 0, 1, 2
MARKER = "# Vendored by airflow-upgrade from its compat/ package: do not edit; refresh with `airflow-upgrade compat vendor`."
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_COMPAT_IMPORT = re.compile(rb"^(\s*)(from|import) compat(?=[\s.])", re.M)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="compat_command", metavar="ACTION")
    sub.required = True
    vendor = sub.add_parser(
        "vendor", help="copy compat/ into a DAG repo", description=__doc__.split("\n\n")[0]
    )
    vendor.add_argument("dags_dir", metavar="DAGS_DIR", help="the DAG folder (what git-sync delivers)")
    vendor.add_argument(
        "--package",
        help="package name of the copy (default: `compat-package` of [tool.airflow-upgrade], else compat; "
        "`fix --bridge` imports its helpers from the same setting)",
    )
    vendor.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the copy is missing or stale"
    )
    vendor.add_argument(
        "--force", action="store_true", help="write into an existing folder that is not a copy"
    )


def vendored_files(package: str) -> dict[str, bytes]:
    """file name -> content of the copy, for the package name `package`."""
    source = Path(compat_package.__file__).parent
    files = {}
    for path in sorted(source.glob("*.py")):
        data = _COMPAT_IMPORT.sub(rb"\1\2 " + package.encode(), path.read_bytes())
        files[path.name] = f"{MARKER} (version {__version__})\n".encode() + data
    return files


def run(args: argparse.Namespace) -> int:
    if args.package is None:
        try:
            args.package = load_settings([args.dags_dir]).values.get("compat-package", "compat")
        except SettingsError as exc:
            print(f"airflow-upgrade: error: {exc}", file=sys.stderr)
            return EXIT_ERROR
    if not _IDENTIFIER.match(args.package):
        print(
            f"airflow-upgrade: error: --package {args.package!r} is not a Python identifier", file=sys.stderr
        )
        return EXIT_ERROR
    dags = Path(args.dags_dir)
    if not dags.is_dir():
        print(f"airflow-upgrade: error: {dags}: not a directory", file=sys.stderr)
        return EXIT_ERROR
    target = dags / args.package
    if target.exists() and not target.is_dir():
        print(f"airflow-upgrade: error: {target}: exists and is not a directory", file=sys.stderr)
        return EXIT_ERROR
    if target.is_dir() and not args.force and not _is_copy(target):
        print(
            f"airflow-upgrade: error: {target} exists and is not a vendored copy (no marker line); "
            "choose another --package or pass --force",
            file=sys.stderr,
        )
        return EXIT_ERROR
    wanted = vendored_files(args.package)
    stale = sorted(name for name, data in wanted.items() if _read(target / name) != data)
    if not stale:
        print(f"{target}: up to date ({len(wanted)} files)")
        return EXIT_CURRENT
    if args.check:
        print(f"{target}: {len(stale)} file(s) missing or stale: {', '.join(stale)}")
        return EXIT_WRITTEN
    try:
        target.mkdir(exist_ok=True)
        for name in stale:
            temporary = target / f".{name}.tmp"
            temporary.write_bytes(wanted[name])
            temporary.replace(target / name)
    except OSError as exc:
        print(f"airflow-upgrade: error: {target}: cannot write: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"{target}: wrote {len(stale)} file(s); import it as `{args.package}` from the DAG files "
        f"(e.g. `from {args.package}.dag import schedule_kwargs`) and commit it"
    )
    return EXIT_WRITTEN


def _is_copy(folder: Path) -> bool:
    """An empty folder, or one whose package file carries the marker (a copy, edited or not)."""
    return not any(folder.iterdir()) or _read(folder / "__init__.py").startswith(MARKER.encode())


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""
