"""Every committed file a generator in scripts/ writes from the tox Airflow envs is what the
generator writes now: `scripts/<generator> --check` passes against those envs.

The generators that read provider wheels (gen_provider_history.py, gen_operator_replacements.py)
need downloads; their data is checked against the installed providers instead
(tests/codemods/test_provider_history.py, test_replaced_operator.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.airflow_envs import REPO, airflow_python, tox_workdir

# generator -> the tox envs it reads
GENERATORS = {
    "gen_tables.py": ("af110", "af20", "af2", "af3"),
    "gen_dag_signature.py": ("af110", "af2", "af3"),
    "gen_kpo_k8s_models.py": ("af110", "af20", "af2"),
    "gen_config_tables.py": ("af110", "af20", "af2", "af3"),
    "gen_operator_kwargs_1_10.py": ("af110",),
    "gen_base_sensor_kwargs.py": ("af2", "af3"),
    "gen_model_attributes.py": ("af110", "af20", "af2", "af3"),
}


@pytest.mark.airflow
@pytest.mark.parametrize("generator", sorted(GENERATORS))
def test_committed_output_matches_the_generator(generator):
    for env in GENERATORS[generator]:
        airflow_python(env)  # a missing env fails here with the command that builds it
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / generator), "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "AU_TOX_WORKDIR": str(tox_workdir())},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def test_every_generator_with_committed_env_output_is_checked():
    readers_of_wheels = {"gen_provider_history.py", "gen_operator_replacements.py", "gen_docs.py"}
    generators = {path.name for path in (REPO / "scripts").glob("gen_*.py")}
    assert generators - readers_of_wheels == set(GENERATORS)
