"""`airflow-upgrade config PATH`: migrate a 1.10 airflow.cfg for Airflow 2.0, latest 2.x or 3.

Without -o/--in-place nothing is written: the changes are listed (exit 1 if any), like
`check`. Exit codes: 0 nothing to change, 1 changes made or needed, 2 the file cannot be used.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
from pathlib import Path

from upgrade.config_migration import env_overrides, rules
from upgrade.config_migration.cfg_document import ConfigFileError, load
from upgrade.config_migration.migrate import migrate
from upgrade.config_migration.pod_template import PodTemplateError, to_yaml

OK, CHANGED, UNUSABLE = 0, 1, 2
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<password>[^@\s]+)(?=@)", re.I)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, help="the 1.10 airflow.cfg")
    parser.add_argument(
        "--target",
        choices=sorted(rules.TARGET_VERSIONS),
        default="2",
        help="2.0 = Airflow 2.0.x; 2 = latest 2.x (default); 3 = Airflow 3",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="write the migrated file here")
    where.add_argument("--in-place", action="store_true", help="rewrite PATH itself")
    parser.add_argument(
        "--pod-template",
        type=Path,
        help="where to write the KubernetesExecutor pod template (default: pod_template.yaml next to the output)",
    )
    parser.add_argument(
        "--pod-template-path",
        help="the pod_template_file value to write into the config, i.e. the path inside the scheduler "
        "container (default: the absolute path of --pod-template)",
    )
    parser.add_argument(
        "--env-file",
        type=Path,
        action="append",
        default=[],
        help="a dotenv file of AIRFLOW__SECTION__KEY overrides to check (repeatable); "
        "the process environment is always checked",
    )
    parser.add_argument("--diff", action="store_true", help="print a unified diff (passwords masked)")


def redact(text: str) -> str:
    return _URL_PASSWORD.sub(lambda m: m.group("scheme") + "***", text)


def _fail(path: Path, reason: str) -> int:
    print(f"airflow-upgrade config: {path}: {reason}", file=sys.stderr)
    return UNUSABLE


def write_atomically(path: Path, text: str) -> None:
    """Write via a temp file in the same directory and os.replace: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if path.exists():
            os.chmod(temp, path.stat().st_mode & 0o777)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    try:
        document = load(path)
    except ConfigFileError as exc:
        return _fail(path, str(exc))
    original = document.render()
    output = path if args.in_place else args.output
    template_file = args.pod_template or ((output or path).resolve().parent / "pod_template.yaml")
    template_value = args.pod_template_path or str(Path(template_file).resolve())
    try:
        migration = migrate(document, args.target, template_value)
    except PodTemplateError as exc:
        return _fail(path, f"cannot build the pod template: {exc}")
    migrated = document.render()

    names = env_overrides.names_in_environment(os.environ)
    for env_file in args.env_file:
        try:
            names += env_overrides.names_in_env_file(env_file)
        except (OSError, UnicodeDecodeError) as exc:
            return _fail(env_file, f"cannot read env file: {getattr(exc, 'strerror', None) or exc}")
    overrides = env_overrides.check_overrides(names, args.target)

    for change in migration.changes:
        print(f"{path}: {change.line()}")
    for override in overrides:
        print(f"env override {override.line()}")
    if args.diff and migrated != original:
        diff = difflib.unified_diff(
            original.splitlines(keepends=True),
            migrated.splitlines(keepends=True),
            str(path),
            str(output or path),
        )
        sys.stdout.writelines(redact(line) for line in diff)

    if output is not None:
        try:
            if migration.pod is not None:
                write_atomically(Path(template_file), to_yaml(migration.pod, path.name))
            if migrated != original or output != path:
                write_atomically(output, migrated)
        except OSError as exc:
            return _fail(output, f"cannot write: {exc.strerror or exc}")
    changed = migrated != original or bool(overrides)
    summary = f"{len(migration.changes)} config change(s), {len(overrides)} env override(s) to rename"
    if output is None and changed:
        summary += "; nothing written (use -o OUT or --in-place)"
    elif output is not None:
        summary += f"; wrote {output}" + (f" and {template_file}" if migration.pod is not None else "")
    print(summary)
    return CHANGED if changed else OK
