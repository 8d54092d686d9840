"""Runtime layer that lets one DAG repository run on Airflow 1.10.15, 2.0, 2.x and 3.x at once.

Import the submodule you need (``compat.operators``, ``compat.macros``, ``compat.timezone``,
``compat.slack``, ``compat.pod_log_patch``); this package imports nothing eagerly so that
``import compat`` stays cheap and never touches Airflow.

Runs on Python 3.8: no 3.9+ syntax, no libcst.
"""
