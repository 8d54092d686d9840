"""`airflow-upgrade check`: report, change nothing."""

from upgrade.commands import codemod_run


def add_arguments(parser):
    codemod_run.add_arguments(parser, fixing=False)


def run(args):
    return codemod_run.execute(args, codemod_run.CHECK)
