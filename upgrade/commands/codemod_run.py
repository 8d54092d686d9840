"""What `check` and `fix` share: arguments, settings merge, the run, the report, the exit code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codemods._context import RunOptions
from codemods._targets import DEFAULT_TARGET, UnknownTarget, parse_target, target_help
from upgrade.progress import progress
from upgrade.provider_pins import load_pins
from upgrade.registry import UnknownRule, all_rules, select_rules
from upgrade.report import FORMATS, TextOptions, emit
from upgrade.runner import CHECK, DIFF, FIX, RunConfig, run, run_source  # noqa: F401 (CHECK, FIX used by check.py/fix.py)
from upgrade.settings import SettingsError, load_settings

EXIT_CLEAN, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def _codes(value: str) -> list[str]:
    return [code.strip().upper() for code in value.split(",") if code.strip()]


def add_arguments(parser: argparse.ArgumentParser, *, fixing: bool) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="DAG files or directories; `-` reads one file from stdin"
    )
    parser.add_argument(
        "--stdin-filename",
        metavar="PATH",
        help="the name of the file read from stdin (for messages, settings, exclude and per-file-ignores)",
    )
    parser.add_argument(
        "--target",
        help=target_help(),
    )
    if fixing:
        parser.add_argument("--diff", action="store_true", help="print a unified diff, write nothing")
    parser.add_argument("--unsafe-fixes", action="store_true", default=None, help="also apply unsafe fixes")
    parser.add_argument("--select", type=_codes, help="only these rule codes or prefixes (comma separated)")
    parser.add_argument("--ignore", type=_codes, help="skip these rule codes or prefixes (comma separated)")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        help="glob of paths to skip, relative to the project root (repeatable)",
    )
    parser.add_argument(
        "--per-file-ignores",
        action="append",
        default=[],
        metavar="GLOB:CODES",
        help="skip these codes in the files the glob matches, e.g. 'dags/legacy/*:AU4,AU101' (repeatable)",
    )
    parser.add_argument(
        "--force-exclude",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="apply exclude (and .gitignore) to files named on the command line too (default: on)",
    )
    parser.add_argument(
        "--respect-gitignore",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="skip files ignored by .gitignore (default: on)",
    )
    parser.add_argument(
        "--include-templates",
        action="store_true",
        default=None,
        help="also check/fix template files (.sql, .sh, ...) next to the DAGs",
    )
    parser.add_argument(
        "--output-format",
        choices=FORMATS,
        default="text",
        help="text (path:line:col: CODE message), json, sarif (SARIF 2.1.0 for code scanning) "
        "or github (workflow annotations)",
    )
    parser.add_argument(
        "--bridge",
        action="store_true",
        default=None,
        help="keep every file loading on Airflow 1.10.15 too: rewritten imports become "
        "try/except ImportError pairs, fixes that 1.10 cannot run are only reported",
    )
    parser.add_argument(
        "--close-bridge",
        action="store_true",
        default=None,
        help="collapse try/except ImportError import pairs to the import the target wants (AU103)",
    )
    parser.add_argument(
        "--compat-package",
        metavar="NAME",
        help="package the bridged code imports the runtime layer from: the name `compat vendor "
        "--package` gave the copy (default: compat)",
    )
    parser.add_argument("-j", "--jobs", type=int, help="worker processes (default: one per CPU)")
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the result cache")
    parser.add_argument("--cache-dir", help="where to keep the result cache (default .airflow-upgrade-cache)")
    parser.add_argument("--config", help="pyproject.toml to read [tool.airflow-upgrade] from")
    parser.add_argument(
        "--airflow-cfg",
        metavar="FILE",
        help="the team's airflow.cfg: DAG defaults read from it (catchup_by_default) make those fixes exact",
    )
    parser.add_argument(
        "--providers",
        metavar="FILE",
        help="requirements/constraints file or pip freeze output pinning the provider releases to target "
        "(default: the newest release of each provider that allows the target Airflow)",
    )
    parser.add_argument(
        "--exit-zero", action="store_true", help="exit 0 even when findings remain (errors still exit 2)"
    )
    parser.add_argument(
        "--statistics", action="store_true", help="count the findings per rule instead of listing them"
    )
    if fixing:
        parser.add_argument(
            "--show-fixes", action="store_true", help="list what was fixed, per file and rule"
        )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=None, help="findings only: no summary, no progress bar"
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=None, help="also list the findings that were fixed"
    )


def _flag(given, values: dict, key: str, default: bool) -> bool:
    return given if given is not None else bool(values.get(key, default))


def _per_file_ignores(given: list[str], table) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`GLOB:CODES` flags and the settings table {glob: [codes]}, codes checked against the rules."""
    if not isinstance(table, dict):
        raise SettingsError("per-file-ignores must be a table of glob = [codes]")
    pairs = []
    for item in given:
        glob, sep, codes = item.rpartition(":")
        if not sep or not glob:
            raise SettingsError(f"--per-file-ignores {item!r}: expected GLOB:CODES")
        pairs.append((glob, _codes(codes)))
    for glob, codes in table.items():
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise SettingsError(f"per-file-ignores {glob!r}: expected a list of rule codes")
        pairs.append((glob, [code.strip().upper() for code in codes]))
    for _, codes in pairs:
        select_rules((3, 99), codes)  # raises UnknownRule for a code no rule has
    return tuple((glob, tuple(codes)) for glob, codes in pairs)


