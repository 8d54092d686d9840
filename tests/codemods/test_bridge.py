"""Bridge mode (`fix --bridge`, codemods/_bridge.py): rewritten imports become guarded pairs that
load on Airflow 1.10.15 and the target; fixes 1.10 cannot run are only reported."""

import textwrap

import pytest

from tests.codemods.helpers import check_noop, check_transformed, run_fix


def test_moved_import_becomes_a_guarded_pair():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="echo")
        """,
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="echo")
        """,
        target="2",
        bridge=True,
    )


def test_renamed_class_binds_the_new_name_on_1_10_too():
    check_transformed(
        """\
        from airflow.contrib.operators.gcs_to_bq import GoogleCloudStorageToBigQueryOperator  # load
        g = GoogleCloudStorageToBigQueryOperator(task_id="g")
        """,
        """\
        try:
            from airflow.providers.google.cloud.transfers.gcs_to_bigquery import GCSToBigQueryOperator  # load
        except ImportError:  # Airflow 1.10
            from airflow.contrib.operators.gcs_to_bq import GoogleCloudStorageToBigQueryOperator as GCSToBigQueryOperator
        g = GCSToBigQueryOperator(task_id="g")
        """,
        target="2",
        bridge=True,
    )


def test_split_import_pairs_each_part_inside_a_function():
    check_transformed(
        """\
        def hooks():
            from airflow.hooks.base_hook import BaseHook
            from airflow.operators.python_operator import PythonOperator, BranchPythonOperator
            return BaseHook, PythonOperator, BranchPythonOperator
        """,
        """\
        def hooks():
            try:
                from airflow.hooks.base import BaseHook
            except ImportError:  # Airflow 1.10
                from airflow.hooks.base_hook import BaseHook
            try:
                from airflow.operators.python import PythonOperator, BranchPythonOperator
            except ImportError:  # Airflow 1.10
                from airflow.operators.python_operator import PythonOperator, BranchPythonOperator
            return BaseHook, PythonOperator, BranchPythonOperator
        """,
        target="2",
        bridge=True,
    )


def test_crlf_file_keeps_its_line_endings():
    source = "from airflow.operators.bash_operator import BashOperator\r\nBashOperator\r\n"
    _, result = run_fix(source, target="2", bridge=True)
    assert result.new_source == (
        b"try:\r\n    from airflow.operators.bash import BashOperator\r\n"
        b"except ImportError:  # Airflow 1.10\r\n    from airflow.operators.bash_operator import BashOperator\r\n"
        b"BashOperator\r\n"
    )


def test_fixes_that_1_10_cannot_run_are_reported_not_applied():
    # DockerOperator's auto_remove strings are unknown to 1.10's boolean argument: bridge mode
    # passes the bool to 1.10's class (AU111); a value it cannot choose so is only reported
    source = """\
        try:
            from airflow.providers.docker.operators.docker import DockerOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.docker_operator import DockerOperator
        d = DockerOperator(task_id="d", image="x", auto_remove=True)
        e = DockerOperator(task_id="e", image="x", auto_remove=REMOVE)
        """
    _, result = run_fix(source, target="2", bridge=True)
    assert [(d.code, d.line, d.applied) for d in result.diagnostics] == [
        ("AU111", 5, True),
        ("AU111", 6, False),
    ]
    assert (
        b'auto_remove="success" if DockerOperator.__module__.startswith("airflow.providers.") else True'
        in (result.new_source)
    )


def test_bridge_compatible_fix_still_applies():
    check_transformed(
        """\
        from airflow.operators.dummy_operator import DummyOperator
        a = DummyOperator(task_id="a", schedule_interval="@daily")
        """,
        """\
        try:
            from airflow.operators.dummy import DummyOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.dummy_operator import DummyOperator
        a = DummyOperator(task_id="a")
        """,
        target="2.0",
        bridge=True,
    )


def test_module_whose_class_was_renamed_gets_the_new_name_on_1_10():
    # The module keeps its local name but its class is renamed at the use: on 1.10 the old
    # module has no `GCSToBigQueryOperator`, so the `except` branch gives it that name.
    check_transformed(
        """\
        from airflow.contrib.operators import gcs_to_bq
        g = gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="g")
        """,
        """\
        try:
            from airflow.providers.google.cloud.transfers import gcs_to_bigquery as gcs_to_bq
        except ImportError:  # Airflow 1.10
            from airflow.contrib.operators import gcs_to_bq
            gcs_to_bq.GCSToBigQueryOperator = gcs_to_bq.GoogleCloudStorageToBigQueryOperator
        g = gcs_to_bq.GCSToBigQueryOperator(task_id="g")
        """,
        target="2",
        bridge=True,
    )


