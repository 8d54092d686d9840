"""The rollout stages 0-5: each gathers evidence from the DB (and files) and gives a verdict.

Stages (RESEARCH.md): 0 preflight, 1 DB migrated, 2 one 2.x scheduler healthy, 3 two healthy
schedulers on distinct hosts with row-level locking, 4 soak (no task try run twice, no stale
running scheduler), 5 the old 1.10 scheduler gone.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from upgrade.rollout.db_url import DatabaseUrl

# The alembic head `airflow initdb` leaves on 1.10.15.
AIRFLOW_1_10_15_HEAD = "03afc6b6f902"
PASS, BLOCKED = "pass", "blocked"
OK, FAIL, SKIPPED = "ok", "blocked", "skipped"

STAGE_NAMES = {
    0: "preflight: DB engine, config migrated, DAG repo clean",
    1: "metadata DB migrated to the Airflow 2.x schema",
    2: "one Airflow 2.x scheduler healthy",
    3: "two healthy schedulers on distinct hosts with row-level locking",
    4: "soak: no task try run twice, no stale running scheduler",
    5: "old 1.10 scheduler gone",
}


@dataclass
class Check:
    name: str
    status: str  # ok | blocked | skipped
    evidence: str
    rows: list = field(default_factory=list)


@dataclass
class StageResult:
    stage: int
    name: str
    checks: list[Check]

    @property
    def verdict(self) -> str:
        return BLOCKED if any(c.status == FAIL for c in self.checks) else PASS

    def as_dict(self) -> dict:
        return {
            "stage": self.stage,
            "name": self.name,
            "verdict": self.verdict,
            "checks": [asdict(c) for c in self.checks],
        }


@dataclass
class RolloutContext:
    url: DatabaseUrl
    db: object | None  # MetadataDb for PostgreSQL, None otherwise
    health_threshold_s: float = 30.0
    config: Path | None = None
    dags: Path | None = None
    # The DAG repo is in bridge form (`fix --bridge`): the old 1.10 scheduler still parses it.
    bridge: bool = False
    airflow_python: str | None = None
    expected_head: str | None = None
    old_hosts: tuple[str, ...] = ()
    soak_minutes: float = 24 * 60
    mysql_version: str | None = None  # filled by the caller when the URL is MySQL/MariaDB
    cache: dict = field(default_factory=dict)


def _ok(name, evidence, rows=()):
    return Check(name, OK, evidence, list(rows))


def _blocked(name, evidence, rows=()):
    return Check(name, FAIL, evidence, list(rows))


def _skipped(name, evidence):
    return Check(name, SKIPPED, evidence)


# -- stage 0 ------------------------------------------------------------------------------------


def database_engine_check(ctx: RolloutContext) -> Check:
    name = "database engine supports scheduler HA (row locks with SKIP LOCKED / NOWAIT)"
    engine = ctx.url.engine
    if engine == "sqlite":
        return _blocked(
            name,
            "SQLite: no row-level locks; Airflow 2 runs only one scheduler on it. "
            "Move the metadata DB to PostgreSQL >= 9.6 or MySQL >= 8.0",
        )
    if engine in ("mysql", "mariadb"):
        version = ctx.mysql_version or ""
        if "mariadb" in version.lower() or engine == "mariadb":
            return _blocked(
                name,
                f"MariaDB {version}: not supported by Airflow 2 for multiple schedulers "
                "(no SKIP LOCKED before 10.6 and untested by Airflow); use PostgreSQL or MySQL >= 8.0",
            )
        major = _leading_int(version)
        if major < 8:
            return _blocked(
                name,
                f"MySQL {version}: SKIP LOCKED and NOWAIT arrived in MySQL 8.0; "
                "upgrade MySQL to >= 8.0 before running two schedulers",
            )
        return _ok(name, f"MySQL {version}")
    number = int(ctx.db.value("SHOW server_version_num"))
    version = ctx.db.value("SHOW server_version")
    if number < 90600:
        return _blocked(name, f"PostgreSQL {version}: Airflow 2 needs >= 9.6")
    return _ok(name, f"PostgreSQL {version} (server_version_num {number}); SKIP LOCKED since 9.5")


def _leading_int(text: str) -> int:
    digits = ""
    for char in text:
        if not char.isdigit():
            break
        digits += char
    return int(digits) if digits else 0


def config_migrated_check(ctx: RolloutContext) -> Check:
    name = "airflow.cfg migrated for Airflow 2"
    if ctx.config is None:
        return _skipped(name, "not checked: pass --config PATH/airflow.cfg")
    result = _run_tool(["config", str(ctx.config), "--target", "2"])
    if result.returncode == 0:
        return _ok(name, f"{ctx.config}: nothing left to migrate")
    if result.returncode == 1:
        changes = [line for line in result.stdout.splitlines() if line.startswith(str(ctx.config))]
        return _blocked(
            name,
            f"{ctx.config}: {len(changes)} option(s) still to migrate; run "
            f"`airflow-upgrade config {ctx.config} --in-place`",
            changes[:10],
        )
    return _blocked(name, f"{ctx.config}: " + (result.stderr.strip().splitlines() or ["config failed"])[-1])


def dag_repo_check(ctx: RolloutContext) -> Check:
    if ctx.bridge:
        return bridge_form_check(ctx)
    name = "DAG repo passes `airflow-upgrade check --target 2`"
    if ctx.dags is None:
        return _skipped(name, "not checked: pass --dags PATH")
    result = _run_tool(["check", "--target", "2", str(ctx.dags)])
    # the summary line (`Found ...`), not the "Next:" hint that follows it
    summaries = [line for line in result.stdout.splitlines() if line.startswith("Found ")]
    tail = summaries[-1] if summaries else (result.stdout.strip().splitlines() or [""])[-1]
    if result.returncode == 0:
        return _ok(name, f"{ctx.dags}: clean")
    if result.returncode == 1:
        return _blocked(name, f"{ctx.dags}: findings remain ({tail}); run `airflow-upgrade fix`")
    reason = (result.stderr.strip().splitlines() or [tail or f"exit {result.returncode}"])[-1]
    return _blocked(name, f"{ctx.dags}: check could not run: {reason}")


def bridge_form_check(ctx: RolloutContext) -> Check:
    """During the rollout the repo must load on 1.10.15 and 2.x at once: nothing is left for
    `fix --target 2 --bridge` to rewrite. Its other findings wait for the bridge to close."""
    name = "DAG repo is in bridge form (`airflow-upgrade fix --target 2 --bridge` changes nothing)"
    if ctx.dags is None:
        return _skipped(name, "not checked: pass --dags PATH")
    result = _run_tool(["fix", "--diff", "--no-cache", "--target", "2", "--bridge", str(ctx.dags)])
    if result.returncode not in (0, 1):
        reason = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        return _blocked(name, f"{ctx.dags}: fix could not run: {reason}")
    rewritten = [line[len("+++ b/") :] for line in result.stdout.splitlines() if line.startswith("+++ ")]
    if rewritten:
        return _blocked(
            name,
            f"{ctx.dags}: {len(rewritten)} file(s) still to rewrite; run "
            f"`airflow-upgrade fix --target 2 --bridge {ctx.dags}`",
            rewritten[:10],
        )
    return _ok(
        name,
        f"{ctx.dags}: in bridge form; the remaining findings wait for `fix --target 2 --close-bridge` after stage 5",
    )


def _run_tool(arguments: list[str]) -> subprocess.CompletedProcess:
    # Judge the file and the repo only: AIRFLOW__* variables of the shell running the rollout
    # (often the DB URL) are not the scheduler's and would count as overrides to rename.
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW__")}
    return subprocess.run(
        [sys.executable, "-m", "upgrade", *arguments],
        capture_output=True,
        text=True,
        timeout=600,
        env={**environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def stage0(ctx: RolloutContext) -> StageResult:
    return StageResult(
        0, STAGE_NAMES[0], [database_engine_check(ctx), config_migrated_check(ctx), dag_repo_check(ctx)]
    )


# -- stage 1 ------------------------------------------------------------------------------------


def expected_head(ctx: RolloutContext) -> str | None:
    """The alembic head of the Airflow 2.x install (--expected-head or asked from --airflow-python)."""
    if ctx.expected_head:
        return ctx.expected_head
    if not ctx.airflow_python:
        return None
    if "head" not in ctx.cache:
        ctx.cache["head"] = ",".join(sorted(alembic_heads(installed_migrations_dir(ctx.airflow_python))))
    return ctx.cache["head"]


def installed_migrations_dir(python: str) -> Path:
    # find_spec on a top-level package does not execute it: no Airflow import (2.x's takes ~10 s).
    snippet = (
        "import importlib.util; print(importlib.util.find_spec('airflow').submodule_search_locations[0])"
    )
    try:
        result = subprocess.run([python, "-c", snippet], capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        raise RuntimeError(
            f"--airflow-python {python}: cannot run it ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    if result.returncode != 0:
        raise RuntimeError(f"{python} has no Airflow: " + (result.stderr.strip().splitlines() or ["?"])[-1])
    return Path(result.stdout.strip()) / "migrations" / "versions"


_REVISION = re.compile(r"^(?P<name>revision|down_revision)\s*(?::\s*[^=]+)?=\s*(?P<value>.+)$", re.M)


def alembic_heads(versions_dir: Path) -> set[str]:
    """The alembic heads of a migrations/versions dir: revisions no other revision builds on.

    Read from the scripts' `revision = ...` / `down_revision = ...` lines, as alembic's
    ScriptDirectory does, without importing them (they import Airflow).
    """
    revisions, parents = set(), set()
    for script in sorted(versions_dir.glob("*.py")):
        found = {
            m.group("name"): m.group("value") for m in _REVISION.finditer(script.read_text(encoding="utf-8"))
        }
        if "revision" not in found:
            continue
        revisions.add(ast.literal_eval(found["revision"].strip()))
        down = ast.literal_eval(found.get("down_revision", "None").strip())
        parents.update(down if isinstance(down, (tuple, list)) else [down] if down else [])
    if not revisions:
        raise RuntimeError(f"no alembic migration scripts in {versions_dir}")
    return revisions - parents


def stage1(ctx: RolloutContext) -> StageResult:
    name = "alembic_version is the Airflow 2.x head"
    if not ctx.db.has_table("alembic_version"):
        return StageResult(
            1, STAGE_NAMES[1], [_blocked(name, "no alembic_version table: not an Airflow metadata DB")]
        )
    revisions = [row["version_num"] for row in ctx.db.rows("SELECT version_num FROM alembic_version")]
    if revisions == [AIRFLOW_1_10_15_HEAD]:
        check = _blocked(
            name,
            f"alembic_version = {AIRFLOW_1_10_15_HEAD}, the Airflow 1.10.15 head: "
            "run `airflow db upgrade` with the 2.x install",
        )
        return StageResult(1, STAGE_NAMES[1], [check])
    if len(revisions) != 1:
        return StageResult(
            1, STAGE_NAMES[1], [_blocked(name, f"alembic_version has {len(revisions)} rows: {revisions}")]
        )
    head = expected_head(ctx)
    if head is None:
        check = _skipped(
            name,
            f"alembic_version = {revisions[0]} (not the 1.10.15 head); pass --airflow-python "
            "or --expected-head to compare with the 2.x install",
        )
    elif revisions[0] in head.split(","):
        check = _ok(name, f"alembic_version = {revisions[0]} = head of the installed Airflow")
    else:
        check = _blocked(
            name,
            f"alembic_version = {revisions[0]}, installed Airflow's head is {head}: "
            "run `airflow db upgrade` (or `airflow db migrate` on >= 2.7)",
        )
    return StageResult(1, STAGE_NAMES[1], [check])


# -- stages 2-5: schedulers ---------------------------------------------------------------------


def _scheduler_rows(ctx: RolloutContext) -> list[dict]:
    if "schedulers" not in ctx.cache:
        ctx.cache["schedulers"] = ctx.db.scheduler_jobs()
    return ctx.cache["schedulers"]


def _evidence_row(row: dict) -> dict:
    return {
        "id": row["id"],
        "hostname": row["hostname"],
        "latest_heartbeat": row["latest_heartbeat"].isoformat() if row["latest_heartbeat"] else None,
        "heartbeat_age_s": round(row["heartbeat_age_s"], 1) if row["heartbeat_age_s"] is not None else None,
    }


def healthy_new_schedulers(ctx: RolloutContext) -> tuple[list[dict], list[dict]]:
    """(healthy, stale) running SchedulerJobs that are not on an --old-host."""
    healthy, stale = [], []
    for row in _scheduler_rows(ctx):
        if row["hostname"] in ctx.old_hosts:
            continue
        age = row["heartbeat_age_s"]
        (healthy if age is not None and age < ctx.health_threshold_s else stale).append(row)
    return healthy, stale


def stage2(ctx: RolloutContext) -> StageResult:
    healthy, stale = healthy_new_schedulers(ctx)
    name = f"a running SchedulerJob heartbeating within {ctx.health_threshold_s:g}s"
    rows = [_evidence_row(r) for r in healthy + stale]
    if healthy:
        check = _ok(
            name,
            f"{len(healthy)} healthy: "
            + ", ".join(f"{r['hostname']} ({r['heartbeat_age_s']:.1f}s ago)" for r in healthy),
            rows,
        )
    else:
        check = _blocked(
            name,
            "no healthy scheduler" + (f"; {len(stale)} running with a stale heartbeat" if stale else ""),
            rows,
        )
    return StageResult(2, STAGE_NAMES[2], [check])


def row_level_locking_check(ctx: RolloutContext) -> Check:
    name = "[scheduler] use_row_level_locking = True"
    env_value = os.environ.get("AIRFLOW__SCHEDULER__USE_ROW_LEVEL_LOCKING")
    source, value = None, None
    if env_value is not None:
        source, value = "AIRFLOW__SCHEDULER__USE_ROW_LEVEL_LOCKING", env_value
    elif ctx.config is not None:
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        try:
            parser.read(ctx.config, encoding="utf-8")
        except configparser.Error as exc:
            return _blocked(name, f"{ctx.config}: cannot read: {str(exc).splitlines()[0]}")
        if parser.has_option("scheduler", "use_row_level_locking"):
            source, value = str(ctx.config), parser.get("scheduler", "use_row_level_locking")
    if value is None:
        return _ok(
            name,
            "not set: Airflow 2 defaults to True"
            + ("" if ctx.config else " (pass --config to check the file)"),
        )
    if value.strip().lower() in {"true", "t", "1"}:
        return _ok(name, f"{source}: {value}")
    return _blocked(name, f"{source}: {value}: with it off, two schedulers can schedule the same task twice")


def stage3(ctx: RolloutContext) -> StageResult:
    healthy, stale = healthy_new_schedulers(ctx)
    hosts = sorted({r["hostname"] for r in healthy})
    name = "two or more healthy schedulers on distinct hosts"
    rows = [_evidence_row(r) for r in healthy + stale]
    if len(hosts) >= 2:
        check = _ok(name, f"{len(healthy)} healthy on {len(hosts)} hosts: {', '.join(hosts)}", rows)
    elif len(healthy) >= 2:
        check = _blocked(
            name,
            f"{len(healthy)} healthy schedulers but all on {hosts[0]}: "
            "give each its own host/hostname_callable",
            rows,
        )
    else:
        check = _blocked(
            name, f"{len(healthy)} healthy scheduler(s)" + (f", {len(stale)} stale" if stale else ""), rows
        )
    checks = [check, row_level_locking_check(ctx)]
    if stale:
        checks.append(_stale_check(stale, ctx))
    return StageResult(3, STAGE_NAMES[3], checks)


def _stale_check(stale: list[dict], ctx: RolloutContext) -> Check:
    name = "no running scheduler with a stale heartbeat"
    if not stale:
        return _ok(name, f"every running SchedulerJob heartbeat is newer than {ctx.health_threshold_s:g}s")
    return _blocked(
        name,
        f"{len(stale)} SchedulerJob(s) marked running but silent for more than {ctx.health_threshold_s:g}s "
        "(frozen or killed without cleanup): "
        + ", ".join(f"{r['hostname']} (id {r['id']}, {r['heartbeat_age_s']:.0f}s)" for r in stale),
        [_evidence_row(r) for r in stale],
    )


def duplicate_runs_check(ctx: RolloutContext) -> Check:
    name = f"no task try started or finished twice (log table, last {ctx.soak_minutes:g} min)"
    if not ctx.db.has_table("log"):
        return _blocked(name, "no log table")
    columns = ctx.db.columns("log")
    # 2.2 added log.run_id, 2.3 map_index, 2.6 try_number; older schemas key on execution_date,
    # where a cleared-and-rerun task also shows up twice (reported, with that caveat).
    key = ["dag_id", "task_id", "run_id" if "run_id" in columns else "execution_date"]
    key += [c for c in ("map_index", "try_number") if c in columns]
    key_sql = ", ".join(key)
    sql = (
        f"SELECT {key_sql},"
        " count(*) FILTER (WHERE event = 'running') AS starts,"
        " count(*) FILTER (WHERE event IN ('success', 'failed')) AS finishes,"
        " string_agg(event, ',' ORDER BY dttm) AS events, min(dttm) AS first_at, max(dttm) AS last_at"
        " FROM log WHERE event IN ('running', 'success', 'failed') AND task_id IS NOT NULL"
        " AND dttm > now() - %s * interval '1 minute'"
        f" GROUP BY {key_sql}"
        " HAVING count(*) FILTER (WHERE event = 'running') > 1"
        " OR count(*) FILTER (WHERE event IN ('success', 'failed')) > 1"
        " ORDER BY max(dttm) DESC LIMIT 50"
    )
    duplicates = ctx.db.rows(sql, (ctx.soak_minutes,))
    scanned = ctx.db.value(
        "SELECT count(*) FROM log WHERE event IN ('running', 'success', 'failed') AND dttm > now() - %s * interval '1 minute'",
        (ctx.soak_minutes,),
    )
    caveat = (
        "" if "try_number" in columns else " (no log.try_number before 2.6: a cleared task rerun also counts)"
    )
    rows = [
        {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()} for row in duplicates
    ]
    if duplicates:
        first = duplicates[0]
        return _blocked(
            name,
            f"{len(duplicates)} task tr{'y' if len(duplicates) == 1 else 'ies'} ran twice{caveat}, e.g. "
            f"{first['dag_id']}.{first['task_id']} {first[key[2]]}: events {first['events']}",
            rows,
        )
    return _ok(name, f"{scanned} start/finish rows grouped by ({key_sql}): none twice{caveat}")


def stage4(ctx: RolloutContext) -> StageResult:
    _, stale = healthy_new_schedulers(ctx)
    return StageResult(4, STAGE_NAMES[4], [duplicate_runs_check(ctx), _stale_check(stale, ctx)])


def stage5(ctx: RolloutContext) -> StageResult:
    name = "no SchedulerJob on an old (1.10) host still heartbeating"
    if not ctx.old_hosts:
        return StageResult(
            5, STAGE_NAMES[5], [_skipped(name, "not checked: pass --old-host HOSTNAME (repeatable)")]
        )
    old = [r for r in _scheduler_rows(ctx) if r["hostname"] in ctx.old_hosts]
    alive = [
        r for r in old if r["heartbeat_age_s"] is not None and r["heartbeat_age_s"] < ctx.health_threshold_s
    ]
    rows = [_evidence_row(r) for r in old]
    if alive:
        check = _blocked(
            name,
            "still heartbeating: "
            + ", ".join(f"{r['hostname']} ({r['heartbeat_age_s']:.1f}s ago)" for r in alive),
            rows,
        )
    elif old:
        check = _ok(
            name,
            f"{len(old)} old SchedulerJob row(s) still say running but stopped heartbeating "
            f"over {ctx.health_threshold_s:g}s ago; Airflow 2 marks them failed",
            rows,
        )
    else:
        check = _ok(name, f"no running SchedulerJob on {', '.join(ctx.old_hosts)}")
    return StageResult(5, STAGE_NAMES[5], [check])


STAGES = {0: stage0, 1: stage1, 2: stage2, 3: stage3, 4: stage4, 5: stage5}
