"""AU160: removed operators -> their generic replacement, with the provider's own argument mapping."""

from __future__ import annotations

import pytest

from codemods.replaced_operator import replacements
from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix

SELECT = ["AU101", "AU160"]
HEAD = "from airflow.operators.postgres_operator import PostgresOperator\n"
NEW_HEAD = "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n"

# (source after the import line, expected after the new import line)
REWRITES = {
    "renamed conn id": (
        't = PostgresOperator(task_id="t", sql="select 1", postgres_conn_id="warehouse")\n',
        't = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="select 1", conn_id="warehouse")\n',
    ),
    "default conn id written out": (
        "t = PostgresOperator(task_id='t', sql='select 1')\n",
        "t = SQLExecuteQueryOperator(do_xcom_push=False, conn_id='postgres_default', task_id='t', sql='select 1')\n",
    ),
    "database becomes a hook_params key": (
        't = PostgresOperator(task_id="t", sql="x.sql", postgres_conn_id="pg", database="dw")\n',
        't = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="x.sql", conn_id="pg", '
        'hook_params={"database": "dw"})\n',
    ),
    "database=None was ignored": (
        't = PostgresOperator(task_id="t", sql="s", postgres_conn_id="pg", database=None)\n',
        't = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id="pg", database=None)\n',
    ),
    "one argument per line": (
        "t = PostgresOperator(\n"
        '    task_id="t",\n'
        '    sql="select 1",  # the query\n'
        '    postgres_conn_id="pg",\n'
        "    autocommit=True,\n"
        ")\n",
        "t = SQLExecuteQueryOperator(\n"
        '    do_xcom_push=False, task_id="t",\n'
        '    sql="select 1",  # the query\n'
        '    conn_id="pg",\n'
        "    autocommit=True,\n"
        ")\n",
    ),
    "do_xcom_push had no effect on 1.10": (
        't = PostgresOperator(task_id="t", sql="s", postgres_conn_id="pg", do_xcom_push=True)\n',
        't = SQLExecuteQueryOperator(task_id="t", sql="s", conn_id="pg", do_xcom_push=False)\n',
    ),
    "module constant conn id": (
        'PG = "pg"\nt = PostgresOperator(task_id="t", sql="s", postgres_conn_id=PG)\n',
        'PG = "pg"\nt = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id=PG)\n',
    ),
    "a hook's own postgres_conn_id is no default_args": (
        'h = PostgresHook(postgres_conn_id="pg")\nt = PostgresOperator(task_id="t", sql="s", postgres_conn_id="pg")\n',
        'h = PostgresHook(postgres_conn_id="pg")\n'
        't = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id="pg")\n',
    ),
    "literal parameters": (
        't = PostgresOperator(task_id="t", sql="s", postgres_conn_id="pg", parameters={"a": 1})\n',
        't = SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id="pg", parameters={"a": 1})\n',
    ),
}


@pytest.mark.parametrize("case", sorted(REWRITES))
def test_rewrite(case):
    source, expected = REWRITES[case]
    check_transformed(HEAD + source, NEW_HEAD + expected, target="2", select=SELECT)


def test_aliased_import_keeps_its_local_name():
    check_transformed(
        "from airflow.operators.postgres_operator import PostgresOperator as PG\n"
        't = PG(task_id="t", sql="s", postgres_conn_id="pg")\n',
        "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator as PG\n"
        't = PG(do_xcom_push=False, task_id="t", sql="s", conn_id="pg")\n',
        target="2",
        select=SELECT,
    )


def test_two_removed_classes_share_one_import():
    check_transformed(
        "from airflow.operators.postgres_operator import PostgresOperator\n"
        "from airflow.operators.mysql_operator import MySqlOperator\n"
        'a = PostgresOperator(task_id="a", sql="s", postgres_conn_id="pg")\n'
        'b = MySqlOperator(task_id="b", sql="s", mysql_conn_id="my", database="shop")\n',
        "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n"
        'a = SQLExecuteQueryOperator(do_xcom_push=False, task_id="a", sql="s", conn_id="pg")\n'
        'b = SQLExecuteQueryOperator(do_xcom_push=False, task_id="b", sql="s", conn_id="my", '
        'hook_params={"schema": "shop"})\n',
        target="2",
        select=SELECT,
    )


def test_snowflake_autocommit_default_of_1_10_is_kept():
    # 1.10's SnowflakeOperator committed by default; SQLExecuteQueryOperator does not.
    check_transformed(
        "from airflow.contrib.operators.snowflake_operator import SnowflakeOperator\n"
        't = SnowflakeOperator(task_id="t", sql="s", snowflake_conn_id="sf")\n',
        "from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator\n"
        't = SQLExecuteQueryOperator(do_xcom_push=False, autocommit=True, task_id="t", sql="s", conn_id="sf")\n',
        target="2",
        select=SELECT,
    )


