#!/usr/bin/env python3
"""Generate codemods/_generated/providers/ from provider *releases* (wheels), read with `ast`.

    python scripts/gen_provider_history.py            # download what is missing, (re)write the data
    python scripts/gen_provider_history.py --offline  # only the wheels already in .cache/wheels
    python scripts/gen_provider_history.py --check    # exit 1 if the committed data drifted (offline)

For every provider distribution a 1.10 module maps to (codemods/_generated/tables.py PROVIDER_PACKAGES) and
the ones DAG repositories commonly use (EXTRA_DISTRIBUTIONS), a sample of releases is read:
the first release, the first and last release of every major version, the newest release, the
newest release whose Airflow requirement allows each target (2.0.2, 2.11.2, 3.3.2), and every
version pinned in constraints/*.txt. Besides names and signatures: the provider modules each module
imports at module level from outside its release, each release's provider requirements, and the
providers each target's apache-airflow wheel installs with it. Wheels are fetched with
`pip download --no-deps apache-airflow-providers-X==V -d .cache/wheels` (once; cached), release
lists and Airflow requirements from the PyPI JSON API (cached in .cache/provider-index/).
Nothing is imported: scripts/provider_reader.py parses each wheel's files. Output format and
accessors: codemods/_providers.py.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _generator import write_or_check
from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version

sys.path.insert(0, str(Path(__file__).resolve().parent))
import provider_reader  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "codemods" / "_generated" / "providers"
CACHE = REPO / ".cache"
WHEELS = CACHE / "wheels"
INDEX_CACHE = CACHE / "provider-index"
READ_CACHE = CACHE / "provider-reads"
READER_VERSION = "8"  # bump when provider_reader's output changes (invalidates READ_CACHE)

# target key (codemods._targets.table_key) -> the Airflow version a provider release must allow
TARGET_AIRFLOW = {"2.0": "2.0.2", "2": "2.11.2", "3": "3.3.2"}

# Providers DAG repositories commonly use that no 1.10 module maps to.
EXTRA_DISTRIBUTIONS = (
    "apache-airflow-providers-apache-beam",
    "apache-airflow-providers-apache-livy",
    "apache-airflow-providers-common-compat",
    "apache-airflow-providers-common-io",
    "apache-airflow-providers-common-sql",
    "apache-airflow-providers-dbt-cloud",
    "apache-airflow-providers-odbc",
    "apache-airflow-providers-papermill",
    "apache-airflow-providers-standard",
    "apache-airflow-providers-telegram",
    "apache-airflow-providers-trino",
)


def distributions() -> list[str]:
    sys.path.insert(0, str(REPO))
    from codemods._generated.tables import PROVIDER_PACKAGES

    return sorted(set(PROVIDER_PACKAGES.values()) | set(EXTRA_DISTRIBUTIONS))


def short_name(dist: str) -> str:
    return dist.removeprefix("apache-airflow-providers-")


# --------------------------------------------------------------------------------------------
# The registry (cached)
# --------------------------------------------------------------------------------------------


def _json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return json.load(response)
    except Exception as error:  # noqa: BLE001 - a missing project is reported, not fatal
        print(f"  {url}: {error}", file=sys.stderr)
        return None


def released_versions(dist: str, offline: bool) -> list[Version]:
    """Final releases with a wheel that is not yanked, oldest first (PyPI JSON API, cached)."""
    cache = INDEX_CACHE / f"{dist}.versions.json"
    if not cache.exists():
        data = None if offline else _json(f"https://pypi.org/pypi/{dist}/json")
        if data is None:
            return sorted({Version(v) for v in _cached_wheel_versions(dist)})
        texts = []
        for text, files in data.get("releases", {}).items():
            try:
                version = Version(text)
            except InvalidVersion:
                continue
            wheels = [f for f in files if f.get("packagetype") == "bdist_wheel" and not f.get("yanked")]
            if wheels and not version.is_prerelease and not version.is_devrelease:
                texts.append(text)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(sorted(texts, key=Version)))
    return sorted(Version(v) for v in json.loads(cache.read_text()))


def requires_dist(dist: str, version: Version, offline: bool) -> list[str]:
    """The release's Requires-Dist, from its wheel's METADATA (downloaded once)."""
    wheel = wheel_path(dist, version) if offline else download(dist, version)
    if wheel is None or not wheel.exists():
        return []
    return _metadata_requires(provider_reader.wheel_metadata(str(wheel)))


def _metadata_requires(metadata: str) -> list[str]:
    return [
        line.partition(":")[2].strip() for line in metadata.splitlines() if line.startswith("Requires-Dist:")
    ]


def airflow_requirement(requires: list[str]) -> str:
    for line in requires:
        try:
            req = Requirement(line)
        except Exception:  # noqa: BLE001
            continue
        if req.name.lower() == "apache-airflow" and not req.marker:
            return str(req.specifier)
    return ""


def provider_requirements(requires: list[str]) -> dict[str, list[str]]:
    """The provider distributions a release requires: "deps" always (pip installs them with it),
    "extras" only through an extra (`apache-airflow-providers-google[apache-beam]`)."""
    out: dict[str, set[str]] = {"deps": set(), "extras": set()}
    for line in requires:
        try:
            req = Requirement(line)
        except Exception:  # noqa: BLE001
            continue
        name = re.sub(r"[-_.]+", "-", req.name.lower())
        if name.startswith("apache-airflow-providers-"):
            out["extras" if req.marker and "extra" in str(req.marker) else "deps"].add(name)
    return {key: sorted(value) for key, value in out.items()}


def airflow_installs(airflow: str, offline: bool) -> list[str]:
    """The provider distributions `pip install apache-airflow==<airflow>` installs with it (its
    unconditional requirements, through the `apache-airflow-core==` / `-task-sdk==` pins of 3.x)."""
    out: set[str] = set()
    todo, seen = [("apache-airflow", airflow)], set()
    while todo:
        dist, version = todo.pop()
        if (dist, version) in seen:
            continue
        seen.add((dist, version))
        wheel = wheel_path(dist, Version(version)) if offline else download(dist, Version(version))
        if wheel is None or not wheel.exists():
            continue
        for line in _metadata_requires(provider_reader.wheel_metadata(str(wheel))):
            try:
                req = Requirement(line)
            except Exception:  # noqa: BLE001
                continue
            name = re.sub(r"[-_.]+", "-", req.name.lower())
            if req.marker:
                continue
            if name.startswith("apache-airflow-providers-"):
                out.add(name)
            elif name.startswith("apache-airflow-"):
                pins = [spec.version for spec in req.specifier if spec.operator == "=="]
                if pins:
                    todo.append((name, pins[0]))
    return sorted(out)


def allows(requirement: str, airflow: str) -> bool:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(requirement).contains(airflow, prereleases=True)


def newest_allowing(dist: str, versions: list[Version], airflow: str, offline: bool) -> Version | None:
    """Newest release whose `apache-airflow` requirement allows `airflow` (requirements only rise
    with releases, so a binary search over the releases finds it)."""

    def ok(version: Version) -> bool:
        return allows(airflow_requirement(requires_dist(dist, version, offline)), airflow)

    if not versions:
        return None
    if ok(versions[-1]):
        return versions[-1]
    lo, hi = 0, len(versions) - 1  # invariant: versions[hi] does not allow it
    if not ok(versions[0]):
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if ok(versions[mid]):
            lo = mid
        else:
            hi = mid
    return versions[lo]


def constraint_pins(dist: str) -> set[Version]:
    out = set()
    pattern = re.compile(rf"^{re.escape(dist)}==([\w.]+)\s*$", re.M | re.I)
    for path in sorted((REPO / "constraints").glob("*.txt")):
        out.update(Version(v) for v in pattern.findall(path.read_text()))
    return out


def sample(dist: str, versions: list[Version], targets: dict[str, Version | None]) -> list[Version]:
    chosen = set()
    if versions:
        chosen.add(versions[0])
        chosen.add(versions[-1])
    majors: dict[int, list[Version]] = {}
    for version in versions:
        majors.setdefault(version.major, []).append(version)
    for group in majors.values():
        chosen.update((group[0], group[-1]))
    chosen.update(v for v in targets.values() if v is not None)
    chosen.update(v for v in constraint_pins(dist) if v in versions)
    return sorted(chosen)


# --------------------------------------------------------------------------------------------
# Wheels
# --------------------------------------------------------------------------------------------


def wheel_path(dist: str, version: Version) -> Path:
    return WHEELS / f"{dist.replace('-', '_')}-{version}-py3-none-any.whl"


def _cached_wheel_versions(dist: str) -> list[str]:
    prefix = dist.replace("-", "_") + "-"
    return [p.name[len(prefix) :].split("-")[0] for p in WHEELS.glob(prefix + "*.whl")]


def download(dist: str, version: Version) -> Path | None:
    path = wheel_path(dist, version)
    if path.exists():
        return path
    WHEELS.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            shutil.which("pip3") or shutil.which("pip") or "pip",
            "download",
            "-q",
            "--no-deps",
            f"{dist}=={version}",
            "-d",
            str(WHEELS),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not path.exists():
        print(f"  pip download {dist}=={version} failed: {result.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    return path


def read_wheel(path: Path) -> dict:
    cache = READ_CACHE / f"{path.name}.v{READER_VERSION}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    names = provider_reader.read_release(provider_reader.wheel_files(str(path)))
    requires = _metadata_requires(provider_reader.wheel_metadata(str(path)))
    result = {"names": names, "airflow": airflow_requirement(requires), **provider_requirements(requires)}
    READ_CACHE.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(result, sort_keys=True))
    return result


# --------------------------------------------------------------------------------------------
# Composing the history
# --------------------------------------------------------------------------------------------


def runs(states: list[dict | None]) -> list[list]:
    """[state per release] -> [[first, last, state], ...] for the releases holding the name."""
    out: list[list] = []
    for index, state in enumerate(states):
        if state is None:
            continue
        if out and out[-1][1] == index - 1 and out[-1][2] == state:
            out[-1][1] = index
        else:
            out.append([index, index, state])
    return out


def history(reads: list[dict]) -> dict[str, list[list]]:
    every = sorted({name for read in reads for name in read["names"]})
    return {name: runs([read["names"].get(name) for read in reads]) for name in every}


def dump_provider(dist: str, releases: list[str], names: dict[str, list[list]]) -> str:
    lines = ["{", f'"dist": {json.dumps(dist)},', f'"releases": {json.dumps(releases)},', '"names": {']
    items = [
        f"{json.dumps(name)}: {json.dumps(value, sort_keys=True, separators=(',', ':'))}"
        for name, value in names.items()
    ]
    lines.append(",\n".join(items))
    lines += ["}", "}", ""]
    return "\n".join(lines)


def dump_index(index: dict) -> str:
    lines = ["{"]
    items = []
    for key, value in index.items():
        if isinstance(value, dict):
            inner = ",\n".join(
                f"  {json.dumps(k)}: {json.dumps(v, sort_keys=True, separators=(',', ':'))}"
                for k, v in value.items()
            )
            items.append(f"{json.dumps(key)}: {{\n{inner}\n}}")
        else:
            items.append(f"{json.dumps(key)}: {json.dumps(value)}")
    lines.append(",\n".join(items))
    lines += ["}", ""]
    return "\n".join(lines)


def generate(offline: bool, only: set[str] | None = None) -> dict[str, str]:
    """{file name: text} of the whole data set."""
    files: dict[str, str] = {}
    providers: dict[str, dict] = {}
    prefixes: dict[str, str] = {}
    counts = {"releases": 0, "names": 0, "signatures": 0, "imports": 0}

    def plan(dist: str) -> tuple:
        versions = released_versions(dist, offline)
        targets = {
            key: newest_allowing(dist, versions, airflow, offline) for key, airflow in TARGET_AIRFLOW.items()
        }
        chosen = sample(dist, versions, targets)
        paths = {v: (wheel_path(dist, v) if offline else download(dist, v)) for v in chosen}
        return dist, versions, targets, chosen, paths

    with ThreadPoolExecutor(4) as pool:
        jobs = list(pool.map(plan, [d for d in distributions() if not only or d in only]))
    for dist, versions, targets, chosen, paths in jobs:
        read_versions, reads = [], []
        for version in chosen:
            path = paths[version]
            if path is None or not Path(path).exists():
                continue
            read_versions.append(str(version))
            reads.append(read_wheel(Path(path)))
        if not reads:
            print(f"  {dist}: no release could be read", file=sys.stderr)
            continue
        names = history(reads)
        files[f"{short_name(dist)}.json"] = dump_provider(dist, read_versions, names)
        providers[dist] = {
            "releases": read_versions,
            "airflow": [read["airflow"] for read in reads],
            "default": {
                key: str(v) if v is not None and str(v) in read_versions else None
                for key, v in targets.items()
            },
            "all_releases": len(versions),
            "deps": [read["deps"] for read in reads],
            "extras": [read["extras"] for read in reads],
        }
        for name, value in names.items():
            if value[0][2]["k"] == "module" and name.count(".") == 2 + len(short_name(dist).split("-")):
                prefixes.setdefault(name, dist)
        counts["releases"] += len(read_versions)
        counts["names"] += sum(1 for v in names.values() if v[0][2]["k"] != "module")
        counts["signatures"] += sum(1 for v in names.values() for run in v if "p" in run[2])
        counts["imports"] += sum(1 for v in names.values() for run in v if "x" in run[2])
    header = (
        "GENERATED by scripts/gen_provider_history.py from provider wheels (pip download --no-deps), "
        "read with ast; regenerate: python scripts/gen_provider_history.py. Per distribution, the releases "
        "read: the first, each major version's first and last, the newest, the newest allowing Airflow "
        + ", ".join(TARGET_AIRFLOW.values())
        + " and the versions pinned in constraints/*.txt. "
        + f"{len(providers)} distributions, {counts['releases']} releases, {counts['names']} names, "
        + f"{counts['signatures']} signature states, "
        + f'{counts["imports"]} module states importing another provider\'s modules at module level ("x"), '
        + 'each release\'s provider requirements ("deps", "extras").'
    )
    files["_index.json"] = dump_index(
        {
            "_header": header,
            "targets": TARGET_AIRFLOW,
            "airflow_installs": {
                key: airflow_installs(airflow, offline) for key, airflow in TARGET_AIRFLOW.items()
            },
            "prefixes": dict(sorted(prefixes.items())),
            "providers": providers,
        }
    )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offline", action="store_true", help="use only cached wheels and registry answers")
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed data differs (offline)")
    args = parser.parse_args(argv)
    files = generate(offline=args.offline or args.check)
    outputs = {OUT_DIR / name: text for name, text in files.items()}
    stale = tuple(path for path in sorted(OUT_DIR.glob("*.json")) if path not in outputs)
    status = write_or_check(outputs, check=args.check, script="gen_provider_history.py", stale=stale)
    if not args.check:
        print(json.loads(files["_index.json"])["_header"])
    return status


if __name__ == "__main__":
    sys.exit(main())
