"""Print stage results as text for people or JSON for pipelines."""

from __future__ import annotations

import json

from upgrade.rollout.stages import PASS, StageResult

_MARK = {"ok": "ok     ", "blocked": "BLOCKED", "skipped": "skipped"}


def as_text(results: list[StageResult], redacted_url: str) -> str:
    lines = [f"metadata DB: {redacted_url}"]
    for result in results:
        lines.append(f"stage {result.stage} ({result.name}): {result.verdict.upper()}")
        for check in result.checks:
            lines.append(f"  [{_MARK[check.status]}] {check.name}: {check.evidence}")
            for row in check.rows[:10]:
                lines.append(f"      {row}")
    reached = reached_stage(results)
    if len(results) > 1:
        lines.append(f"rollout: stages 0-{reached} pass" if reached >= 0 else "rollout: stage 0 blocked")
    return "\n".join(lines)


def as_json(results: list[StageResult], redacted_url: str) -> str:
    return json.dumps(
        {
            "db": redacted_url,
            "stages": [r.as_dict() for r in results],
            "verdict": PASS if all(r.verdict == PASS for r in results) else "blocked",
            "reached_stage": reached_stage(results),
        },
        indent=2,
        default=str,
    )


def reached_stage(results: list[StageResult]) -> int:
    """The last stage N such that stages 0..N all pass (-1 if stage 0 is blocked)."""
    reached = -1
    for result in sorted(results, key=lambda r: r.stage):
        if result.stage != reached + 1 or result.verdict != PASS:
            break
        reached = result.stage
    return reached