def test_bridged_module_alias_is_left_alone_and_closes_like_a_plain_fix():
    source = """\
        from airflow.operators import dummy_operator
        a = dummy_operator.DummyOperator(task_id="a")
        """
    bridged = run_fix(source, target="2", bridge=True)[1].new_source.decode()
    check_noop(bridged, target="2", bridge=True)
    _, plain_on_bridged = run_fix(bridged, target="2")
    assert plain_on_bridged.new_source is None and not plain_on_bridged.diagnostics
    closed = run_fix(bridged, target="2", close_bridge=True)[1].new_source
    plain = run_fix(source, target="2")[1].new_source
    assert (
        closed
        == plain
        == (
            b"from airflow.operators import empty as dummy_operator\n"
            b'a = dummy_operator.EmptyOperator(task_id="a")\n'
        )
    )


def test_class_renamed_by_its_provider_pairs_with_the_1_10_import():
    # The 2.0 table sends SimpleHttpOperator into the http provider, whose later releases
    # renamed it HttpOperator: the pair binds the name the fix chose.
    check_transformed(
        """\
        from airflow.operators.http_operator import SimpleHttpOperator
        h = SimpleHttpOperator(task_id="h")
        """,
        """\
        try:
            from airflow.providers.http.operators.http import HttpOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.http_operator import SimpleHttpOperator as HttpOperator
        h = HttpOperator(task_id="h")
        """,
        target="2",
        bridge=True,
    )


def test_part_of_a_split_import_that_stays_is_not_paired():
    check_transformed(
        """\
        from airflow.models import DAG, ImportError
        errors = ImportError
        """,
        """\
        from airflow.models import DAG
        try:
            from airflow.models.errors import ParseImportError
        except ImportError:  # Airflow 1.10
            from airflow.models import ImportError as ParseImportError
        errors = ParseImportError
        """,
        target="2",
        bridge=True,
    )


def test_file_binding_import_error_catches_builtins_import_error():
    # `except ImportError:` would read the file's own `ImportError` (1.10's model, unbound inside
    # the function before its import): every pair catches the builtin, imported before the first
    source = """\
        \"\"\"Cleanup.\"\"\"
        import os
        # the task's operator
        from airflow.operators.bash_operator import BashOperator
        def errors(session):
            from airflow.models import ImportError
            return session.query(ImportError).all()
        """
    bridged = """\
        \"\"\"Cleanup.\"\"\"
        import os
        # the task's operator
        import builtins
        try:
            from airflow.operators.bash import BashOperator
        except builtins.ImportError:  # Airflow 1.10
            from airflow.operators.bash_operator import BashOperator
        def errors(session):
            try:
                from airflow.models.errors import ParseImportError as ImportError
            except builtins.ImportError:  # Airflow 1.10
                from airflow.models import ImportError
            return session.query(ImportError).all()
        """
    check_transformed(source, bridged, target="2", bridge=True)
    check_noop(textwrap.dedent(bridged), target="2")  # the pairs are compat code
    # closing the bridge gives what a plain fix gives, `import builtins` gone with the pairs
    _, plain = run_fix(source, target="2")
    _, closed = run_fix(bridged, target="2", close_bridge=True)
    assert closed.new_source == plain.new_source
    assert b"builtins" not in closed.new_source


@pytest.mark.parametrize(
    "binding",
    [
        "ImportError = None",
        "class ImportError(Exception): pass",
        "def f(ImportError): pass",
        "for ImportError in (): pass",
        "try:\n    pass\nexcept Exception as ImportError:\n    pass",
        "from airflow.models import ImportError as ImportError",
    ],
)
def test_any_binding_of_import_error_makes_the_guard_builtins(binding):
    _, result = run_fix(
        f"from airflow.operators.bash_operator import BashOperator\n{binding}\n", target="2", bridge=True
    )
    assert result.new_source is not None
    assert result.new_source.startswith(b"import builtins\ntry:\n")
    assert b"except builtins.ImportError:  # Airflow 1.10\n" in result.new_source
    assert b"except ImportError" not in result.new_source


def test_top_level_import_of_builtins_before_the_pairs_is_reused():
    check_transformed(
        """\
        import builtins
        from airflow.operators.bash_operator import BashOperator
        ImportError = builtins.ImportError
        """,
        """\
        import builtins
        try:
            from airflow.operators.bash import BashOperator
        except builtins.ImportError:  # Airflow 1.10
            from airflow.operators.bash_operator import BashOperator
        ImportError = builtins.ImportError
        """,
        target="2",
        bridge=True,
    )


