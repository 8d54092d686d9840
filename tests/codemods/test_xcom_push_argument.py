from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_bash_xcom_push_renamed():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="echo 1", xcom_push=True)
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", bash_command="echo 1", do_xcom_push=True)
        """,
        select=["AU132"],
    )


def test_http_operator_attribute_form_variable_value():
    check_transformed(
        """\
        from airflow.operators import http_operator
        t = http_operator.SimpleHttpOperator(task_id="t", endpoint="x", xcom_push=push)
        """,
        """\
        from airflow.operators import http_operator
        t = http_operator.SimpleHttpOperator(task_id="t", endpoint="x", do_xcom_push=push)
        """,
        select=["AU132"],
    )


def test_both_given_literals_combined():
    check_transformed(
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", xcom_push=True, do_xcom_push=False, bash_command="x")
        """,
        """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", do_xcom_push=False, bash_command="x")
        """,
        select=["AU132"],
    )


def test_both_given_non_literal_reported():
    src = """\
        from airflow.operators.bash_operator import BashOperator
        t = BashOperator(task_id="t", xcom_push=a, do_xcom_push=b, bash_command="x")
        """
    check_noop(src, select=["AU132"])
    (d,) = diagnostics(src, select=["AU132"])
    assert d.fix is None and "both" in d.message


def test_other_operators_untouched():
    check_noop(
        """\
        from airflow.contrib.operators.ssh_operator import SSHOperator
        from airflow.operators.python_operator import PythonOperator
        a = SSHOperator(task_id="a", do_xcom_push=True)
        b = PythonOperator(task_id="b", python_callable=f, op_kwargs={"xcom_push": True})
        """,
        select=["AU132"],
    )
