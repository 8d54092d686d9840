from tests.codemods.helpers import diagnostics


def test_sla_reported():
    source = """\
        from airflow.models import DAG, SlaMiss
        from airflow.operators.python import PythonOperator
        dag = DAG("d", sla_miss_callback=notify, default_args={"sla": timedelta(hours=1)})
        t = PythonOperator(task_id="t", python_callable=f, sla=timedelta(hours=2))
        rows = session.query(SlaMiss).all()
        """
    found = [(d.line, d.col, d.message) for d in diagnostics(source, target="3", select=["AU192"])]
    assert [(line, col) for line, col, _ in found] == [(1, 33), (3, 16), (3, 56), (4, 52)]
    assert "(used at line 5)" in found[0][2]
    assert "sla_miss_callback=" in found[1][2]


def test_sla_miss_alone_is_found():
    (d,) = diagnostics("from airflow.models import SlaMiss\n", target="3", select=["AU192"])
    assert d.line == 1


def test_sla_in_default_args_only():
    source = """\
        default_args = {"owner": "a", "sla": timedelta(hours=1)}
        settings = {"sla": 3}
        """
    assert [d.line for d in diagnostics(source, target="3", select=["AU192"])] == [1]