def test_import_builtins_goes_before_a_decorated_function_holding_the_first_pair():
    check_transformed(
        """\
        @task
        def f():
            from airflow.operators.bash_operator import BashOperator
            from airflow.models import ImportError
            return BashOperator, ImportError
        """,
        """\
        import builtins
        @task
        def f():
            try:
                from airflow.operators.bash import BashOperator
            except builtins.ImportError:  # Airflow 1.10
                from airflow.operators.bash_operator import BashOperator
            try:
                from airflow.models.errors import ParseImportError as ImportError
            except builtins.ImportError:  # Airflow 1.10
                from airflow.models import ImportError
            return BashOperator, ImportError
        """,
        target="2",
        bridge=True,
    )


def test_file_binding_builtins_otherwise_is_left_unchanged():
    source = """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.models import ImportError
        builtins = {}
        """
    _, result = run_fix(source, target="2.0", bridge=True)
    assert result.new_source is None
    (bridge,) = [d for d in result.diagnostics if d.message.startswith("bridge:")]
    assert (bridge.code, bridge.line) == ("AU101", 1)
    assert "the file binds `builtins`" in bridge.message


def test_file_with_an_import_that_cannot_be_paired_is_left_unchanged():
    # `import airflow.contrib.operators.gcs_to_bq` binds the package `airflow`, whose paths
    # the uses spell out: half a bridge would load on neither side.
    source = """\
        from airflow.operators.bash_operator import BashOperator
        import airflow.contrib.operators.gcs_to_bq
        g = airflow.contrib.operators.gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="g")
        """
    _, plain = run_fix(source, target="2")
    assert plain.new_source is not None and b"gcs_to_bigquery" in plain.new_source
    _, result = run_fix(source, target="2", bridge=True)
    assert result.new_source is None
    assert not [d for d in result.diagnostics if d.applied]
    bridge = [d for d in result.diagnostics if d.message.startswith("bridge:")]
    assert [(d.code, d.line) for d in bridge] == [("AU101", 2)]
    assert "binds the package `airflow`" in bridge[0].message
    assert bridge[0].message.endswith("file left unchanged")


def test_second_bridge_run_changes_nothing_and_plain_fix_leaves_pairs_alone():
    source = textwrap.dedent(
        """\
        from airflow.operators.bash_operator import BashOperator
        """
    )
    _, first = run_fix(source, target="2", bridge=True)
    check_noop(first.new_source.decode(), target="2", bridge=True)
    check_noop(first.new_source.decode(), target="2")  # guarded imports are compat code


def test_provide_context_goes_only_where_1_10_did_without_it():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.operators.python_operator import PythonOperator
        args = {"owner": "x", "provide_context": True}
        a = BashOperator(task_id="a", bash_command="echo", provide_context=True)
        b = PythonOperator(task_id="b", python_callable=print, provide_context=False)
        c = PythonOperator(task_id="c", python_callable=print, provide_context=True)
        """,
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.bash_operator import BashOperator
        try:
            from airflow.operators.python import PythonOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.python_operator import PythonOperator
        args = {"owner": "x", "provide_context": True}
        a = BashOperator(task_id="a", bash_command="echo")
        b = PythonOperator(task_id="b", python_callable=print)
        c = PythonOperator(task_id="c", python_callable=print, provide_context=True)
        """,
        target="2",
        bridge=True,
    )
    _, result = run_fix(
        "from airflow.operators.python_operator import PythonOperator\n"
        'c = PythonOperator(task_id="c", python_callable=print, provide_context=True)\n',
        target="2",
        bridge=True,
        select=["AU110"],
    )
    (kept,) = result.diagnostics
    assert not kept.applied and "bridge mode keeps it" in kept.message


def test_catchup_default_of_3_0_is_fixed_in_bridge_mode_too():
    # 1.10's DAG takes catchup= with the same meaning: the fix runs on both sides.
    check_transformed(
        """\
        from airflow.sdk import DAG
        dag = DAG("a", schedule="@daily")
        """,
        """\
        from airflow.sdk import DAG
        dag = DAG("a", schedule="@daily", catchup=True)
        """,
        target="3",
        select=["AU304"],
        unsafe=True,
        bridge=True,
    )


