"""AU164: imports of provider modules that need a provider distribution not installed with them."""

from __future__ import annotations

import pytest

from codemods import _providers
from tests.codemods.helpers import check_noop, run_fix

GOOGLE = "apache-airflow-providers-google"
BEAM = "apache-airflow-providers-apache-beam"
DATAFLOW = "airflow.providers.google.cloud.operators.dataflow"


def found(source: str, target: str, **options) -> list[tuple[int, int, str]]:
    _, result = run_fix(source, target=target, select=["AU164"], fix=False, **options)
    assert result.error is None, result.error
    return [(d.line, d.col, d.message) for d in result.diagnostics]


def needs_beam(google: str) -> str:
    return f"`{DATAFLOW}` needs {BEAM} in google {google}: install it"


SOURCE = """\
from airflow.providers.google.cloud.operators.dataflow import DataflowTemplatedJobStartOperator
import os, airflow.providers.google.cloud.operators.dataflow
from airflow.providers.google.cloud.operators import bigquery, dataflow
from airflow.providers.google.cloud.operators.bigquery import BigQueryInsertJobOperator
from airflow.providers.google.cloud.hooks.gcs import GCSHook
try:
    from airflow.providers.google.cloud.operators.dataflow import DataflowStartFlexTemplateOperator
except ImportError:
    DataflowStartFlexTemplateOperator = None
"""

GUARDED = """\
try:
    from airflow.providers.google.cloud.operators.dataflow import DataflowTemplatedJobStartOperator
except ImportError:
    from airflow.contrib.operators.dataflow_operator import DataflowTemplateOperator
if AIRFLOW_V2:
    import airflow.providers.google.cloud.operators.dataflow
else:
    import airflow.contrib.operators.dataflow_operator
"""


@pytest.mark.parametrize("target", ["2", "3"])
def test_imports_of_the_dataflow_module_are_reported_on_their_line(target):
    google = _providers.releases_for(target).version(GOOGLE)
    assert found(SOURCE, target) == [
        (1, 1, needs_beam(google)),
        (2, 12, needs_beam(google)),
        (3, 1, needs_beam(google)),
        (7, 5, needs_beam(google)),
    ]
    check_noop(SOURCE, target=target, select=["AU164"])


@pytest.mark.parametrize("target", ["2.0", "2", "3"])
def test_version_switched_code_is_reported_for_its_provider_imports_only(target):
    # the provider raises AirflowOptionalProviderFeatureException, which `except ImportError:`
    # does not catch; the 1.10 fallback is only run by the old version
    google = _providers.releases_for(target).version(GOOGLE)
    assert found(GUARDED, target) == [(2, 5, needs_beam(google)), (6, 12, needs_beam(google))]


def test_a_1_10_import_is_reported_for_the_module_it_becomes():
    source = "from airflow.contrib.operators.dataflow_operator import DataflowTemplateOperator\n"
    google = _providers.releases_for("2.0").version(GOOGLE)
    assert found(source, "2.0") == [(1, 1, needs_beam(google))]


def test_the_advice_is_for_the_pinned_release():
    # google 1.0.0's Dataflow hook ran Beam itself; 2.0.0 moved that to the apache-beam provider
    assert found(SOURCE, "2.0", provider_pins=((GOOGLE, "1.0.0"),)) == []
    assert found(SOURCE, "2.0", provider_pins=((GOOGLE, "2.0.0"),))[0] == (1, 1, needs_beam("2.0.0"))


def test_a_pinned_distribution_counts_as_installed():
    assert found(SOURCE, "2", provider_pins=((BEAM, "6.0.0"),)) == []


def test_distributions_the_release_or_airflow_installs_are_not_reported():
    # google requires common-compat; apache-airflow 2.x installs http, 3.x does not
    assert found("from airflow.providers.google.cloud.hooks.gcs import GCSHook\n", "3") == []
    source = "from airflow.providers.google.cloud.transfers.http_to_gcs import HttpToGCSOperator\n"
    assert found(source, "2") == []
    google = _providers.releases_for("3").version(GOOGLE)
    assert found(source, "3") == [
        (
            1,
            1,
            "`airflow.providers.google.cloud.transfers.http_to_gcs` needs apache-airflow-providers-http "
            f"in google {google}: install it",
        )
    ]


def test_relative_and_non_provider_imports_are_left_alone():
    assert found("from .dataflow import thing\nimport dataflow\nfrom airflow.models import DAG\n", "2") == []