SNOWFLAKE = "from airflow.contrib.operators.snowflake_operator import SnowflakeOperator\n"
ALL_NONE = '"authenticator": None, "database": None, "role": None, "schema": None, "session_parameters": None'


def test_snowflake_session_arguments_become_one_hook_params():
    # snowflake 5.x: `if any([warehouse, database, ...]): kwargs["hook_params"] = {every key, **hook_params}`
    check_transformed(
        SNOWFLAKE
        + 't = SnowflakeOperator(\n    task_id="t",\n    sql="s",\n    warehouse="wh",\n    dag=dag,\n)\n',
        NEW_HEAD + "t = SQLExecuteQueryOperator(\n"
        '    do_xcom_push=False, conn_id="snowflake_default", autocommit=True, task_id="t",\n'
        '    sql="s",\n'
        f'    hook_params={{{ALL_NONE}, "warehouse": "wh"}},\n'
        "    dag=dag,\n"
        ")\n",
        target="2",
        select=SELECT,
    )


def test_snowflake_session_arguments_all_unset_are_dropped():
    check_transformed(
        SNOWFLAKE + 't = SnowflakeOperator(task_id="t", sql="s", snowflake_conn_id="sf", role=None)\n',
        NEW_HEAD
        + 't = SQLExecuteQueryOperator(do_xcom_push=False, autocommit=True, task_id="t", sql="s", conn_id="sf")\n',
        target="2",
        select=SELECT,
    )


def test_snowflake_session_argument_known_only_at_run_time_is_unsafe():
    source = SNOWFLAKE + 't = SnowflakeOperator(task_id="t", sql="s", snowflake_conn_id="sf", role=ROLE)\n'
    check_noop(source, target="2", select=SELECT)
    [found] = [d for d in diagnostics(source, target="2", select=SELECT) if d.code == "AU160"]
    assert found.fix == "unsafe" and "known here only at run time" in found.message


def test_unsafe_when_a_newly_templated_value_is_unknown():
    source = (
        HEAD + 'def make(conn):\n    return PostgresOperator(task_id="t", sql="s", postgres_conn_id=conn)\n'
    )
    check_noop(source, target="2", select=SELECT)
    [found] = [d for d in diagnostics(source, target="2", select=SELECT) if d.code == "AU160"]
    assert found.fix == "unsafe" and "`conn_id` is rendered with Jinja" in found.message
    check_transformed(
        source,
        NEW_HEAD
        + 'def make(conn):\n    return SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id=conn)\n',
        target="2",
        select=SELECT,
        unsafe=True,
    )


def test_jinja_in_parameters_is_unsafe():
    source = HEAD + 't = PostgresOperator(task_id="t", sql="s", parameters={"day": "{{ ds }}"})\n'
    [found] = [d for d in diagnostics(source, target="2", select=SELECT) if d.code == "AU160"]
    assert found.fix == "unsafe" and "`parameters`" in found.message


# source after HEAD -> a phrase of the AU160 message; nothing is rewritten (the import neither)
BLOCKED = {
    "positional": ('t = PostgresOperator("select 1", task_id="t")\n', "positional arguments"),
    "kwargs": ('t = PostgresOperator(task_id="t", **extra)\n', "`**kwargs`"),
    "unmapped argument": (
        't = PostgresOperator(task_id="t", sql="s", runtime_parameters={"a": "b"})\n',
        "`runtime_parameters` has no mapping",
    ),
    "hook_params and database": (
        't = PostgresOperator(task_id="t", sql="s", database="d", hook_params={"x": 1})\n',
        "merge them by hand",
    ),
    "subclass": ("class Mine(PostgresOperator):\n    pass\n", "other than called"),
    "default_args carry the old argument": (
        'args = {"postgres_conn_id": "pg"}\nt = PostgresOperator(task_id="t", sql="s", default_args=args)\n',
        "default_args?",
    ),
}


@pytest.mark.parametrize("case", sorted(BLOCKED))
def test_blocked_is_reported_and_left_alone(case):
    source, phrase = BLOCKED[case]
    _, result = run_fix(HEAD + source, target="2", select=["AU160"])
    assert result.new_source is None
    messages = [d.message for d in result.diagnostics if d.code == "AU160"]
    assert any(phrase in m for m in messages), messages
    assert all(d.fix is None for d in result.diagnostics if d.code == "AU160")
    # AU101 does not move an import whose uses stay
    _, with_imports = run_fix(HEAD + source, target="2", select=SELECT)
    assert b"SQLExecuteQueryOperator" not in (with_imports.new_source or b"")


def test_target_2_0_keeps_the_class():
    # Airflow 2.0.2's provider releases still hold PostgresOperator (AU101 moves it there).
    check_noop(HEAD + 't = PostgresOperator(task_id="t", sql="s")\n', target="2.0", select=["AU160"])


def test_import_guard_is_left_alone():
    source = (
        "try:\n"
        "    from airflow.operators.postgres_operator import PostgresOperator\n"
        "except ImportError:\n"
        "    from airflow.providers.postgres.operators.postgres import PostgresOperator\n"
        't = PostgresOperator(task_id="t", sql="s")\n'
    )
    check_noop(source, target="2", select=SELECT)


