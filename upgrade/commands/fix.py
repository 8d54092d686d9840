"""`airflow-upgrade fix`: rewrite in place (or print a diff with --diff)."""

from upgrade.commands import codemod_run


def add_arguments(parser):
    codemod_run.add_arguments(parser, fixing=True)


def run(args):
    return codemod_run.execute(args, codemod_run.FIX)
