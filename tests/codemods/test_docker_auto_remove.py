from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_bools_become_modes_on_latest_2():
    check_transformed(
        """\
        from airflow.providers.docker.operators.docker import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove=True)
        b = DockerOperator(task_id="b", image="x", auto_remove=False)
        """,
        """\
        from airflow.providers.docker.operators.docker import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove="success")
        b = DockerOperator(task_id="b", image="x", auto_remove="never")
        """,
        target="2",
        select=["AU111"],
    )


def test_not_applied_for_target_2_0():
    # docker provider 1.x/2.x (the ones for Airflow 2.0/2.1) still take a bool
    check_noop(
        """\
        from airflow.operators.docker_operator import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove=True)
        """,
        target="2.0",
        select=["AU111"],
    )


def test_non_literal_reported_without_fix():
    (d,) = diagnostics(
        """\
        from airflow.operators.docker_operator import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove=REMOVE)
        """,
        target="2",
        select=["AU111"],
    )
    assert d.fix is None and "not a literal" in d.message
