"""Bytes Python accepts that LibCST does not all keep: a lone `\r` line ending (old Mac files),
a form feed in a line's leading whitespace."""

from __future__ import annotations

import ast

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.engine import process_source
from upgrade.registry import select_rules

SOURCE = (
    "from airflow.operators.python_operator import PythonOperator\n"
    "t2 = PythonOperator(task_id='t2', python_callable=len, provide_context=True)\n"
    "t3 = 1  # after\n"
)
FIXED = (
    "from airflow.operators.python import PythonOperator\n"
    "t2 = PythonOperator(task_id='t2', python_callable=len)\n"
    "t3 = 1  # after\n"
)


def fix(data: bytes):
    target = parse_target("2")
    return process_source("dag.py", data, select_rules(target), RunOptions(target, fix=True))


def test_cr_only_file_is_fixed_and_keeps_its_line_endings():
    result = fix(SOURCE.replace("\n", "\r").encode())
    assert result.error is None
    assert result.new_source == FIXED.replace("\n", "\r").encode()
    ast.parse(result.new_source)
    assert fix(result.new_source).new_source is None


def test_crlf_file_keeps_its_line_endings():
    result = fix(SOURCE.replace("\n", "\r\n").encode())
    assert result.new_source == FIXED.replace("\n", "\r\n").encode()


def test_a_file_mixing_lone_cr_with_lf_is_never_written_broken():
    data = SOURCE.replace("\n", "\r", 2).encode()  # lone \r after the first two lines, \n after the last
    result = fix(data)
    if result.new_source is not None:
        ast.parse(result.new_source)
    else:
        assert result.error and "left unchanged" in result.error
        assert not any(d.applied for d in result.diagnostics)


def test_form_feeds_stay_on_lines_the_fix_left_or_renamed():
    data = (
        "\ufeffimport airflow\n"  # a BOM: the whole file goes through LibCST
        "from airflow.operators.dummy_operator import DummyOperator\n"
        "\f# page two\n"
        "\ft1 = DummyOperator(task_id='t1')\n"
        "\fx = 1\n"
    ).encode()
    target = parse_target("2")
    result = process_source("dag.py", data, select_rules(target), RunOptions(target, fix=True))
    expected = (
        "\ufeffimport airflow\n"
        "from airflow.operators.empty import EmptyOperator\n"
        "\f# page two\n"
        "\ft1 = EmptyOperator(task_id='t1')\n"
        "\fx = 1\n"
    )
    assert result.new_source == expected.encode()
