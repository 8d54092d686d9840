from tests.codemods.helpers import check_noop, check_transformed, diagnostics

KST = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator

YESTERDAY = '{{ execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
TODAY = '{{ next_execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'

t = BashOperator(task_id="t", bash_command="run.sh " + YESTERDAY + " " + TODAY, dag=dag)
"""
# Safe: `logical_date` is `execution_date` for every run; `data_interval_end` equals
# `next_execution_date` only for scheduled runs (a manual run's data interval ends before its
# trigger time): an unsafe fix.
KST_FIXED = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator

YESTERDAY = '{{ logical_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
TODAY = '{{ next_execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'

t = BashOperator(task_id="t", bash_command="run.sh " + YESTERDAY + " " + TODAY, dag=dag)
"""
KST_FIXED_UNSAFE = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator

YESTERDAY = '{{ logical_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
TODAY = '{{ data_interval_end.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'

t = BashOperator(task_id="t", bash_command="run.sh " + YESTERDAY + " " + TODAY, dag=dag)
"""


def test_kst_constants_rewritten_for_target_22_and_later():
    for target in ("2.2", "2", "3"):
        check_transformed(KST, KST_FIXED, target=target, select=["AU201"])
        check_transformed(KST, KST_FIXED_UNSAFE, target=target, select=["AU201"], unsafe=True)


def test_templates_untouched_for_targets_without_data_intervals():
    for target in ("2.0", "2.1"):
        check_noop(KST, target=target, select=["AU2"])
        assert diagnostics(KST, target=target, select=["AU2"]) == []


def test_kst_diagnostics_say_for_which_runs_it_is_exact():
    found = diagnostics(KST, target="2", select=["AU201"])
    assert [(d.line, d.code, d.fix) for d in found] == [(4, "AU201", "safe"), (5, "AU201", "unsafe")]
    assert "logical_date" in found[0].message and "every run" in found[0].message
    assert "data_interval_end" in found[1].message and "scheduled runs only" in found[1].message


def test_for_loop_dag_with_operator_arguments():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        for table in ["a", "b"]:
            BashOperator(
                task_id="load_" + table,
                bash_command="load.sh {{ next_ds }} " + table,
                env={"DAY": "{{ execution_date.strftime('%d') }}", "NEXT": "{{ next_ds_nodash }}"},
                dag=dag,
            )
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        for table in ["a", "b"]:
            BashOperator(
                task_id="load_" + table,
                bash_command="load.sh {{ data_interval_end | ds }} " + table,
                env={"DAY": "{{ logical_date.strftime('%d') }}", "NEXT": "{{ data_interval_end | ds_nodash }}"},
                dag=dag,
            )
        """,
        target="2",
        select=["AU201"],
        unsafe=True,
    )


def test_filter_replacement_parenthesised_inside_larger_expression():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ next_ds.replace('-', '/') }} {{ 'x' ~ next_ds }} {{ next_ds | upper }}")
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ (data_interval_end | ds).replace('-', '/') }} {{ 'x' ~ (data_interval_end | ds) }} {{ data_interval_end | ds | upper }}")
        """,
        target="2",
        select=["AU201"],
        unsafe=True,
    )


def test_attributes_keywords_filters_and_plain_text_untouched():
    check_noop(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="echo execution_date {{ task.execution_date }} {{ f(execution_date=ds) }} {{ ds }}",
        )
        """,
        target="2",
        select=["AU201"],
    )


def test_template_local_variable_is_not_rewritten():
    source = """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{% for execution_date in xs %}{{ execution_date }}{% endfor %}")
        """
    check_noop(source, target="2", select=["AU201"])
    (d,) = diagnostics(source, target="2", select=["AU201"])
    assert d.fix is None and "assigned" in d.message


