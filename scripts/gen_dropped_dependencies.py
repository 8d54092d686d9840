#!/usr/bin/env python3
"""Generate codemods/_generated/dropped_dependencies.json: the modules that installing Airflow
1.10.15 brought along (its own requirements, transitively) and installing Airflow 3.3.2 does not.

    python scripts/gen_dropped_dependencies.py            # (re)write the table
    python scripts/gen_dropped_dependencies.py --check    # exit 1 if the committed table drifted

A DAG file that imports `pytz` or `pandas` without listing them in the deployment's requirements
worked on 1.10 (pendulum 1.x required pytz; apache-airflow 1.10 required pandas) and fails to
load on a plain 3.x install. Read from the installed distributions' metadata in the af110 and af3
tox envs (each env's own interpreter; nothing of Airflow imported): the requirement closure of
`apache-airflow` without extras (markers evaluated in that env), each distribution's top-level
modules (top_level.txt, else its RECORD), and for each module left out on 3.3.2 the chain of
requirements that brought it on 1.10.15. pip, setuptools and wheel are left out: every virtualenv
has them whatever Airflow requires.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _generator import REPO, env_python, generator_main  # noqa: E402

OUTPUT = REPO / "codemods" / "_generated" / "dropped_dependencies.json"
ENVS = {"old": "af110", "new": "af3"}
BOOTSTRAP = frozenset({"pip", "setuptools", "wheel"})

# Runs in each env (Python 3.8+): apache-airflow's requirement closure and each dist's modules.
CLOSURE = r"""
import json, re
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement

def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()

dists = {}
for dist in metadata.distributions():
    dists.setdefault(norm(dist.metadata["Name"]), dist)
via = {"apache-airflow": []}
queue = ["apache-airflow"]
while queue:
    name = queue.pop(0)  # breadth first: the shortest chain to each dist
    for text in dists[name].requires or []:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        child = norm(req.name)
        if child in dists and child not in via:
            via[child] = via[name] + [name]
            queue.append(child)

def modules(dist):
    top = (dist.read_text("top_level.txt") or "").split()
    if top:
        return sorted(set(top))
    found = set()
    for f in dist.files or []:
        head = f.parts[0] if f.parts else ""
        if head in ("", "..") or head.endswith((".dist-info", ".data", ".egg-info", ".pth")):
            continue
        if len(f.parts) > 1 or head.endswith(".py"):
            found.add(head[:-3] if head.endswith(".py") else head)
    return sorted(found)

print(json.dumps({
    name: {"version": dists[name].version, "via": chain, "modules": modules(dists[name])}
    for name, chain in via.items()
}))
"""


def closure(tox_dir: Path | None, env: str) -> dict:
    result = subprocess.run(
        [str(env_python(env, tox_dir)), "-c", CLOSURE], capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit(f"reading {env} failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def build(tox_dir: Path | None) -> dict:
    old, new = closure(tox_dir, ENVS["old"]), closure(tox_dir, ENVS["new"])
    kept = {module for info in new.values() for module in info["modules"]}
    modules = {}
    for dist, info in sorted(old.items()):
        if dist in BOOTSTRAP or dist == "apache-airflow":
            continue
        for module in info["modules"]:
            if module in kept or module.startswith("_") or not module.isidentifier():
                continue
            modules[module] = {"dist": dist, "version": info["version"], "via": info["via"]}
    return {
        "format": "module -> dist: the distribution installing it; version: its release in the old env; "
        "via: the requirement chain from apache-airflow that brought it",
        "generated_by": "scripts/gen_dropped_dependencies.py (do not edit; rerun it)",
        "read": [
            f"apache-airflow {old['apache-airflow']['version']} ({ENVS['old']} tox env)",
            f"apache-airflow {new['apache-airflow']['version']} ({ENVS['new']} tox env)",
        ],
        "old": old["apache-airflow"]["version"],
        "new": new["apache-airflow"]["version"],
        "modules": modules,
    }


def main(argv: Optional[list[str]] = None) -> int:
    return generator_main(__doc__, OUTPUT, lambda tox: json.dumps(build(tox), indent=1, sort_keys=True) + "\n", "gen_dropped_dependencies.py", argv)


if __name__ == "__main__":
    sys.exit(main())
