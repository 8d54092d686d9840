from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix


def test_from_import_module_moved():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="true")
        """,
        """\
        from airflow.operators.bash import BashOperator
        t = BashOperator(task_id="t", bash_command="true")
        """,
    )


def test_renamed_class_renames_its_uses():
    check_transformed(
        """\
        from airflow.contrib.operators.bigquery_operator import BigQueryOperator

        q = BigQueryOperator(task_id="q", sql="select 1")
        ops = [BigQueryOperator]
        """,
        """\
        from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator

        q = BigQueryExecuteQueryOperator(task_id="q", sql="select 1")
        ops = [BigQueryExecuteQueryOperator]
        """,
    )


def test_alias_is_kept_and_uses_untouched():
    check_transformed(
        """\
        from airflow.contrib.operators.bigquery_operator import BigQueryOperator as BQ
        q = BQ(task_id="q", BigQueryOperator=1)
        """,
        """\
        from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator as BQ
        q = BQ(task_id="q", BigQueryOperator=1)
        """,
        select=["AU101"],  # (AU161 would drop the keyword 1.10's BigQueryOperator ignored)
    )


def test_parenthesized_names_split_by_new_module():
    check_transformed(
        """\
        # operators
        from airflow.operators import (BashOperator, DummyOperator)
        """,
        """\
        # operators
        from airflow.operators.bash import BashOperator
        from airflow.operators.dummy import DummyOperator
        """,
    )


def test_plugin_style_import():
    check_transformed(
        """\
        from airflow.operators import DummyOperator
        """,
        """\
        from airflow.operators.dummy import DummyOperator
        """,
    )


def test_module_alias_import_and_attribute_use():
    check_transformed(
        """\
        import airflow.operators.bash_operator as bo
        t = bo.BashOperator(task_id="t", bash_command="true")
        """,
        """\
        import airflow.operators.bash as bo
        t = bo.BashOperator(task_id="t", bash_command="true")
        """,
    )


def test_fully_qualified_use():
    check_transformed(
        """\
        import airflow.operators.bash_operator
        t = airflow.operators.bash_operator.BashOperator(task_id="t", bash_command="true")
        """,
        """\
        import airflow.operators.bash
        t = airflow.operators.bash.BashOperator(task_id="t", bash_command="true")
        """,
    )


def test_module_imported_from_package_with_renamed_class_is_reported():
    (d,) = [
        d
        for d in diagnostics(
            """\
            from airflow.contrib.operators import bigquery_operator
            q = bigquery_operator.BigQueryOperator(task_id="q", sql="x")
            """
        )
        if d.line == 2
    ]
    assert d.fix is None
    assert (
        "from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator"
        in d.message
    )


def test_duplicate_imports_are_merged():
    check_transformed(
        """\
        from airflow.operators.bash import BashOperator
        from airflow.operators.bash_operator import BashOperator
        from airflow.operators import BashOperator, DummyOperator
        """,
        """\
        from airflow.operators.bash import BashOperator
        from airflow.operators.dummy import DummyOperator
        """,
    )


def test_try_except_import_error_is_left_alone():
    check_noop(
        """\
        try:
            from airflow.operators.bash import BashOperator
        except ImportError:
            from airflow.operators.bash_operator import BashOperator
        """
    )


def test_target_3_goes_straight_to_the_standard_provider():
    check_transformed(
        """\
        from airflow.operators.python_operator import PythonOperator
        """,
        """\
        from airflow.providers.standard.operators.python import PythonOperator
        """,
        target="3",
    )


def test_non_airflow_and_relative_imports_untouched():
    check_noop(
        """\
        from .bash_operator import BashOperator
        from mycompany.operators import DummyOperator
        import os.path
        """
    )


def test_import_inside_function_is_rewritten():
    check_transformed(
        """\
        def make():
            from airflow.operators.dummy_operator import DummyOperator
            return DummyOperator(task_id="d")
        """,
        """\
        def make():
            from airflow.operators.dummy import DummyOperator
            return DummyOperator(task_id="d")
        """,
    )


# ----- reported on CPython's ast, fixed in place where the path (and names) only change -----


def test_positions_of_each_name_in_a_parenthesized_import():
    found = diagnostics(
        """\
        from airflow.operators.python_operator import (
            PythonOperator,
            BranchPythonOperator as Branch,  # keep
        )
        """
    )
    assert [(d.code, d.line, d.col, d.end_line, d.end_col) for d in found] == [
        ("AU101", 2, 5, 2, 19),
        ("AU101", 3, 5, 3, 35),
    ]


def test_positions_count_characters_not_bytes():
    (d,) = diagnostics('x = "é"; from airflow.operators.bash_operator import BashOperator\n')
    assert (d.line, d.col) == (1, 54)


def test_renamed_class_with_continuation_lines_and_fstring_use():
    check_transformed(
        """\
        from airflow.contrib.operators.bigquery_operator import \\
            BigQueryOperator
        q = BigQueryOperator(task_id="q", sql=f"{BigQueryOperator.__name__}")
        """,
        """\
        from airflow.providers.google.cloud.operators.bigquery import \\
            BigQueryExecuteQueryOperator
        q = BigQueryExecuteQueryOperator(task_id="q", sql=f"{BigQueryExecuteQueryOperator.__name__}")
        """,
    )


def test_renamed_class_with_alias_keeps_local_name_and_uses():
    check_transformed(
        """\
        from airflow.contrib.operators.bigquery_operator import BigQueryOperator as BQ, BigQueryOperator
        a = BQ(task_id="a", sql="x")
        b = BigQueryOperator(task_id="b", sql="x")
        """,
        """\
        from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator as BQ, BigQueryExecuteQueryOperator
        a = BQ(task_id="a", sql="x")
        b = BigQueryExecuteQueryOperator(task_id="b", sql="x")
        """,
    )


def test_guarded_import_of_a_renamed_class_leaves_its_uses_alone():
    check_noop(
        """\
        try:
            from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator
        except ImportError:
            from airflow.contrib.operators.bigquery_operator import BigQueryOperator
        q = BigQueryOperator(task_id="q", sql="x")
        """
    )


def test_import_spaced_oddly_is_fixed_through_libcst():
    check_transformed(
        """\
        from  airflow.operators . bash_operator import BashOperator
        """,
        """\
        from  airflow.operators.bash import BashOperator
        """,
    )


def test_in_place_and_merging_paths_agree_in_one_file():
    # The second import would duplicate the first once fixed: every import goes through LibCST.
    check_transformed(
        """\
        from airflow.contrib.operators.bigquery_operator import BigQueryOperator
        from airflow.contrib.operators.bigquery_operator import BigQueryOperator
        q = BigQueryOperator(task_id="q", sql="x")
        """,
        """\
        from airflow.providers.google.cloud.operators.bigquery import BigQueryExecuteQueryOperator
        q = BigQueryExecuteQueryOperator(task_id="q", sql="x")
        """,
    )


def test_parenthesized_names_keep_their_layout_when_renamed():
    check_transformed(
        """\
        from airflow.contrib.operators.gcp_natural_language_operator import (
            CloudLanguageAnalyzeEntitiesOperator,
            CloudLanguageClassifyTextOperator,
        )
        from airflow.contrib.operators.gcp_natural_language_operator import CloudLanguageClassifyTextOperator
        """,
        """\
        from airflow.providers.google.cloud.operators.natural_language import (
            CloudNaturalLanguageAnalyzeEntitiesOperator,
            CloudNaturalLanguageClassifyTextOperator,
        )
        """,
    )


def test_parenthesized_import_losing_its_last_name_to_a_duplicate():
    check_transformed(
        """\
        from airflow.operators.python import PythonOperator
        from airflow.operators.python_operator import (
            BranchPythonOperator,
            PythonOperator)
        """,
        """\
        from airflow.operators.python import PythonOperator
        from airflow.operators.python import (
            BranchPythonOperator)
        """,
    )


def test_removed_module_imported_as_name_is_rebound_when_every_use_maps():
    check_transformed(
        """\
        from airflow.contrib.operators import gcs_to_bq, gcs_to_gcs
        from airflow.operators import dummy_operator as dm

        a = gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="a")
        b = gcs_to_gcs.GoogleCloudStorageToGoogleCloudStorageOperator(task_id="b")
        c = dm.DummyOperator(task_id="c")
        """,
        """\
        from airflow.providers.google.cloud.transfers import gcs_to_bigquery as gcs_to_bq, gcs_to_gcs
        from airflow.providers.standard.operators import empty as dm

        a = gcs_to_bq.GCSToBigQueryOperator(task_id="a")
        b = gcs_to_gcs.GCSToGCSOperator(task_id="b")
        c = dm.EmptyOperator(task_id="c")
        """,
        target="3",
        select=["AU101"],
    )


def test_removed_module_rebinding_keeps_names_that_stay():
    check_transformed(
        """\
        from airflow.contrib.operators import kubernetes_pod_operator
        k = kubernetes_pod_operator.KubernetesPodOperator(task_id="k")
        """,
        """\
        from airflow.providers.cncf.kubernetes.operators import pod as kubernetes_pod_operator
        k = kubernetes_pod_operator.KubernetesPodOperator(task_id="k")
        """,
        target="3",
        select=["AU101"],
    )


def test_removed_module_imported_by_full_path_is_rebound():
    check_transformed(
        """\
        import airflow.contrib.operators.gcs_to_bq
        import airflow.models
        a = airflow.contrib.operators.gcs_to_bq.GoogleCloudStorageToBigQueryOperator(task_id="a")
        v = airflow.models.DagRun
        """,
        """\
        import airflow.providers.google.cloud.transfers.gcs_to_bigquery
        import airflow.models
        a = airflow.providers.google.cloud.transfers.gcs_to_bigquery.GCSToBigQueryOperator(task_id="a")
        v = airflow.models.DagRun
        """,
        target="3",
        select=["AU101"],
    )


def test_import_error_handler_without_fallback_is_not_compat_code():
    # `except ImportError: log...` provides no other name: on the target the guarded DAG would
    # just vanish, so its imports are migrated.
    check_transformed(
        """\
        try:
            from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
            k = KubernetesPodOperator(task_id="k")
        except ImportError as e:
            log.warning("no KubernetesPodOperator: %s", e)
        """,
        """\
        try:
            from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator
            k = KubernetesPodOperator(task_id="k")
        except ImportError as e:
            log.warning("no KubernetesPodOperator: %s", e)
        """,
        select=["AU101"],
    )


def test_unused_import_of_a_removed_name_is_dropped():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        from airflow.utils.dates import days_ago as ago, cron_presets
        from airflow.models import DAG
        dag = DAG("d", schedule=cron_presets)
        """,
        """\
        from airflow.utils.dates import cron_presets
        from airflow.sdk import DAG
        dag = DAG("d", schedule=cron_presets)
        """,
        target="3",
    )


