"""codemods/_generated/providers/ (scripts/gen_provider_history.py, read from provider wheels)
agrees with the provider releases installed in the Airflow envs, and the accessors in
codemods/_providers.py answer from it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from codemods import _providers
from tests.airflow_envs import REPO, airflow_python

sys.path.insert(0, str(REPO / "scripts"))
import provider_reader  # noqa: E402

DATA = REPO / "codemods" / "_generated" / "providers"


def _installed_providers(env: str) -> list[tuple[str, str, Path, list[str]]]:
    """(distribution, version, site-packages, RECORD lines) of each provider installed in `env`."""
    site = next((airflow_python(env).parent.parent / "lib").glob("python3*/site-packages"))
    out = []
    for info in sorted(site.glob("apache_airflow_providers_*.dist-info")):
        name, version = info.name[: -len(".dist-info")].rsplit("-", 1)
        dist = name.replace("_", "-")
        out.append((dist, version, site, (info / "RECORD").read_text().splitlines()))
    return out


def _data_at(dist: str, version: str) -> dict[str, dict]:
    short = dist.removeprefix("apache-airflow-providers-")
    data = json.loads((DATA / f"{short}.json").read_text())
    index = data["releases"].index(version)
    return {
        name: state
        for name, runs in data["names"].items()
        for first, last, state in runs
        if first <= index <= last
    }


@pytest.mark.airflow
@pytest.mark.parametrize("env", ["af20", "af2", "af3"])
def test_data_matches_the_installed_provider_releases(env):
    """For every provider installed in the env, the data for that release equals what the reader
    finds in the installed files (the same reader the generator runs on the wheels)."""
    installed = _installed_providers(env)
    assert installed, f"no provider distributions installed in {env}"
    checked = []
    for dist, version, site, record in installed:
        assert dist in _providers.distributions(), (
            f"{dist} (installed in {env}) is not in the data; add it to EXTRA_DISTRIBUTIONS in "
            "scripts/gen_provider_history.py and run it"
        )
        assert version in _providers.releases(dist), (
            f"{dist} {version} (installed in {env}) is not among the releases read; "
            "run `python scripts/gen_provider_history.py`"
        )
        read = provider_reader.read_release(provider_reader.installed_files(str(site), record))
        expected = _data_at(dist, version)
        missing = sorted(set(read) - set(expected))[:5]
        extra = sorted(set(expected) - set(read))[:5]
        differing = sorted(name for name in set(read) & set(expected) if read[name] != expected[name])[:5]
        assert not (missing or extra or differing), (dist, version, missing, extra, differing)
        checked.append(dist)
    assert checked == [dist for dist, *_ in installed]


def test_every_distribution_has_its_file_and_releases():
    index = json.loads((DATA / "_index.json").read_text())
    for dist, info in index["providers"].items():
        short = dist.removeprefix("apache-airflow-providers-")
        data = json.loads((DATA / f"{short}.json").read_text())
        assert data["dist"] == dist
        assert data["releases"] == info["releases"]
        assert len(info["airflow"]) == len(info["releases"])
        for key, release in info["default"].items():
            assert release is None or release in info["releases"], (dist, key, release)


def test_releases_read_include_first_and_newest_and_each_major():
    releases = _providers.releases("apache-airflow-providers-postgres")
    majors = {release.split(".")[0] for release in releases}
    assert releases[0] == "1.0.0"
    assert {"1", "2", "3", "4", "5", "6"} <= majors


def test_default_release_allows_the_target():
    dist = "apache-airflow-providers-amazon"
    assert _providers.airflow_requirement(dist, _providers.default_release(dist, "2.0")) in (
        ">=2.0.0",
        ">=2.0.0,",
    )
    newest = _providers.releases(dist)[-1]
    assert _providers.default_release(dist, "2") == newest


def test_module_removed_later_resolves_through_the_release_that_deprecated_it():
    old = "airflow.providers.amazon.aws.operators.s3_copy_object.S3CopyObjectOperator"
    new = "airflow.providers.amazon.aws.operators.s3.S3CopyObjectOperator"
    newest = _providers.releases_for("2")
    assert not _providers.exists(old, newest.version("apache-airflow-providers-amazon"))
    assert _providers.home(old, newest) == new
    # pinned to a release that still has the module: left where it is
    pinned = _providers.releases_for("2", (("apache-airflow-providers-amazon", "1.4.0"),))
    assert _providers.home(old, pinned) == old
    # and the newest name found back in the pinned release
    assert _providers.locate(new, pinned, newest) == old


def test_removed_class_with_another_shape_has_no_home_but_a_replacement():
    old = "airflow.providers.postgres.operators.postgres.PostgresOperator"
    newest = _providers.releases_for("2")
    assert _providers.home(old, newest) is None
    use, message, last = _providers.replacement(old)
    assert use == "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator"
    assert "SQLExecuteQueryOperator" in message
    assert last in _providers.releases("apache-airflow-providers-postgres")
    # still there in a release pinned before the removal
    assert (
        _providers.home(old, _providers.releases_for("2", (("apache-airflow-providers-postgres", last),)))
        == old
    )


def test_signature_through_the_base_chain():
    chosen = _providers.releases_for("2")
    names, outside = _providers.accepted_kwargs(
        "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator", chosen
    )
    assert {"sql", "conn_id", "autocommit", "parameters"} <= names
    assert outside is not None and outside.startswith("airflow.")
    sig = _providers.signature("airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator", chosen)
    assert sig is not None and sig.var_kwargs and "sql" in sig.names


def test_deprecated_parameter_read_from_the_init_code():
    pinned = _providers.releases_for("2", (("apache-airflow-providers-postgres", "5.14.0"),))
    assert _providers.deprecated_params("airflow.providers.postgres.hooks.postgres.PostgresHook", pinned) == {
        "schema": "database"
    }


def test_unread_version_stands_for_the_nearest_read_release_below():
    dist = "apache-airflow-providers-postgres"
    read = _providers.releases(dist)
    assert _providers.resolve_release(dist, read[-1]) == read[-1]
    assert _providers.resolve_release(dist, "5.13.1") == "5.0.0"
    assert _providers.resolve_release(dist, "0.9") is None


@pytest.mark.parametrize(
    "text",
    [
        "apache-airflow-providers-amazon==1.4.0\n",
        "# constraints\napache_airflow_providers_amazon==1.4.0  # via x\n",
        "Apache-Airflow-Providers-Amazon===1.4.0\nrequests==2.0\n",
    ],
)
def test_parse_pins(text):
    assert _providers.parse_pins(text) == (("apache-airflow-providers-amazon", "1.4.0"),)


def test_modules_needing_another_provider_not_installed_with_them():
    """google's Dataflow modules import airflow.providers.apache.beam at module level (a plain
    import, later `except ImportError: raise AirflowOptionalProviderFeatureException`), and
    apache-beam is only an extra of google; common-compat, which google requires, is not named."""
    module = "airflow.providers.google.cloud.operators.dataflow"
    for target in ("2.0", "2", "3"):
        chosen = _providers.releases_for(target)
        assert _providers.needs_distributions(module, chosen) == ("apache-airflow-providers-apache-beam",)
    google = "apache-airflow-providers-google"
    newest = _providers.releases(google)[-1]
    assert "apache-airflow-providers-apache-beam" in _providers._requirements(google, newest, "extras")
    assert "apache-airflow-providers-common-compat" in _providers._requirements(google, newest, "deps")
    assert _providers.needs_distributions("airflow.providers.google.cloud.operators.bigquery", chosen) == ()
    # http is installed with apache-airflow 2.x, not with 3.x
    assert "apache-airflow-providers-http" in _providers._index()["airflow_installs"]["2"]
    assert "apache-airflow-providers-http" not in _providers._index()["airflow_installs"]["3"]


def test_every_release_has_its_provider_requirements():
    index = json.loads((DATA / "_index.json").read_text())
    for dist, info in index["providers"].items():
        assert len(info["deps"]) == len(info["extras"]) == len(info["releases"]), dist