def test_templates_outside_operator_calls_are_reported_not_rewritten():
    source = """\
        def helper():
            text = "{{ execution_date }}"
            return text
        print("{{ execution_date }}", "execution_date", "{{ dag_run.execution_date }}")
        """
    check_noop(source, target="2", select=["AU201"])
    found = diagnostics(source, target="2", select=["AU201"])
    assert [(d.line, d.fix) for d in found] == [(2, None), (4, None)]
    assert "outside an operator call" in found[0].message


def test_unsafe_ds_offsets_only_with_unsafe_fixes():
    source = """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ yesterday_ds }} {{ tomorrow_ds_nodash }} {{ execution_date }}")
        """
    check_transformed(
        source,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ yesterday_ds }} {{ tomorrow_ds_nodash }} {{ logical_date }}")
        """,
        target="2",
        select=["AU201"],
    )
    check_transformed(
        source,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ macros.ds_add(ds, -1) }} {{ macros.ds_add(ds, 1) | replace('-', '') }} {{ logical_date }}")
        """,
        target="2",
        select=["AU201"],
        unsafe=True,
    )


def test_prev_ds_is_a_diagnostic_only():
    source = """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ prev_ds }}")
        """
    check_noop(source, target="3", select=["AU201"], unsafe=True)
    (d,) = diagnostics(source, target="3", select=["AU201"])
    assert d.fix is None and "prev_ds" in d.message and "daily" in d.message


def test_triple_quoted_sql_with_escapes_and_prefix():
    check_transformed(
        '''\
        from airflow.operators.postgres_operator import PostgresOperator
        t = PostgresOperator(task_id="t", sql=u"""
            SELECT * FROM x\\tWHERE d = '{{ execution_date }}'
              AND n = '{{ next_execution_date }}'
        """)
        ''',
        '''\
        from airflow.operators.postgres_operator import PostgresOperator
        t = PostgresOperator(task_id="t", sql=u"""
            SELECT * FROM x\\tWHERE d = '{{ logical_date }}'
              AND n = '{{ data_interval_end }}'
        """)
        ''',
        target="2",
        select=["AU201"],
        unsafe=True,
    )


def test_invalid_jinja_and_fstrings_get_diagnostics():
    found = diagnostics(
        """\
        from airflow.operators.bash_operator import BashOperator
        a = BashOperator(task_id="a", bash_command="{{ execution_date ")
        b = BashOperator(task_id="b", bash_command=f"{{{{ execution_date }}}} {x}")
        """,
        target="2",
        select=["AU201"],
    )
    assert [(d.line, d.fix) for d in found] == [(2, None), (3, None)]
    assert "not a valid Jinja template" in found[0].message
    assert "f-string" in found[1].message


def test_custom_operator_by_task_id_keyword():
    check_transformed(
        """\
        from myplugins import Loader
        t = Loader(task_id="t", query="{{ next_execution_date }}")
        """,
        """\
        from myplugins import Loader
        t = Loader(task_id="t", query="{{ data_interval_end }}")
        """,
        target="2",
        select=["AU201"],
        unsafe=True,
    )


def test_run_object_execution_date_attribute_becomes_logical_date():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="{{ dag_run.execution_date }} {{ ti.execution_date | ts }} {{ task.execution_date }} "
            "{{ task_instance.execution_date.strftime(\\"%Y\\") }} {{ execution_date }}",
        )
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="{{ dag_run.logical_date }} {{ dag_run.logical_date | ts }} {{ task.execution_date }} "
            "{{ dag_run.logical_date.strftime(\\"%Y\\") }} {{ logical_date }}",
        )
        """,
        target="3",
        select=["AU201"],
    )


def test_raw_blocks_comments_and_string_literals_inside_jinja_untouched():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="{% raw %}{{ execution_date }}{% endraw %}{# execution_date #}{{ 'execution_date' }}"
            " {% if execution_date %}{{ execution_date }}{% endif %}",
        )
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="{% raw %}{{ execution_date }}{% endraw %}{# execution_date #}{{ 'execution_date' }}"
            " {% if logical_date %}{{ logical_date }}{% endif %}",
        )
        """,
        target="2",
        select=["AU201"],
    )


