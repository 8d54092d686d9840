"""Passing the task context to a Python callable, on Airflow 1.10 and 2.0+ alike."""

from compat.version import airflow_version


def provide_context_kwargs(provide_context=True):
    """``provide_context=`` for a Python operator, passed on Airflow 1.10 only.

    1.10's PythonOperator passes the task context only with ``provide_context=True``; Airflow 2.0
    always passes it (the keyword is deprecated there and rejected by 3.0's operator).
    ``airflow-upgrade fix --bridge`` writes ``**provide_context_kwargs(...)`` for it. Imports
    nothing but the Airflow version, so a DAG without the kubernetes client can use it.
    """
    if airflow_version()[0] < 2:
        return {"provide_context": provide_context}
    return {}
