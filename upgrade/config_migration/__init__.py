"""`airflow-upgrade config`: migrate a 1.10 airflow.cfg to 2.x/3.x, with a KubernetesExecutor pod template."""