def test_bridge_on_3_reads_the_name_each_context_has():
    # 1.10.15 has no logical_date / data_interval_end, 3.0 no execution_date: Jinja's `is defined`
    # picks the one the running Airflow gives; no macro to register on the DAG.
    check_transformed(
        """\
        from airflow.providers.standard.operators.bash import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="run.sh {{ execution_date }} {{ next_ds }} {{ next_ds_nodash }} {{ yesterday_ds }}",
            env={"D": '{{ next_execution_date.strftime("%Y") }}', "R": "{{ dag_run.execution_date }}"},
        )
        """,
        """\
        from airflow.providers.standard.operators.bash import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="run.sh {{ (logical_date if logical_date is defined else execution_date) }} {{ (data_interval_end.date().isoformat() if data_interval_end is defined else next_ds) }} {{ ((data_interval_end.date().isoformat() | replace('-', '')) if data_interval_end is defined else next_ds_nodash) }} {{ macros.ds_add(ds, -1) }}",
            env={"D": '{{ (data_interval_end if data_interval_end is defined else next_execution_date).strftime("%Y") }}', "R": "{{ dag_run.execution_date }}"},
        )
        """,
        target="3",
        select=["AU201"],
        unsafe=True,
        bridge=True,
    )


def test_bridge_on_2_keeps_the_1_10_names():
    # 2.x still has execution_date (deprecated): nothing to bridge, the fix waits for the close.
    check_noop(KST, target="2", select=["AU201"], unsafe=True, bridge=True)


def test_closing_the_bridge_keeps_the_new_name_alone():
    check_transformed(
        """\
        from airflow.providers.standard.operators.bash import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="run.sh {{ (logical_date if logical_date is defined else execution_date).year }} {{ next_ds }}",
            env={"N": "{{ ((data_interval_end.date().isoformat() | replace('-', '')) if data_interval_end is defined else next_ds_nodash) }}"},
        )
        """,
        """\
        from airflow.providers.standard.operators.bash import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command="run.sh {{ logical_date.year }} {{ next_ds }}",
            env={"N": "{{ data_interval_end | ds_nodash }}"},
        )
        """,
        target="3",
        select=["AU201"],
        close_bridge=True,
    )
    # a hand-written conditional that is not the bridge's form is left alone, and not reported
    source = """\
        from airflow.providers.standard.operators.bash import BashOperator
        t = BashOperator(task_id="t", bash_command="{{ (ts if ts is defined else execution_date) }}")
        """
    check_noop(source, target="3", select=["AU201"], close_bridge=True)
    assert diagnostics(source, target="3", select=["AU201"]) == []


def test_each_piece_of_a_concatenation_and_strings_inside_fstring_fields():
    # `"a" "b"` is one constant in CPython's ast: each piece is a template of its own, edited
    # in place, across lines; an f-string piece is reported, the strings in its fields edited.
    source = """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command=("run {{ execution_date }} "  # the day
                          f"{{{{ next_ds }}}} {'{{ execution_date }}'} "
                          '''{{ tomorrow_ds }}
        {{ execution_date }}'''),
        )
        """
    check_transformed(
        source,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(
            task_id="t",
            bash_command=("run {{ logical_date }} "  # the day
                          f"{{{{ next_ds }}}} {'{{ logical_date }}'} "
                          '''{{ macros.ds_add(ds, 1) }}
        {{ logical_date }}'''),
        )
        """,
        target="3",
        select=["AU201"],
        unsafe=True,
    )
    found = diagnostics(source, target="3", select=["AU201"])
    assert [(d.line, d.col, d.fix) for d in found] == [
        (4, 19, "safe"),
        (5, 19, None),
        (5, 40, "safe"),
        (6, 19, "unsafe"),
        (6, 19, "safe"),
    ]
