"""What codemods/_dag_signature.py (scripts/gen_dag_signature.py; drift: tests/test_generated_data.py) holds."""

from pathlib import Path

from codemods._dag_signature import BASE_OPERATOR_KWARGS, DAG_KWARGS

REPO = Path(__file__).resolve().parent.parent.parent


def test_table_knows_the_renames_the_rules_rely_on():
    assert {"catchup", "start_date", "default_args"} <= DAG_KWARGS["1.10"] & DAG_KWARGS["2"] & DAG_KWARGS["3"]
    assert {"schedule_interval", "concurrency"} <= DAG_KWARGS["1.10"] - DAG_KWARGS["3"]
    assert {"schedule", "max_active_tasks"} <= DAG_KWARGS["3"] - DAG_KWARGS["1.10"]
    assert "task_concurrency" in BASE_OPERATOR_KWARGS["1.10"] - BASE_OPERATOR_KWARGS["3"]
    assert "max_active_tis_per_dag" in BASE_OPERATOR_KWARGS["3"]
