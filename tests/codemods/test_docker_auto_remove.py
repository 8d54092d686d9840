import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix


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


BRIDGED = """\
try:
    from airflow.providers.docker.operators.docker import DockerOperator
except ImportError:  # Airflow 1.10
    from airflow.operators.docker_operator import DockerOperator
a = DockerOperator(task_id="a", image="x", auto_remove="success" if DockerOperator.__module__.startswith("airflow.providers.") else True)
b = DockerOperator(task_id="b", image="x", auto_remove="never" if DockerOperator.__module__.startswith("airflow.providers.") else False)
"""


@pytest.mark.parametrize("target", ["2", "3"])
def test_bridge_passes_the_bool_to_1_10s_class_and_the_mode_to_the_providers(target):
    check_transformed(
        """\
        from airflow.operators.docker_operator import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove=True)
        b = DockerOperator(task_id="b", image="x", auto_remove=False)
        """,
        BRIDGED,
        target=target,
        bridge=True,
        select=["AU101", "AU111"],
    )


def test_closing_the_bridge_keeps_the_mode():
    check_transformed(
        BRIDGED,
        """\
        from airflow.providers.docker.operators.docker import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove="success")
        b = DockerOperator(task_id="b", image="x", auto_remove="never")
        """,
        target="2",
        close_bridge=True,
    )
    # without --close-bridge the bridged value is left alone, and not reported as a non-literal
    check_noop(BRIDGED, target="2")
    assert diagnostics(BRIDGED, target="2", select=["AU111"]) == []


def test_bridge_through_the_1_10_module_and_the_swarm_operator():
    check_transformed(
        """\
        from airflow.operators import docker_operator
        from airflow.contrib.operators.docker_swarm_operator import DockerSwarmOperator
        a = docker_operator.DockerOperator(task_id="a", image="x", auto_remove=True)
        s = DockerSwarmOperator(task_id="s", image="x", auto_remove=True)
        """,
        """\
        try:
            from airflow.providers.docker.operators import docker as docker_operator
        except ImportError:  # Airflow 1.10
            from airflow.operators import docker_operator
        try:
            from airflow.providers.docker.operators.docker_swarm import DockerSwarmOperator
        except ImportError:  # Airflow 1.10
            from airflow.contrib.operators.docker_swarm_operator import DockerSwarmOperator
        a = docker_operator.DockerOperator(task_id="a", image="x", auto_remove="success" if docker_operator.DockerOperator.__module__.startswith("airflow.providers.") else True)
        s = DockerSwarmOperator(task_id="s", image="x", auto_remove="success" if DockerSwarmOperator.__module__.startswith("airflow.providers.") else True)
        """,
        target="2",
        bridge=True,
    )


def test_bridge_reports_a_provider_class_imported_on_1_10():
    # a backport provider on 1.10 takes the bool, the target's provider the mode: by hand
    source = """\
        from airflow.providers.docker.operators.docker import DockerOperator
        a = DockerOperator(task_id="a", image="x", auto_remove=True)
        """
    check_noop(source, target="2", bridge=True, select=["AU111"])
    _, result = run_fix(source, target="2", bridge=True, select=["AU111"])
    (d,) = result.diagnostics
    assert d.fix is None and "choose the value by hand" in d.message


@pytest.mark.parametrize(
    "value",
    [
        # not the bridge's form: another class, another prefix, a mode that is not the bool's
        '"success" if OtherOperator.__module__.startswith("airflow.providers.") else True',
        '"success" if DockerOperator.__module__.startswith("airflow.") else True',
        '"never" if DockerOperator.__module__.startswith("airflow.providers.") else True',
    ],
)
def test_other_conditionals_are_reported_as_non_literals(value):
    source = f"from airflow.providers.docker.operators.docker import DockerOperator\nDockerOperator(auto_remove={value})\n"
    check_noop(source, target="2", close_bridge=True, select=["AU111"])
    (d,) = diagnostics(source, target="2", select=["AU111"])
    assert "not a literal" in d.message
