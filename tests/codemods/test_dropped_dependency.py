from tests.codemods.helpers import check_noop, diagnostics

SOURCE = """\
import os, pytz
from pandas import DataFrame
import numpy.random as rnd
try:
    import flask
except ImportError:
    flask = None
import pytz_deprecation_shim
from .pandas import local
"""


def test_imports_of_modules_airflow_1_10_brought_are_reported():
    check_noop(SOURCE, target="3")
    found = [(d.line, d.col, d.message) for d in diagnostics(SOURCE, target="3", select=["AU195"])]
    assert [(line, col) for line, col, _ in found] == [(1, 12), (2, 1), (3, 8)]
    pytz = found[0][2]
    assert pytz.startswith("`pytz` came with Airflow 1.10.15 (pytz ") and "apache-airflow -> " in pytz
    assert "Airflow 3.3.2 does not install it: add `pytz` to the deployment's requirements" in pytz
    assert found[2][2].startswith("`numpy` came with Airflow 1.10.15")


def test_nothing_on_target_2_or_for_modules_airflow_3_still_installs():
    assert not diagnostics(SOURCE, target="2", select=["AU195"])
    assert not diagnostics("import pendulum\nimport requests\nimport jinja2\n", target="3", select=["AU195"])
