"""airflow-upgrade: take an Airflow 1.10 DAG repository to Airflow 2 and 3."""

__version__ = "0.1.0"
