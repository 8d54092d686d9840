"""AU305: `days_ago(n)` (removed in Airflow 3.0) becomes the pendulum expression 1.10 computed."""

import libcst as cst
import pytest

from codemods._targets import parse_target
from codemods.days_ago import DaysAgoReplacer
from tests.codemods.helpers import check_transformed, diagnostics
from upgrade import engine
from upgrade.engine import RunOptions
from upgrade.registry import select_rules


def test_days_ago_becomes_pendulum_and_import_replaced():
    check_transformed(
        """\
        from airflow import DAG
        from airflow.utils.dates import days_ago

        args = {"start_date": days_ago(2)}
        dag = DAG("a", start_date=days_ago(1, hour=3))
        """,
        """\
        from airflow import DAG
        import pendulum

        args = {"start_date": pendulum.today("UTC").add(days=-2)}
        dag = DAG("a", start_date=pendulum.today("UTC").add(days=-1, hours=3))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_kept_import_when_other_names_and_pendulum_present():
    check_transformed(
        """\
        import pendulum
        from airflow.utils.dates import days_ago, cron_presets
        import airflow.utils.dates as dates
        start = dates.days_ago(n + 1)
        """,
        """\
        import pendulum
        from airflow.utils.dates import days_ago, cron_presets
        import airflow.utils.dates as dates
        start = pendulum.today("UTC").add(days=-(n + 1))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_still_referenced_keeps_import_and_adds_pendulum():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        start = days_ago(0)
        helper = days_ago
        """,
        """\
        from airflow.utils.dates import days_ago
        import pendulum
        start = pendulum.today("UTC").add(days=0)
        helper = days_ago
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_called_through_another_binding_of_the_name_is_left_alone():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        start = days_ago(1)
        def f(days_ago):
            return days_ago(3)
        for days_ago in (len, abs):
            days_ago(2)
        """,
        """\
        import pendulum
        start = pendulum.today("UTC").add(days=-1)
        def f(days_ago):
            return days_ago(3)
        for days_ago in (len, abs):
            days_ago(2)
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_import_further_down_gives_its_place_to_pendulum():
    check_transformed(
        """\
        \"\"\"Doc.\"\"\"
        from airflow import DAG
        x = 1
        from airflow.utils.dates import days_ago
        dag = DAG("a", start_date=days_ago(1))
        """,
        """\
        \"\"\"Doc.\"\"\"
        from airflow import DAG
        x = 1
        import pendulum
        dag = DAG("a", start_date=pendulum.today("UTC").add(days=-1))
        """,
        target="3",
        select=["AU305"],
    )


def test_days_ago_imported_in_a_function_puts_pendulum_first():
    check_transformed(
        """\
        def make():
            from airflow.utils.dates import days_ago
            return days_ago(1)
        """,
        """\
        import pendulum
        def make():
            from airflow.utils.dates import days_ago
            return pendulum.today("UTC").add(days=-1)
        """,
        target="3",
        select=["AU305"],
    )


def test_pendulum_goes_after_the_first_import_block_when_days_ago_stays():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        from airflow import DAG

        start = days_ago(2)
        later = days_ago
        """,
        """\
        from airflow.utils.dates import days_ago
        from airflow import DAG
        import pendulum

        start = pendulum.today("UTC").add(days=-2)
        later = days_ago
        """,
        target="3",
        select=["AU305"],
    )


def test_message_shows_the_expression_the_fix_writes():
    # decided on the ast, which leaves out a value's own parentheses: the message keeps them
    found = diagnostics(
        "from airflow.utils.dates import days_ago\nstart = days_ago( (1) , hour=(\n  3))\n",
        target="3",
        select=["AU305"],
    )
    assert [d.message for d in found] == [
        '`days_ago` was removed in Airflow 3.0: use `pendulum.today("UTC").add(days=-(1), hours=(\n  3))` '
        "(the same value)"
    ]
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        start = days_ago( (1) , hour=(
          3))
        """,
        """\
        import pendulum
        start = pendulum.today("UTC").add(days=-(1), hours=(
          3))
        """,
        target="3",
        select=["AU305"],
    )