def _catchup_default(given, setting, settings_file):
    """The team's catchup default from --airflow-cfg (or the setting, relative to its pyproject)."""
    if given is None and setting is None:
        return None
    path = (
        given
        if given is not None
        else str(Path(settings_file).parent / setting if settings_file else setting)
    )
    from upgrade.team_config import catchup_default  # its airflow.cfg parser: only when asked

    return catchup_default(path)


def execute(args: argparse.Namespace, mode: str) -> int:
    try:
        stdin = args.paths == ["-"]
        if "-" in args.paths and not stdin:
            raise SettingsError("`-` (stdin) cannot be mixed with other paths")
        settings = load_settings(
            [args.stdin_filename] if stdin and args.stdin_filename else args.paths, args.config
        )
        values = settings.values
        # `--target ''` is a wrong target, not the default one
        target = parse_target(
            args.target if args.target is not None else values.get("target", DEFAULT_TARGET)
        )
        select = args.select or [c.upper() for c in values.get("select", [])] or None
        ignore = (args.ignore or []) + [c.upper() for c in values.get("ignore", [])]
        rules = select_rules(target, select, ignore)
        per_file_ignores = _per_file_ignores(args.per_file_ignores, values.get("per-file-ignores", {}))
        catchup = _catchup_default(args.airflow_cfg, values.get("airflow-cfg"), settings.source)
        pins = load_pins(
            args.providers, values.get("providers"), settings.source.parent if settings.source else Path.cwd()
        )
    except (SettingsError, UnknownTarget, UnknownRule) as exc:
        print(f"airflow-upgrade: error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if getattr(args, "diff", False):
        mode = DIFF
    unsafe = args.unsafe_fixes if args.unsafe_fixes is not None else bool(values.get("unsafe-fixes", False))
    templates = (
        args.include_templates
        if args.include_templates is not None
        else bool(values.get("include-templates", False))
    )
    bridge = _flag(args.bridge, values, "bridge", False)
    close_bridge = _flag(args.close_bridge, values, "close-bridge", False)
    if bridge and close_bridge:
        print("airflow-upgrade: error: --bridge and --close-bridge exclude each other", file=sys.stderr)
        return EXIT_ERROR
    compat_package = args.compat_package or values.get("compat-package") or "compat"
    if not compat_package.isidentifier():
        print(
            f"airflow-upgrade: error: compat package {compat_package!r} is not a Python identifier",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if args.no_cache:
        cache_dir = None
    else:
        base = settings.source.parent if settings.source else Path.cwd()
        cache_dir = args.cache_dir or values.get("cache-dir") or str(base / ".airflow-upgrade-cache")
    config = RunConfig(
        paths=args.paths,
        rules=rules,
        options=RunOptions(
            target=target,
            fix=mode != CHECK,
            unsafe_fixes=unsafe,
            include_templates=templates,
            blanket_noqa=bool(values.get("blanket-noqa", False)),
            bridge=bridge,
            close_bridge=close_bridge,
            compat_package=compat_package,
            catchup_by_default=catchup.value if catchup else None,
            catchup_source=catchup.source if catchup else "",
            provider_pins=pins,
            dag_wrappers=tuple(values.get("dag-wrappers", [])),
        ),
        mode=mode,
        jobs=args.jobs if args.jobs is not None else int(values.get("jobs", 0)),
        cache_dir=cache_dir,
        exclude=tuple(args.exclude) + tuple(values.get("exclude", [])),
        root=str(settings.source.parent) if settings.source else None,
        force_exclude=_flag(args.force_exclude, values, "force-exclude", True),
        respect_gitignore=_flag(args.respect_gitignore, values, "respect-gitignore", True),
        per_file_ignores=per_file_ignores,
    )
    text = TextOptions(
        quiet=bool(args.quiet),
        verbose=bool(args.verbose),
        statistics=args.statistics,
        show_fixes=getattr(args, "show_fixes", False),
        rule_names={rule.code: rule.name for rule in all_rules()},
        next_paths=() if stdin else tuple(args.paths),
    )
    if stdin:
        summary, new_source = run_source(config, args.stdin_filename or "-", sys.stdin.buffer.read())
        if mode == FIX:  # like ruff: the fixed source on stdout, the rest on stderr
            sys.stdout.buffer.write(new_source)
            sys.stdout.flush()
            emit(summary, args.output_format, sys.stderr, sys.stderr, mode, rules, text)
        else:
            emit(summary, args.output_format, sys.stdout, sys.stderr, mode, rules, text)
    else:
        bar = progress("airflow-upgrade", quiet=bool(args.quiet))
        summary = run(config, bar)
        if bar is not None:
            bar.close()
        emit(summary, args.output_format, sys.stdout, sys.stderr, mode, rules, text)
        for directory in summary.skipped_directories:
            print(
                f"airflow-upgrade: note: skipped {directory} (build output by its name;"
                " name it on the command line to check it)",
                file=sys.stderr,
            )
    if summary.errors:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_CLEAN
    if summary.changed_files or any(not d.applied for d in summary.diagnostics):
        return EXIT_FOUND
    return EXIT_CLEAN