def test_bridged_fixture_changes_only_the_lines_of_what_it_rewrites():
    # The reference 1.10 DAG after `fix --target 3 --bridge --unsafe-fixes`: every other byte stays.
    from difflib import SequenceMatcher
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "fixtures" / "dags_1_10" / "test_dag.py").read_bytes()
    _, result = run_fix(source.decode(), target="3", unsafe=True, bridge=True)
    assert result.error is None and result.new_source is not None
    old, new = source.splitlines(keepends=True), result.new_source.splitlines(keepends=True)
    changed = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag != "equal":
            changed[(i1 + 1, i2)] = [line.strip().decode() for line in new[j1:j2]]
    imports = [line.strip().decode() for line in new[7:27]]
    assert imports[:4] == [
        "try:",
        "from airflow.sdk import DAG",
        "except ImportError:  # Airflow 1.10",
        "from airflow import DAG",
    ]
    assert changed == {
        (8, 12): imports,  # the five 1.10 imports, each now a guarded pair
        (15, 14): [
            "from compat.context import provide_context_kwargs",
            "from compat.dag import schedule_argument",
            "from compat.operators import pod_resources",
        ],
        (18, 19): [
            "YESTERDAY = '{{ (logical_date if logical_date is defined else execution_date)"
            '.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}\'',
            "TODAY = '{{ (data_interval_end if data_interval_end is defined else next_execution_date)"
            '.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}\'',
        ],
        (33, 33): [
            'ti.dag_id, ti.task_id, context["logical_date" if "logical_date" in context else "execution_date"], '
            "ti.log_url"
        ],
        (55, 55): ['**schedule_argument("0 8 * * *"),', "catchup=True,"],
        (66, 66): [
            'print("copy {} -> {} for {}..{} (exec {})".format(source, target, yesterday, today, '
            'kwargs["logical_date" if "logical_date" in kwargs else "execution_date"]))'
        ],
        (73, 73): ["**provide_context_kwargs(True),"],
        (91, 91): ["**provide_context_kwargs(True),"],
        (108, 108): ['**pod_resources(request_cpu="100m", request_memory="256Mi", limit_memory="512Mi"),'],
    }
    check_noop(result.new_source.decode(), target="3", unsafe=True, bridge=True)


def test_dag_run_order_in_annotations_goes_and_python_callable_stays():
    # The annotations become strings (never evaluated, on 1.10.15 either); 1.10.15's
    # TriggerDagRunOperator has no `conf` and builds the payload with the callable.
    source = """\
        from airflow.operators.dagrun_operator import TriggerDagRunOperator, DagRunOrder


        def pass_day(context, dag_run_obj: DagRunOrder) -> DagRunOrder:
            dag_run_obj.payload = {"day": "monday"}
            return dag_run_obj


        t = TriggerDagRunOperator(task_id="t", trigger_dag_id="r", python_callable=pass_day)
        """
    result = check_transformed(
        source,
        """\
        try:
            from airflow.operators.trigger_dagrun import TriggerDagRunOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.dagrun_operator import TriggerDagRunOperator


        def pass_day(context, dag_run_obj: "DagRunOrder") -> "DagRunOrder":
            dag_run_obj.payload = {"day": "monday"}
            return dag_run_obj


        t = TriggerDagRunOperator(task_id="t", trigger_dag_id="r", python_callable=pass_day)
        """,
        target="2",
        bridge=True,
    )
    (kept,) = [d for d in result.diagnostics if not d.applied]
    assert kept.code == "AU130" and "bridge mode keeps it" in kept.message
    plain = run_fix(source, target="2")[1].new_source
    closed = run_fix(result.new_source.decode(), target="2", close_bridge=True)[1].new_source
    assert closed == plain and b'conf={"day": "monday"}' in plain


def test_apply_defaults_stays_and_its_1_10_re_export_moves_to_decorators():
    # 1.10.15 applies default_args only through the decorator; 2.0 dropped the re-export from
    # airflow.utils, both versions have airflow.utils.decorators.apply_defaults: no pair needed.
    source = """\
        from airflow.models import BaseOperator
        from airflow.utils import apply_defaults


        class LoadOperator(BaseOperator):
            @apply_defaults
            def __init__(self, table, **kwargs):
                super().__init__(**kwargs)
        """
    result = check_transformed(
        source,
        """\
        from airflow.models import BaseOperator
        from airflow.utils.decorators import apply_defaults


        class LoadOperator(BaseOperator):
            @apply_defaults
            def __init__(self, table, **kwargs):
                super().__init__(**kwargs)
        """,
        target="2",
        bridge=True,
    )
    (kept,) = [d for d in result.diagnostics if not d.applied]
    assert (kept.code, kept.line) == ("AU140", 6) and "bridge mode keeps it" in kept.message
    plain = run_fix(source, target="2")[1].new_source
    closed = run_fix(result.new_source.decode(), target="2", close_bridge=True)[1].new_source
    assert closed == plain and b"apply_defaults" not in plain


