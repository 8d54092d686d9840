"""`airflow-upgrade rollout status|check --stage N --db URL`: scheduler-HA rollout gates.

`check --stage N` runs one stage: exit 0 pass, 3 blocked. `status` runs every stage and exits 0
(it only reports; it also says how far the rollout has got). Exit 2: bad URL, cannot connect,
or a stage that needs an option that was not given. The DB is only read, never written, and the
URL's password is never printed.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from upgrade.rollout import db_url, mysql_probe, report
from upgrade.rollout.metadata_db import CannotConnect, MetadataDb
from upgrade.rollout.stages import PASS, STAGE_NAMES, STAGES, RolloutContext, StageResult, _blocked

OK, UNUSABLE, BLOCKED = 0, 2, 3


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["status", "check"], help="status: every stage; check: one stage")
    parser.add_argument("--stage", type=int, choices=sorted(STAGES), help="the stage to check (with `check`)")
    parser.add_argument(
        "--db",
        help="metadata DB URL (default: $AIRFLOW__DATABASE__SQL_ALCHEMY_CONN or $AIRFLOW__CORE__SQL_ALCHEMY_CONN)",
    )
    parser.add_argument("--config", type=Path, help="the scheduler's airflow.cfg (stage 0 and 3)")
    parser.add_argument("--dags", type=Path, help="the DAG repository (stage 0)")
    parser.add_argument(
        "--bridge",
        action="store_true",
        help="the DAG repository is in bridge form (fix --bridge): stage 0 checks that instead",
    )
    parser.add_argument(
        "--airflow-python", help="python of the Airflow 2.x install, to read its alembic head (stage 1)"
    )
    parser.add_argument("--expected-head", help="the alembic revision the DB must be at (stage 1)")
    parser.add_argument(
        "--old-host", action="append", default=[], help="hostname of a 1.10 scheduler (stage 5; repeatable)"
    )
    parser.add_argument(
        "--health-threshold",
        type=_positive,
        default=30.0,
        help="seconds without heartbeat before a scheduler is stale (Airflow's scheduler_health_check_threshold, 30)",
    )
    parser.add_argument(
        "--soak-minutes", type=_positive, default=24 * 60, help="log window for stage 4 (default 1440)"
    )
    parser.add_argument("--output-format", choices=["text", "json"], default="text")


def _positive(text: str) -> float:
    """A finite number above 0 (`inf` would reach the SQL interval, `nan` every comparison)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text!r}")
    return value


def _usage(message: str) -> int:
    print(f"airflow-upgrade rollout: {message}", file=sys.stderr)
    return UNUSABLE


def run(args: argparse.Namespace) -> int:
    if args.action == "check" and args.stage is None:
        return _usage("`check` needs --stage N (0-5)")
    if args.action == "check" and args.stage == 5 and not args.old_host:
        return _usage("stage 5 needs --old-host HOSTNAME (the 1.10 scheduler's hostname)")
    raw = (
        args.db
        or os.environ.get("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN")
        or os.environ.get("AIRFLOW__CORE__SQL_ALCHEMY_CONN")
    )
    if not raw:
        return _usage("no metadata DB: pass --db URL")
    try:
        url = db_url.parse(raw)
    except db_url.BadUrl as exc:
        return _usage(f"bad --db URL: {exc}")
    ctx = RolloutContext(
        url=url,
        db=None,
        health_threshold_s=args.health_threshold,
        config=args.config,
        dags=args.dags,
        bridge=args.bridge,
        airflow_python=args.airflow_python,
        expected_head=args.expected_head,
        old_hosts=tuple(args.old_host),
        soak_minutes=args.soak_minutes,
    )
    try:
        _connect(ctx)
    except (CannotConnect, OSError) as exc:
        return _usage(f"cannot connect to {url.redacted}: {url.scrub(str(exc))}")
    stages = sorted(STAGES) if args.action == "status" else [args.stage]
    try:
        results = [_run_stage(ctx, stage) for stage in stages]
    except RuntimeError as exc:
        return _usage(url.scrub(str(exc)))
    finally:
        if ctx.db is not None:
            ctx.db.close()
    printer = report.as_json if args.output_format == "json" else report.as_text
    print(url.scrub(printer(results, url.redacted)))
    if args.action == "status":
        return OK
    return OK if results[0].verdict == PASS else BLOCKED


def _connect(ctx: RolloutContext) -> None:
    if ctx.url.engine == "postgresql":
        ctx.db = MetadataDb(ctx.url)
    elif ctx.url.engine in ("mysql", "mariadb"):
        ctx.mysql_version = mysql_probe.server_version(ctx.url.host, ctx.url.port or 3306)


def _run_stage(ctx: RolloutContext, stage: int) -> StageResult:
    if stage > 0 and ctx.db is None:
        # Stages 1-5 read Airflow's tables; only PostgreSQL is read (SQLite/MySQL < 8 are
        # blocked at stage 0 anyway).
        why = (
            "SQLite cannot host two schedulers"
            if ctx.url.engine == "sqlite"
            else (f"reading a {ctx.url.engine} metadata DB is not supported yet (PostgreSQL only)")
        )
        return StageResult(stage, STAGE_NAMES[stage], [_blocked("database engine", why)])
    if stage == 5 and not ctx.old_hosts:
        return STAGES[5](ctx)  # reported as skipped
    return STAGES[stage](ctx)
