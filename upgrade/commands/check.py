"""`airflow-upgrade check`: report, change nothing (ruff's `check --fix` / `--diff` work too)."""

from upgrade.commands import codemod_run


def add_arguments(parser):
    codemod_run.add_arguments(parser, fixing=True)
    parser.add_argument("--fix", action="store_true", help="apply the fixes, as `airflow-upgrade fix` does")


def run(args):
    return codemod_run.execute(args, codemod_run.FIX if args.fix else codemod_run.CHECK)