def test_apply_defaults_re_export_next_to_other_names_is_reported():
    source = """\
        from airflow.utils import apply_defaults, dates
        x = apply_defaults, dates
        """
    check_noop(source, target="2", bridge=True, select=["AU140"])
    _, result = run_fix(source, target="2", bridge=True, select=["AU140"])
    (reported,) = result.diagnostics
    assert reported.fix is None and "import it from `airflow.utils.decorators`" in reported.message


def test_replaced_operator_call_builds_the_old_class_on_1_10():
    # On 1.10.15 the name is the old class: it ignores `conn_id=`/`do_xcom_push=False` there
    # (with a warning) and takes `postgres_conn_id` from the task's default_args, which both
    # versions apply only to parameters an operator declares (the replacement does not).
    source = """\
        from airflow.operators.postgres_operator import PostgresOperator

        a = PostgresOperator(task_id="a", sql="a.sql", postgres_conn_id="warehouse", dag=dag)
        b = PostgresOperator(task_id="b", sql="b.sql", dag=dag)
        """
    result = check_transformed(
        source,
        """\
        try:
            from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.postgres_operator import PostgresOperator as SQLExecuteQueryOperator

        a = SQLExecuteQueryOperator(do_xcom_push=False, default_args={"postgres_conn_id": "warehouse"}, task_id="a", sql="a.sql", conn_id="warehouse", dag=dag)
        b = SQLExecuteQueryOperator(do_xcom_push=False, conn_id="postgres_default", task_id="b", sql="b.sql", dag=dag)
        """,
        target="2",
        bridge=True,
    )
    plain = run_fix(source, target="2")[1].new_source
    closed = run_fix(result.new_source.decode(), target="2", close_bridge=True)[1].new_source
    assert closed == plain


def test_replaced_operator_call_the_bridge_cannot_write_is_reported():
    source = """\
        from airflow.operators.postgres_operator import PostgresOperator

        a = PostgresOperator(task_id="a", sql="a.sql", postgres_conn_id=conn(), dag=dag)
        b = PostgresOperator(task_id="b", sql="b.sql", database="dw", dag=dag)
        c = PostgresOperator(task_id="c", sql="c.sql", postgres_conn_id="w", default_args=args, dag=dag)
        """
    check_noop(source, target="2", bridge=True)
    _, result = run_fix(source, target="2", bridge=True, select=["AU101", "AU160"])
    messages = [d.message for d in result.diagnostics if d.code == "AU160"]
    assert len(messages) == 3
    assert "the value of `postgres_conn_id` would be computed twice" in messages[0]
    assert "`database` becomes a `hook_params` key, which 1.10.15 does not know" in messages[1]
    assert "the call has its own `default_args`" in messages[2]


def test_two_old_classes_with_one_replacement_leave_the_file_unchanged():
    source = """\
        from airflow.operators.postgres_operator import PostgresOperator
        from airflow.operators.mysql_operator import MySqlOperator

        a = PostgresOperator(task_id="a", sql="a.sql", dag=dag)
        b = MySqlOperator(task_id="b", sql="b.sql", dag=dag)
        """
    _, result = run_fix(source, target="2", bridge=True)
    assert result.new_source is None
    bridge = [d for d in result.diagnostics if d.message.startswith("bridge:")]
    assert bridge and "`SQLExecuteQueryOperator` stands for several 1.10 names" in bridge[0].message


def test_arguments_of_a_name_bound_by_version_are_not_judged_by_the_1_10_class():
    # AU161 would take `conn_id` for an argument 1.10's PostgresOperator ignored.
    check_noop(
        """\
        try:
            from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.postgres_operator import PostgresOperator as SQLExecuteQueryOperator

        a = SQLExecuteQueryOperator(task_id="a", sql="a.sql", conn_id="warehouse", dag=dag)
        """,
        target="2",
    )


def test_a_guarded_probe_of_a_package_keeps_uses_through_airflow_fixable():
    check_transformed(
        """\
        import airflow
        try:
            import airflow.providers.google
        except ImportError:
            google = None
        t = airflow.operators.bash_operator.BashOperator(task_id="t", bash_command="echo")
        """,
        """\
        import airflow
        try:
            import airflow.providers.google
        except ImportError:
            google = None
        t = airflow.operators.bash.BashOperator(task_id="t", bash_command="echo")
        """,
        target="2",
    )
