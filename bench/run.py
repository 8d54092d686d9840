"""Benchmark: `airflow-upgrade check` cold / warm and `fix` against ruff and upgrade_check.

    python bench/run.py [--files 10000] [--upgrade-check-files 200]

Builds bench/corpus/ from copies of the Airflow 1.10.15 example DAGs (taken from the tox env
.tox/af110, built by `bash scripts/test -e af110` or `tox run -e af110 --notest`). Every copy gets
a distinct first line, so that no two files share a content and the per-content cache cannot make
the cold run look faster than it is; `--exact-copies` builds byte-identical copies instead.
Prints seconds, files/s, peak RSS of the largest process, and ratios against ruff run side by side
(`ruff check --select AIR --preview`) and against `airflow upgrade_check` (Airflow 1.10.15's own
tool, run on a smaller slice because it loads every DAG; its figure is per file).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
TOX = Path(os.environ.get("AU_TOX_WORKDIR", REPO / ".tox"))
AF110_SITE = TOX / "af110" / "lib" / "python3.8" / "site-packages" / "airflow"


def example_sources() -> list[tuple[str, bytes]]:
    roots = [AF110_SITE / "example_dags", AF110_SITE / "contrib" / "example_dags"]
    missing = [r for r in roots if not r.is_dir()]
    if missing:
        sys.exit(
            f"bench: {missing[0]} not found; build the Airflow 1.10.15 env first: bash scripts/test -e af110"
        )
    sources = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            if path.name != "__init__.py":
                sources.append(
                    (f"{root.parent.name}_{path.relative_to(root)}".replace("/", "_"), path.read_bytes())
                )
    return sources


def build_corpus(target: Path, files: int, exact: bool) -> int:
    if target.exists():
        shutil.rmtree(target)
    sources = example_sources()
    for index in range(files):
        name, data = sources[index % len(sources)]
        directory = target / f"team_{index // 500:03d}"
        directory.mkdir(parents=True, exist_ok=True)
        if not exact:
            data = f"# corpus copy {index}\n".encode() + data
        (directory / f"{index:05d}_{name}").write_bytes(data)
    return files


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, int]:
    """(seconds, exit code, peak RSS in MB of the largest process it started)."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
        "print(time.perf_counter() - t, rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *cmd], cwd=cwd, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]), int(out[2])


def find_ruff() -> str:
    candidates = [shutil.which("ruff"), str(Path(sys.executable).parent / "ruff")]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return candidate
    sys.exit("bench: ruff not found (pip install ruff); it is the baseline")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--upgrade-check-files", type=int, default=200)
    parser.add_argument("--exact-copies", action="store_true")
    parser.add_argument("-j", "--jobs", type=int, default=0)
    args = parser.parse_args()

    corpus = BENCH / "corpus" / "dags"
    n = build_corpus(corpus, args.files, args.exact_copies)
    cache_dir = BENCH / "corpus" / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    tool = [sys.executable, "-m", "upgrade"]
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    rows = []

    rows.append(
        ("airflow-upgrade check (cold)",)
        + measure([*tool, "check", "--cache-dir", str(cache_dir), *jobs, "-q", str(corpus)], REPO)
    )
    rows.append(
        ("airflow-upgrade check (warm cache)",)
        + measure([*tool, "check", "--cache-dir", str(cache_dir), *jobs, "-q", str(corpus)], REPO)
    )
    ruff = find_ruff()
    rows.append(
        ("ruff check --select AIR --preview",)
        + measure(
            [ruff, "check", "--select", "AIR", "--preview", "--no-cache", "--exit-zero", str(corpus)], REPO
        )
    )
    rows.append(
        ("airflow-upgrade fix (cold)",)
        + measure([*tool, "fix", "--no-cache", *jobs, "-q", str(corpus)], REPO)
    )

    upgrade_check = None
    airflow_bin = TOX / "af110" / "bin" / "airflow"
    if airflow_bin.exists() and args.upgrade_check_files:
        slice_dir = BENCH / "corpus" / "upgrade_check_dags"
        build_corpus(slice_dir, args.upgrade_check_files, args.exact_copies)
        home = BENCH / "corpus" / "airflow_home"
        shutil.rmtree(home, ignore_errors=True)
        env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(slice_dir),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        }
        subprocess.run([str(airflow_bin), "initdb"], env=env, capture_output=True, check=True)
        seconds, rc, rss = measure([str(airflow_bin), "upgrade_check"], REPO, env)
        upgrade_check = (seconds, rc, rss)
        own_slice = measure([*tool, "check", "--no-cache", *jobs, "-q", str(slice_dir)], REPO)

    ruff_seconds = rows[2][1]
    print(
        f"corpus: {n} files ({'exact copies' if args.exact_copies else 'distinct copies'}) "
        f"of the Airflow 1.10.15 example DAGs; {os.cpu_count()} CPUs\n"
    )
    print("| run | seconds | files/s | peak RSS MB | vs ruff |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, seconds, _rc, rss in rows:
        print(f"| {name} | {seconds:.2f} | {n / seconds:,.0f} | {rss} | {seconds / ruff_seconds:.2f}x |")
    if upgrade_check:
        per_file_uc = upgrade_check[0] / args.upgrade_check_files
        per_file_own = own_slice[0] / args.upgrade_check_files
        print(
            f"| airflow upgrade_check ({args.upgrade_check_files} files) | {upgrade_check[0]:.2f} | "
            f"{args.upgrade_check_files / upgrade_check[0]:,.0f} | {upgrade_check[2]} | |"
        )
        print(
            f"| airflow-upgrade check cold, same {args.upgrade_check_files} files | {own_slice[0]:.2f} | "
            f"{args.upgrade_check_files / own_slice[0]:,.0f} | {own_slice[2]} | |"
        )
        print(
            f"\ncold check per file: {per_file_own * 1000:.1f} ms vs upgrade_check {per_file_uc * 1000:.1f} ms "
            f"-> {per_file_uc / per_file_own:.1f}x faster"
        )
    else:
        print("\nairflow upgrade_check: not run (no .tox/af110 env)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