def test_removed_name_shadowed_by_a_loop_variable_parameter_or_comprehension_is_unused():
    check_transformed(
        """\
        from airflow.utils.dates import days_ago
        import pendulum
        start = days_ago(2)
        for days_ago in range(3):
            print(days_ago, f"t_{days_ago}")
        def f(days_ago):
            return days_ago + 1
        def g():
            days_ago = 4
            return [days_ago for days_ago in range(days_ago)]
        h = lambda days_ago: days_ago
        """,
        """\
        import pendulum
        start = pendulum.today("UTC").add(days=-2)
        for days_ago in range(3):
            print(days_ago, f"t_{days_ago}")
        def f(days_ago):
            return days_ago + 1
        def g():
            days_ago = 4
            return [days_ago for days_ago in range(days_ago)]
        h = lambda days_ago: days_ago
        """,
        target="3",
    )


def test_import_after_a_colon_is_rewritten_on_its_line():
    # Two imports of one name once fixed: the imports go through the LibCST rewrite, which
    # finds this one in the statement suite after `if ...:`.
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        from airflow.operators.bash import BashOperator
        import sys
        if sys.argv: from airflow.operators.dummy_operator import DummyOperator
        """,
        """\
        from airflow.operators.bash import BashOperator
        from airflow.operators.bash import BashOperator
        import sys
        if sys.argv: from airflow.operators.dummy import DummyOperator
        """,
    )


def test_import_line_rewrite_composes_with_the_import_another_fix_adds_after_it():
    # AU121 adds `from kubernetes.client import models as k8s` after the last import, the
    # line AU101 rewrites too: both apply.
    source = """\
        from airflow.contrib.kubernetes import secret
        from airflow.contrib.operators import kubernetes_pod_operator

        t = kubernetes_pod_operator.KubernetesPodOperator(
            task_id="t", name="t", image="i", resources={"limit_memory": "1Gi"}
        )
        """
    _data, result = run_fix(source, target="2")
    assert result.error is None, result.error
    new = result.new_source.decode()
    assert "from airflow.providers.cncf.kubernetes.operators import pod as kubernetes_pod_operator\n" in new
    assert "from airflow.contrib.operators import kubernetes_pod_operator" not in new
