"""`airflow-upgrade rollout`: staged, read-only checks of a scheduler-HA rollout against the metadata DB."""
