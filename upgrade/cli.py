"""The `airflow-upgrade` command: one parser, one module per subcommand.

Each subcommand module exposes ``add_arguments(parser)`` and ``run(args) -> int``; it is
imported only when chosen, so `check` never pays for psycopg2 or the kubernetes client.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from upgrade import __version__
from upgrade.errors import debugging, internal_error

# name -> (module, one-line help)
SUBCOMMANDS = {
    "check": ("upgrade.commands.check", "report what must change for the target Airflow version"),
    "fix": ("upgrade.commands.fix", "rewrite DAG files in place for the target Airflow version"),
    "rules": ("upgrade.commands.rules", "list every rule with its code, targets and fix safety"),
    "rule": ("upgrade.commands.rule", "explain a rule: what it does, why, an example, its fix safety"),
    "config": ("upgrade.config_migration.command", "migrate an airflow.cfg from 1.10 to 2.x/3.x"),
    "rollout": ("upgrade.rollout.command", "staged scheduler-HA rollout checks against the metadata DB"),
    "snapshot": ("upgrade.verify.snapshot_command", "record the DAGs a repo builds under one Airflow env"),
    "verify": ("upgrade.verify.command", "diff the DAGs built before and after the upgrade"),
    "compat": (
        "upgrade.commands.compat",
        "vendor the runtime layer (compat/) into a DAG repo for both Airflows",
    ),
}

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="airflow-upgrade",
        description="Take an Airflow 1.10 DAG repository to Airflow 2 and 3.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text, description=help_text)
        sub_parser.set_defaults(_module=module_name)
        _load(module_name).add_arguments(sub_parser)
        _add_verbosity(sub_parser)
    return parser


def _add_verbosity(sub_parser: argparse.ArgumentParser) -> None:
    """-q / -v on every subcommand (those that do not define their own): progress bars and
    summaries read args.quiet / args.verbose."""
    for flags, dest, help_text in (
        (("-q", "--quiet"), "quiet", "less output: no progress bar, no summary"),
        (("-v", "--verbose"), "verbose", "more output"),
    ):
        if not any(flag in sub_parser._option_string_actions for flag in flags):
            sub_parser.add_argument(*flags, dest=dest, action="store_true", help=help_text)


def _load(module_name: str):
    return importlib.import_module(module_name)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # Build only the chosen subcommand's arguments when we can tell which one it is:
    # importing every subcommand module on each run would cost start-up time.
    parser = build_parser_for(argv)
    args = parser.parse_args(argv)
    _write_file_names_as_bytes()
    _collect_garbage_rarely()
    try:
        code = int(_load(args._module).run(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at exit
        return code
    except KeyboardInterrupt:
        print("airflow-upgrade: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`rules | head -1`): nothing more to say, and Python must not
        # complain about the unflushed stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return USAGE_ERROR
    except Exception as exc:  # the top-level error boundary: one line, never a traceback
        if debugging():
            raise
        print(f"airflow-upgrade: {internal_error(exc)}", file=sys.stderr)
        return USAGE_ERROR


def _collect_garbage_rarely() -> None:
    """Parsing allocates millions of short-lived objects (ast and LibCST nodes) that hold no
    reference cycles: freed by their reference counts, while the cyclic collector, run every
    700 allocations by default, scanned them for nothing (about a sixth of a check).
    A rarer gen-0 collection still bounds the memory any cyclic garbage can take."""
    gc.set_threshold(100_000, 50, 100)


def _write_file_names_as_bytes() -> None:
    """A file name that is not valid in the locale's encoding (byte 0xff under UTF-8) reaches
    Python as a surrogate escape; printed back as the same bytes, it names the same file."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="surrogateescape")


def build_parser_for(argv: list[str]) -> argparse.ArgumentParser:
    chosen = next((a for a in argv if not a.startswith("-")), None)
    if chosen not in SUBCOMMANDS:
        return build_parser()
    parser = argparse.ArgumentParser(prog="airflow-upgrade")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    module_name, help_text = SUBCOMMANDS[chosen]
    sub_parser = sub.add_parser(chosen, help=help_text, description=help_text)
    sub_parser.set_defaults(_module=module_name)
    _load(module_name).add_arguments(sub_parser)
    _add_verbosity(sub_parser)
    return parser


if __name__ == "__main__":
    sys.exit(main())
