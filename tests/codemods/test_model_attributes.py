from tests.codemods.helpers import check_noop, check_transformed


def test_last_scheduler_run_renamed():
    check_transformed(
        """\
        from airflow.models import DAG, DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_scheduler_run}
        b = dag_module.DagModel.last_scheduler_run
        """,
        """\
        from airflow.models import DAG, DagModel
        import airflow.models.dag as dag_module
        a = {"age_check_column": DagModel.last_parsed_time}
        b = dag_module.DagModel.last_parsed_time
        """,
        select=["AU194"],
    )


def test_other_last_scheduler_run_untouched():
    check_noop("from mylib import DagModel\nx = DagModel.last_scheduler_run\nrow.last_scheduler_run\n")