def test_pendulum_goes_after_the_first_import_block_when_another_fix_splits_an_import():
    check_transformed(
        """\
        import os

        from airflow import DAG, utils as airflow_utils
        from airflow.operators.bash_operator import BashOperator

        start = airflow_utils.dates.days_ago(3)
        """,
        """\
        import os

        from airflow.sdk import DAG
        from airflow import utils as airflow_utils
        from airflow.providers.standard.operators.bash import BashOperator
        import pendulum

        start = pendulum.today("UTC").add(days=-3)
        """,
        target="3",
        select=["AU101", "AU305"],
    )


def test_days_ago_imported_on_a_line_with_another_statement_stays():
    check_transformed(
        """\
        import os; from airflow.utils.dates import days_ago
        start = days_ago(1)
        """,
        """\
        import os; from airflow.utils.dates import days_ago
        import pendulum
        start = pendulum.today("UTC").add(days=-1)
        """,
        target="3",
        select=["AU305"],
    )


def test_pendulum_after_an_import_another_fix_splits_or_removes():
    check_transformed(
        """\
        import os
        from airflow import DAG, utils as airflow_utils

        start = airflow_utils.dates.days_ago(3)
        """,
        """\
        import os
        from airflow.sdk import DAG
        from airflow import utils as airflow_utils
        import pendulum

        start = pendulum.today("UTC").add(days=-3)
        """,
        target="3",
    )
    check_transformed(
        """\
        import airflow.utils.dates as dates
        from airflow.utils.dates import days_ago as unused_name

        start = dates.days_ago(3)
        """,
        """\
        import airflow.utils.dates as dates
        import pendulum

        start = pendulum.today("UTC").add(days=-3)
        """,
        target="3",
    )


def test_pendulum_goes_after_the_docstring_without_top_level_imports():
    # before the import service it went above the docstring, which then was no docstring
    check_transformed(
        """\
        \"\"\"My DAGs.\"\"\"
        try:
            from airflow.utils.dates import days_ago
        except ImportError:
            days_ago = None

        start = days_ago(1)
        """,
        """\
        \"\"\"My DAGs.\"\"\"
        import pendulum
        try:
            from airflow.utils.dates import days_ago
        except ImportError:
            days_ago = None

        start = pendulum.today("UTC").add(days=-1)
        """,
        target="3",
        select=["AU305"],
    )


# the calls on one line go as byte edits: the same text as the LibCST rewrite, or no edit
CALL_LAYOUTS = [
    ("start = days_ago(2)\n", True),
    ("start = days_ago( (1) , hour=3)\n", True),
    ("start = days_ago(n=1, minute=5, second=0)\n", True),
    ("start = days_ago(-1)\n", True),
    ("start = days_ago(0)\n", True),
    ("start = days_ago(x.y + 1)\n", True),
    ("start = days_ago(int(n))\n", True),
    ("start = days_ago(True)\n", True),
    ("start = days_ago(1.5)\n", True),
    ('args = {"start_date": days_ago(1), "retries": 1}\n', True),
    ("starts = [days_ago(1), days_ago(2)]\n", True),
    ("start = (days_ago(1))\n", False),
    ("start = f(days_ago(1))\n", False),
    ("start = days_ago(\n    1)\n", False),
]


def _fixed(source: str) -> tuple[bytes, list[bytes]]:
    """The fixed file and the texts LibCST parsed for it."""
    parsed: list[bytes] = []
    real = cst.parse_module

    def recording(text, *args, **kwargs):
        parsed.append(text)
        return real(text, *args, **kwargs)

    cst.parse_module = recording
    try:
        result = engine.process_source(
            "d.py",
            source.encode(),
            select_rules(parse_target("3"), ["AU305"]),
            RunOptions(parse_target("3"), fix=True),
        )
    finally:
        cst.parse_module = real
    assert result.error is None
    return result.new_source, parsed


@pytest.mark.parametrize(("source", "by_edit"), CALL_LAYOUTS)
def test_call_edit_prints_what_the_libcst_rewrite_prints(source, by_edit, monkeypatch):
    source = "from airflow.utils.dates import days_ago\n" + source
    fixed, parsed = _fixed(source)
    call = "".join(source.splitlines(keepends=True)[1:]).encode()
    assert (not any(call in text for text in parsed)) == by_edit  # LibCST parsed the import only
    monkeypatch.setattr(DaysAgoReplacer, "_call_edit", lambda self, call: None)
    by_libcst, _ = _fixed(source)
    assert fixed == by_libcst
