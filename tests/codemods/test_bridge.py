"""Bridge mode (`fix --bridge`, codemods/_bridge.py): rewritten imports become guarded pairs that
load on Airflow 1.10.15 and the target; fixes 1.10 cannot run are only reported."""

import textwrap

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
    # DockerOperator's auto_remove strings are unknown to 1.10's boolean argument.
    source = """\
        try:
            from airflow.providers.docker.operators.docker import DockerOperator
        except ImportError:  # Airflow 1.10
            from airflow.operators.docker_operator import DockerOperator
        d = DockerOperator(task_id="d", image="x", auto_remove=True)
        """
    check_noop(source, target="2", bridge=True)
    _, result = run_fix(source, target="2", bridge=True)
    assert [(d.code, d.applied) for d in result.diagnostics] == [("AU111", False)]


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


def test_file_with_an_import_that_cannot_be_paired_is_left_unchanged():
    # The module keeps its local name but its class was renamed at the use: on 1.10 the old
    # module has no `GCSToBigQueryOperator`. Half a bridge would load on neither side.
    source = """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.contrib.operators import gcs_to_bq
        g = gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="g")
        """
    _, plain = run_fix(source, target="2")
    assert plain.new_source is not None and b"GCSToBigQueryOperator" in plain.new_source
    _, result = run_fix(source, target="2", bridge=True)
    assert result.new_source is None
    assert not [d for d in result.diagnostics if d.applied]
    bridge = [d for d in result.diagnostics if d.message.startswith("bridge:")]
    assert [(d.code, d.line) for d in bridge] == [("AU101", 2)]
    assert "`gcs_to_bq.GCSToBigQueryOperator` does not exist in the 1.10 module" in bridge[0].message
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
