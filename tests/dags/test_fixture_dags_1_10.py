"""tests/fixtures/dags_1_10 is the reference DAG repo in its original Airflow 1.10 form: it loads
on 1.10.15 (and on 2.0.2, which still ships the contrib/*_operator shims and accepts the 1.10
arguments with deprecation warnings) with the same shape as dags/, and does NOT load unchanged on
2.11 (KubernetesPodOperator's resources dict) nor 3.x (airflow.contrib removed): that is what
`airflow-upgrade fix` is for. Loaded in a fresh interpreter (see fresh_interpreter.py)."""

from tests.dags.airflow_runtime import VERSION
from tests.dags.fresh_interpreter import fresh_interpreter_report
from tests.dags.test_reference_dag import EXPECTED_EDGES


def test_original_1_10_dags_load_on_1_10_and_2_0_only():
    report = fresh_interpreter_report()
    if VERSION < (2, 1, 0):
        assert report["fixture_errors"] == {}
        assert {tuple(edge) for edge in report["fixture_edges"]} == EXPECTED_EDGES
    else:
        assert "test_dag.py" in report["fixture_errors"]
        assert report["fixture_edges"] is None
