"""The rewritten KST templates render, in a real Airflow 2.x task instance, the same strings the
originals render in a real Airflow 1.10.15 task instance, for scheduled runs.

On Airflow 3.x the same holds only with `[scheduler] create_cron_data_intervals = True` (AU307):
by default 3.0 schedules cron strings with CronTriggerTimetable, where the interval is empty.

The reference team's idiom: YESTERDAY/TODAY are the KST dates of the run's interval start/end.
The rewrite comes from the real engine (`fix --target 2`, rule AU201), the rendering from the
real Airflows (tox envs af110 and af2, each with a private AIRFLOW_HOME and a fresh SQLite DB).
"""

from __future__ import annotations

import ast
import json
import subprocess
from pathlib import Path

import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from tests.airflow_envs import airflow_env_vars, airflow_python, init_airflow_db
from upgrade.engine import process_source
from upgrade.registry import select_rules

HERE = Path(__file__).resolve().parent
KST_CONSTANTS = b"""\
YESTERDAY = '{{ execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
TODAY = '{{ next_execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'
NEXT_DAY = "{{ next_ds }}"
"""
# Scheduled logical dates: an ordinary day, the last day of a month, the last day of a year.
# With the 15:00 UTC schedule (midnight KST) the KST date of each tick is already the next day.
CASES = {
    "@daily": ["2021-03-15T00:00:00+00:00", "2021-01-31T00:00:00+00:00", "2021-12-31T00:00:00+00:00"],
    "0 15 * * *": ["2021-03-15T15:00:00+00:00", "2021-02-28T15:00:00+00:00", "2021-12-31T15:00:00+00:00"],
}
# What 1.10.15 renders (KST YESTERDAY, KST TODAY, next_ds) for each scheduled run.
EXPECTED_110 = {
    "@daily": {
        "2021-03-15T00:00:00+00:00": ("2021-03-15", "2021-03-16", "2021-03-16"),
        "2021-01-31T00:00:00+00:00": ("2021-01-31", "2021-02-01", "2021-02-01"),
        "2021-12-31T00:00:00+00:00": ("2021-12-31", "2022-01-01", "2022-01-01"),
    },
    "0 15 * * *": {
        "2021-03-15T15:00:00+00:00": ("2021-03-16", "2021-03-17", "2021-03-16"),
        "2021-02-28T15:00:00+00:00": ("2021-03-01", "2021-03-02", "2021-03-01"),
        "2021-12-31T15:00:00+00:00": ("2022-01-01", "2022-01-02", "2022-01-01"),
    },
}


def constants(source: bytes) -> dict[str, str]:
    module = ast.parse(source)
    return {node.targets[0].id: ast.literal_eval(node.value) for node in module.body}


def rewritten(source: bytes) -> bytes:
    # --unsafe-fixes: next_execution_date / next_ds -> data_interval_end is exact for scheduled
    # runs only (the runs rendered here); execution_date -> logical_date is exact for every run.
    target = parse_target("2")
    options = RunOptions(target, fix=True, unsafe_fixes=True)
    result = process_source("kst.py", source, select_rules(target, ["AU201"]), options)
    assert result.error is None and result.new_source is not None
    return result.new_source


def render(env: str, templates: dict[str, str], home: Path) -> dict:
    environ = init_airflow_db(env, home)
    spec = json.dumps({"templates": templates, "cases": CASES})
    proc = subprocess.run(
        [str(airflow_python(env)), str(HERE / "render_in_airflow.py"), spec],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    old = constants(KST_CONSTANTS)
    new = constants(rewritten(KST_CONSTANTS))
    home = tmp_path_factory.mktemp("airflow_homes")
    return old, new, render("af110", old, home / "af110"), render("af2", new, home / "af2")


def test_rewrite_replaced_every_deprecated_variable(renders):
    old, new, _, _ = renders
    assert new == {
        "YESTERDAY": '{{ logical_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}',
        "TODAY": '{{ data_interval_end.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}',
        "NEXT_DAY": "{{ data_interval_end | ds }}",
    }


@pytest.mark.parametrize("schedule", sorted(CASES))
def test_airflow_110_renders_the_kst_dates(renders, schedule):
    _, _, before, _ = renders
    got = {iso: (r["YESTERDAY"], r["TODAY"], r["NEXT_DAY"]) for iso, r in before[schedule].items()}
    assert got == EXPECTED_110[schedule]


@pytest.mark.parametrize("schedule", sorted(CASES))
def test_rewritten_templates_on_airflow_2_render_the_same_for_scheduled_runs(renders, schedule):
    _, _, before, after = renders
    assert after[schedule] == before[schedule]


def render_on_airflow_3(templates: dict[str, str], home: Path, **config: str) -> dict:
    environ = airflow_env_vars("af3", home, **config)
    spec = json.dumps({"templates": templates, "cases": CASES, "interval": 86400})
    proc = subprocess.run(
        [str(airflow_python("af3")), str(HERE / "render_in_airflow3.py"), spec],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_airflow_3_with_cron_data_intervals_renders_the_same(renders, tmp_path):
    _, new, before, _ = renders
    after = render_on_airflow_3(new, tmp_path, AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS="True")
    assert after == before


def test_airflow_3_default_cron_semantics_would_change_yesterday(renders, tmp_path):
    # Why AU307 exists: with 3.0's default CronTriggerTimetable the interval start is the run time.
    _, new, before, _ = renders
    after = render_on_airflow_3(new, tmp_path, AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS="False")
    for schedule, runs in before.items():
        for iso, rendered in runs.items():
            assert after[schedule][iso]["TODAY"] == rendered["TODAY"]
            assert after[schedule][iso]["YESTERDAY"] == rendered["TODAY"] != rendered["YESTERDAY"]


def bridged(source: bytes) -> bytes:
    # `fix --target 3 --bridge --unsafe-fixes`: one text that renders on 1.10.15 and on 3.x.
    target = parse_target("3")
    options = RunOptions(target, fix=True, unsafe_fixes=True, bridge=True)
    result = process_source("kst.py", source, select_rules(target, ["AU201"]), options)
    assert result.error is None and result.new_source is not None
    return result.new_source


@pytest.fixture(scope="module")
def bridged_renders(tmp_path_factory):
    templates = constants(bridged(KST_CONSTANTS))
    return templates, render("af110", templates, tmp_path_factory.mktemp("bridged") / "af110")


def test_bridged_templates_read_the_name_each_context_has(bridged_renders):
    templates, _ = bridged_renders
    assert templates == {
        "YESTERDAY": '{{ (logical_date if logical_date is defined else execution_date).in_timezone("Asia/Seoul")'
        '.strftime("%Y-%m-%d") }}',
        "TODAY": "{{ (data_interval_end if data_interval_end is defined else next_execution_date)"
        '.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}',
        "NEXT_DAY": "{{ (data_interval_end.date().isoformat() if data_interval_end is defined else next_ds) }}",
    }


def test_bridged_templates_render_the_same_on_1_10(renders, bridged_renders):
    _, _, before, _ = renders
    _, after = bridged_renders
    assert after == before


def test_bridged_templates_render_the_same_on_3_with_cron_data_intervals(renders, bridged_renders, tmp_path):
    _, _, before, _ = renders
    templates, _ = bridged_renders
    after = render_on_airflow_3(templates, tmp_path, AIRFLOW__SCHEDULER__CREATE_CRON_DATA_INTERVALS="True")
    assert after == before
