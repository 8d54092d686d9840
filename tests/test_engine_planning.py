"""How much of a file the engine hands to LibCST: only statements a rule may still change.

The counts come from the real LibCST parser, wrapped to record what it was given.
"""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade import engine
from upgrade.registry import select_rules

DAG_FILE = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.python_operator import PythonOperator

default_args = {"owner": "data", "catchUp": False}

with DAG("d", default_args=default_args, schedule_interval="0 8 * * *") as dag:
    a = BashOperator(task_id="a", bash_command="echo {{ ds }}", Retries=2)
    b = PythonOperator(
        task_id="b",
        python_callable=print,
        provide_context=True,
    )
    c = BashOperator(task_id="c", bash_command="true", schedule_interval="@daily")
    a >> b >> c
"""


@pytest.fixture
def parsed(monkeypatch):
    """The texts LibCST was asked to parse during one process_source call."""
    texts: list[bytes] = []
    real = cst.parse_module

    def recording(source, *args, **kwargs):
        texts.append(source)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(cst, "parse_module", recording)  # the engine imports it when it parses
    return texts


def _run(source: str, *, fix: bool, select=None, target="2.0"):
    rules = select_rules(parse_target(target), select)
    data = textwrap.dedent(source).encode()
    return engine.process_source("dag.py", data, rules, RunOptions(parse_target(target), fix=fix))


def test_check_of_a_dag_file_never_parses_with_libcst(parsed):
    result = _run(DAG_FILE, fix=False)
    codes = sorted(d.code for d in result.diagnostics)
    assert codes == ["AU101", "AU101", "AU110", "AU133", "AU161", "AU401", "AU401"]
    assert parsed == []  # every one of them reported from CPython's ast


def test_fix_edits_imports_in_place_and_regenerates_only_changed_statements(parsed):
    result = _run(DAG_FILE, fix=True)
    assert result.error is None
    expected = (
        DAG_FILE.replace("bash_operator import", "bash import")
        .replace("python_operator import", "python import")
        .replace("        provide_context=True,\n", "")
        .replace(', schedule_interval="@daily")', ")")
        .replace(", Retries=2)", ")")  # AU161: 1.10 ignored it
    )
    assert result.new_source.decode() == expected
    # the two calls LibCST rewrites, each alone; never the imports, the header or task b, whose
    # `provide_context=True,` line goes as a byte edit (codemods/_keyword_removal.py)
    assert parsed == [
        b'a = BashOperator(task_id="a", bash_command="echo {{ ds }}", Retries=2)\n',
        b'c = BashOperator(task_id="c", bash_command="true", schedule_interval="@daily")\n',
    ]


def test_report_only_rule_never_costs_a_libcst_parse(parsed):
    result = _run(DAG_FILE, fix=True, select=["AU401"])
    assert [d.code for d in result.diagnostics] == ["AU401", "AU401"]
    assert result.new_source is None
    assert parsed == []


def test_dag_header_with_schedule_interval_does_not_pull_in_the_body(parsed):
    _run(
        """\
        from airflow import DAG
        from airflow.operators.bash import BashOperator
        with DAG("d", schedule_interval="@daily") as dag:
            a = BashOperator(task_id="a", bash_command="true")
            b = BashOperator(task_id="b", bash_command="true", schedule_interval="@hourly")
        """,
        fix=True,
        select=["AU133"],
    )
    assert parsed == [b'b = BashOperator(task_id="b", bash_command="true", schedule_interval="@hourly")\n']


def test_byte_edits_and_a_regenerated_statement_on_neighbouring_lines():
    result = _run(
        """\
        from airflow.operators.python_operator import PythonOperator; t = PythonOperator(task_id="t", python_callable=print, provide_context=True)
        """,
        fix=True,
    )
    assert result.error is None
    assert result.new_source == (
        b'from airflow.operators.python import PythonOperator; t = PythonOperator(task_id="t", python_callable=print)\n'
    )


TEMPLATED_DAG = """\
from airflow import DAG
from airflow.operators.bash import BashOperator

ROOT = "/data/{{ ds }}"


class Paths:
    day = "{{ execution_date }}"

    def render(self, **context):
        return context["execution_date"]


with DAG("d") as dag:
    a = BashOperator(task_id="a", bash_command="true")
    b = BashOperator(task_id="b", bash_command="run {{ execution_date }}")
"""


def test_template_rules_fix_with_byte_edits_and_parse_nothing(parsed):
    # AU201 and AU202 decide on the ast; their fixes here are byte edits of string literals
    result = _run(TEMPLATED_DAG, fix=True, select=["AU201", "AU202"], target="2.2")
    assert result.error is None
    assert parsed == []
    assert result.new_source.decode() == TEMPLATED_DAG.replace(
        '        return context["execution_date"]', '        return context["logical_date"]'
    ).replace("run {{ execution_date }}", "run {{ logical_date }}")
    # inside a class, a string is not a module-level constant: reported, not rewritten
    class_string = [d for d in result.diagnostics if d.line == 8]
    assert [(d.code, d.fix, d.applied) for d in class_string] == [("AU201", None, False)]


def test_template_and_context_rules_check_without_libcst(parsed):
    # AU201, AU202 and AU203 decide on the ast (strings split in pieces by the tokenizer)
    source = TEMPLATED_DAG + (
        'c = BashOperator(task_id="c", bash_command="{{ next_ds }}" f"{{{{ prev_ds }}}}", sql="q.sql")\n'
        "def load(execution_date, **kwargs):\n"
        '    return kwargs.get("next_execution_date"), kwargs["ti"].execution_date\n'
    )
    result = _run(source, fix=False, select=["AU201", "AU202", "AU203"], target="3")
    assert parsed == []
    assert sorted({(d.line, d.code) for d in result.diagnostics}) == [
        (8, "AU201"),
        (11, "AU202"),
        (16, "AU201"),
        (17, "AU201"),
        (18, "AU202"),
        (19, "AU202"),
    ]


def test_libcst_reports_after_a_byte_edit_of_their_line_keep_the_original_columns():
    # AU202's bridge form is a byte edit made before the LibCST walk that reports AU305
    source = """\
        import airflow.utils.dates
        def f(**context):
            if context["execution_date"] < airflow.utils.dates.days_ago(1):
                pass
        """
    rules = select_rules(parse_target("3"), ["AU202", "AU305"])
    data = textwrap.dedent(source).encode()
    options = RunOptions(parse_target("3"), fix=True, bridge=True)
    fixed = engine.process_source("dag.py", data, rules, options)
    checked = engine.process_source("dag.py", data, rules, RunOptions(parse_target("3")))
    assert b'"logical_date" if "logical_date" in context' in fixed.new_source
    where = {d.code: (d.line, d.col, d.end_line, d.end_col) for d in checked.diagnostics}
    assert {d.code: (d.line, d.col, d.end_line, d.end_col) for d in fixed.diagnostics} == where