def test_without_au101_nothing_is_rewritten():
    # The calls and the import move together or not at all.
    _, result = run_fix(HEAD + 't = PostgresOperator(task_id="t", sql="s")\n', target="2", select=["AU160"])
    assert result.new_source is None


def test_mapping_is_read_from_the_providers_deprecated_classes():
    table = replacements()
    postgres = table["airflow.providers.postgres.operators.postgres.PostgresOperator"]
    assert postgres["renamed"] == {"postgres_conn_id": "conn_id"}
    assert postgres["hook_params"] == [{"keys": {"database": "database"}, "when": "not-none"}]
    assert postgres["unmapped"] == ["runtime_parameters"]
    assert postgres["replacement"] == "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator"
    assert postgres["provider"].startswith("apache-airflow-providers-postgres 5.")
    # what 1.10.15's class did, read from the af110 env
    assert (
        postgres["origins"]["airflow.operators.postgres_operator.PostgresOperator"]["returns_value"] is False
    )


def test_mapping_agrees_with_the_provider_release_data():
    # Two readers of the same wheels: the release history (scripts/gen_provider_history.py) and
    # the argument mapping (scripts/gen_operator_replacements.py).
    from codemods import _providers

    for name, entry in replacements().items():
        dist, last = entry["provider"].split()
        assert _providers.last_release(name) == last, name
        assert (
            entry["removed_in"].split()[1]
            == _providers.releases(dist)[_providers.releases(dist).index(last) + 1]
        )
        state = _providers.state(name, last)
        assert state is not None and "to" not in state and state.get("d"), name
        assert {new: old for old, new in entry["renamed"].items()} == state.get("sc"), name
        use = _providers.replacement(name)[0]
        assert use in (None, entry["replacement"]), (name, use)


def test_a_pinned_release_that_still_has_the_class_keeps_it():
    # --providers apache-airflow-providers-postgres==5.14.0: PostgresOperator is still there
    from codemods._context import RunOptions
    from upgrade.engine import process_source
    from upgrade.registry import select_rules
    from upgrade.targets import parse_target

    source = (HEAD + 't = PostgresOperator(task_id="t", sql="s", postgres_conn_id="pg")\n').encode()
    for pins, rewritten in (((("apache-airflow-providers-postgres", "5.14.0"),), False), ((), True)):
        options = RunOptions(parse_target("2"), fix=True, provider_pins=pins)
        result = process_source("dag.py", source, select_rules(parse_target("2"), SELECT), options)
        assert result.error is None
        assert (b"SQLExecuteQueryOperator" in (result.new_source or b"")) is rewritten, pins
        assert any(d.code == "AU160" for d in result.diagnostics) is rewritten


def test_calls_through_a_module_name_rebind_the_module_to_the_replacement():
    check_transformed(
        """\
        from airflow.operators import postgres_operator
        import airflow.operators.sqlite_operator as lite

        t = postgres_operator.PostgresOperator(task_id="t", sql="s", postgres_conn_id="warehouse")
        u = lite.SqliteOperator(task_id="u", sql="s")
        """,
        """\
        from airflow.providers.common.sql.operators import sql as postgres_operator
        import airflow.providers.common.sql.operators.sql as lite

        t = postgres_operator.SQLExecuteQueryOperator(do_xcom_push=False, task_id="t", sql="s", conn_id="warehouse")
        u = lite.SQLExecuteQueryOperator(do_xcom_push=False, conn_id="sqlite_default", task_id="u", sql="s")
        """,
        target="2",
        select=SELECT,
    )


MODULE_HEAD = "from airflow.operators import postgres_operator\n"
CALL = 't = postgres_operator.PostgresOperator(task_id="t", sql="s", postgres_conn_id="warehouse")\n'


@pytest.mark.parametrize(
    "source, phrase",
    [
        # the module name is used for something else too: its import keeps its module
        (MODULE_HEAD + CALL + "hook = postgres_operator\n", "its module is also used otherwise here"),
        (
            MODULE_HEAD + CALL + "class Mine(postgres_operator.PostgresOperator):\n    pass\n",
            "used through its module",
        ),
        (
            MODULE_HEAD + "postgres_operator = postgres_operator.PostgresOperator(task_id='t', sql='s')\n",
            "also used otherwise",
        ),
    ],
)
def test_module_uses_that_cannot_be_rebound_are_reported(source, phrase):
    _, result = run_fix(source, target="2", select=SELECT)
    assert b"SQLExecuteQueryOperator" not in (result.new_source or b"")
    assert b"conn_id=" not in (result.new_source or b"").replace(b"postgres_conn_id=", b"")
    messages = [d.message for d in result.diagnostics if d.code == "AU160"]
    assert any(phrase in m for m in messages), messages
    assert all(d.fix is None for d in result.diagnostics if d.code == "AU160")
