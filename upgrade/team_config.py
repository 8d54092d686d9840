"""What the team's airflow.cfg says about defaults that DAG files rely on.

Airflow 1.10 filled some DAG arguments from the deployment's config: a DAG without `catchup=`
took `[scheduler] catchup_by_default`. Airflow 3.0 changed that default (True -> False), so the
value to write into such a DAG is exact only when the config it ran with is known: given with
`--airflow-cfg FILE` (setting `airflow-cfg`), the same file `airflow-upgrade config` migrates.
An environment variable (AIRFLOW__SCHEDULER__CATCHUP_BY_DEFAULT) overrides the file at run
time: pass the config the scheduler really used.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from upgrade.config_migration.cfg_document import ConfigFileError, load
from upgrade.config_migration.migrate import read_value
from upgrade.settings import SettingsError

# 1.10.15's config_templates/default_airflow.cfg: `catchup_by_default = True` (used when the
# team's file does not set it).
CATCHUP_DEFAULT_1_10 = True


@dataclass(frozen=True)
class CatchupDefault:
    value: bool
    source: str  # for messages: where the value came from


def _boolean(raw: str) -> bool | None:
    # airflow.configuration.AirflowConfigParser.getboolean of 1.10.15
    value = read_value(raw).lower().strip()
    if "#" in value:
        value = value.split("#")[0].strip()
    if value in ("t", "true", "1"):
        return True
    if value in ("f", "false", "0"):
        return False
    return None


def catchup_default(path: str) -> CatchupDefault:
    """`[scheduler] catchup_by_default` as 1.10 read it from this airflow.cfg."""
    try:
        document = load(Path(path))
    except ConfigFileError as exc:
        raise SettingsError(f"--airflow-cfg {path}: {exc}") from None
    raw = document.get("scheduler", "catchup_by_default")
    if raw is None:
        for variant in ("catchup_by_default_cmd", "catchup_by_default_secret"):
            if document.get("scheduler", variant) is not None:
                raise SettingsError(
                    f"--airflow-cfg {path}: [scheduler] {variant} is computed at run time: "
                    "the catchup default cannot be read from the file"
                )
        return CatchupDefault(
            CATCHUP_DEFAULT_1_10,
            f"{path} does not set [scheduler] catchup_by_default: the 1.10 default, True",
        )
    value = _boolean(raw)
    if value is None:
        raise SettingsError(
            f"--airflow-cfg {path}: [scheduler] catchup_by_default = {raw!r} is not a boolean"
        )
    return CatchupDefault(value, f"[scheduler] catchup_by_default = {raw.strip()} in {path}")
