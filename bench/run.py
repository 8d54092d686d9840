"""Benchmark: `airflow-upgrade check` cold / warm and `fix`, per target, against ruff and the parse floor.

    python bench/run.py                                   # Airflow 1.10.15 example DAGs, 10,000 files
    python bench/run.py --corpus ../shared/realdags/repos # any directory of DAG repos
    python bench/run.py --targets 2.0,3 --repeat 5 --files 2000

The corpus is built in bench/corpus/dags from the `.py` files of `--corpus` (every file under
it, in path order) or, by default, of the Airflow 1.10.15 example DAGs (taken from the tox env
.tox/af110, built by `bash scripts/test -e af110`). Files are copied round-robin until there
are `--files` of them; every copy gets a distinct first line, so that no two files share a
content and the per-content cache cannot make a cold run look faster than it is
(`--exact-copies` builds byte-identical copies instead).

Every figure is the best of `--repeat` runs (this machine's timings swing between runs; the
spread, worst/best, is printed too). Rows per target: cold check, warm check (cache filled by
the cold run), fix (on a fresh copy each run). Baselines in the same run:
- ruff `check --select AIR --preview` (its Airflow rules), and
- the parse floor: CPython's `ast.parse` of every file, reading included, with as many processes
  as the tool uses. Nothing that parses every file can beat it.
`airflow upgrade_check` (Airflow 1.10.15's own tool) runs on a smaller slice with `--upgrade-check-files`.
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
DEFAULT_TARGETS = "2.0,2.2,2,3"

# The floor: parse every file with CPython's ast, reading included, with N processes.
PARSE_FLOOR = """
import ast, os, sys
from concurrent.futures import ProcessPoolExecutor
def parse(paths):
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        try:
            ast.parse(data)
        except (SyntaxError, ValueError):
            pass
    return len(paths)
if __name__ == "__main__":
    jobs = int(sys.argv[1])
    paths = sorted(os.path.join(d, n) for d, _, ns in os.walk(sys.argv[2]) for n in ns if n.endswith(".py"))
    chunks = [paths[i::jobs] for i in range(jobs)]
    with ProcessPoolExecutor(jobs) as pool:
        print(sum(pool.map(parse, chunks)))
"""


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
                sources.append((f"{root.parent.name}/{path.relative_to(root)}", path.read_bytes()))
    return sources


def corpus_sources(root: Path) -> list[tuple[str, bytes]]:
    if not root.is_dir():
        sys.exit(f"bench: --corpus {root}: not a directory")
    sources = [
        (str(path.relative_to(root)), path.read_bytes())
        for path in sorted(root.rglob("*.py"))
        if path.is_file() and not path.is_symlink()
    ]
    if not sources:
        sys.exit(f"bench: --corpus {root}: no .py files")
    return sources


def build_corpus(target: Path, sources: list[tuple[str, bytes]], files: int, exact: bool) -> int:
    if target.exists():
        shutil.rmtree(target)
    for index in range(files):
        name, data = sources[index % len(sources)]
        directory = target / f"team_{index // 500:03d}"
        directory.mkdir(parents=True, exist_ok=True)
        if not exact:
            data = f"# corpus copy {index}\n".encode() + data
        (directory / f"{index:05d}_{name.replace('/', '_')}").write_bytes(data)
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


def best_of(runs: list[tuple[float, int, int]]) -> tuple[float, float, int]:
    """(best seconds, spread worst/best, peak RSS of all runs)."""
    seconds = [run[0] for run in runs]
    return min(seconds), max(seconds) / min(seconds), max(run[2] for run in runs)


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
    parser.add_argument("--corpus", type=Path, help="directory of DAG repos (default: 1.10.15 example DAGs)")
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument(
        "--targets", default=DEFAULT_TARGETS, help=f"comma separated (default {DEFAULT_TARGETS})"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best is shown")
    parser.add_argument("--upgrade-check-files", type=int, default=0)
    parser.add_argument("--exact-copies", action="store_true")
    parser.add_argument(
        "-j", "--jobs", type=int, default=0, help="processes (default: the tool's own default)"
    )
    args = parser.parse_args()
    repeat = max(1, args.repeat)

    sources = corpus_sources(args.corpus.resolve()) if args.corpus else example_sources()
    described = f"{args.corpus}" if args.corpus else "the Airflow 1.10.15 example DAGs"
    corpus = BENCH / "corpus" / "dags"
    scratch = BENCH / "corpus" / "fix"
    n = build_corpus(corpus, sources, args.files, args.exact_copies)
    cache_dir = BENCH / "corpus" / "cache"
    # The tool as installed: pip writes the modules' bytecode at install time. Without it (a
    # checkout run with PYTHONDONTWRITEBYTECODE=1) every run would compile the ~200 modules
    # again, about 0.4 s, half of a warm run.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            *(str(REPO / p) for p in ("upgrade", "codemods", "compat")),
        ],
        check=True,
    )
    tool = [sys.executable, "-m", "upgrade"]
    jobs = ["-j", str(args.jobs)] if args.jobs else []
    processes = args.jobs or os.cpu_count() or 1

    ruff = find_ruff()
    ruff_row = best_of(
        [
            measure(
                [ruff, "check", "--select", "AIR", "--preview", "--no-cache", "--exit-zero", str(corpus)],
                REPO,
            )
            for _ in range(repeat)
        ]
    )
    floor_row = best_of(
        [
            measure([sys.executable, "-c", PARSE_FLOOR, str(processes), str(corpus)], REPO)
            for _ in range(repeat)
        ]
    )
    rows = [
        ("ruff check --select AIR --preview", *ruff_row),
        (f"parse floor (ast.parse, {processes} processes)", *floor_row),
    ]
    for target in args.targets.split(","):
        flags = ["--target", target, *jobs, "-q"]
        cold, warm, fixed = [], [], []
        for _ in range(repeat):
            shutil.rmtree(cache_dir, ignore_errors=True)
            cold.append(measure([*tool, "check", "--cache-dir", str(cache_dir), *flags, str(corpus)], REPO))
            warm.append(measure([*tool, "check", "--cache-dir", str(cache_dir), *flags, str(corpus)], REPO))
            shutil.rmtree(scratch, ignore_errors=True)
            shutil.copytree(corpus, scratch)
            fixed.append(measure([*tool, "fix", "--no-cache", *flags, str(scratch)], REPO))
        rows.append((f"check --target {target} (cold)", *best_of(cold)))
        rows.append((f"check --target {target} (warm cache)", *best_of(warm)))
        rows.append((f"fix --target {target}", *best_of(fixed)))
    shutil.rmtree(scratch, ignore_errors=True)

    ruff_seconds, floor_seconds = ruff_row[0], floor_row[0]
    print(
        f"corpus: {n} files ({'exact copies' if args.exact_copies else 'distinct copies'}) of {len(sources)} "
        f"files of {described}; {os.cpu_count()} CPUs; best of {repeat} runs\n"
    )
    print("| run | seconds | spread | files/s | peak RSS MB | vs ruff | vs parse floor |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, spread, rss in rows:
        print(
            f"| {name} | {seconds:.2f} | {spread:.2f}x | {n / seconds:,.0f} | {rss} | "
            f"{seconds / ruff_seconds:.2f}x | {seconds / floor_seconds:.2f}x |"
        )

    airflow_bin = TOX / "af110" / "bin" / "airflow"
    if args.upgrade_check_files:
        if not airflow_bin.exists():
            sys.exit(f"bench: {airflow_bin} not found; build it with: bash scripts/test -e af110")
        slice_dir = BENCH / "corpus" / "upgrade_check_dags"
        build_corpus(slice_dir, sources, args.upgrade_check_files, args.exact_copies)
        home = BENCH / "corpus" / "airflow_home"
        shutil.rmtree(home, ignore_errors=True)
        env = {
            **os.environ,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(slice_dir),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        }
        subprocess.run([str(airflow_bin), "initdb"], env=env, capture_output=True, check=True)
        upgrade_check = measure([str(airflow_bin), "upgrade_check"], REPO, env)
        own = measure([*tool, "check", "--no-cache", *jobs, "-q", str(slice_dir)], REPO)
        per_file_uc = upgrade_check[0] / args.upgrade_check_files
        per_file_own = own[0] / args.upgrade_check_files
        print(
            f"\nairflow upgrade_check, {args.upgrade_check_files} files: {upgrade_check[0]:.2f} s; "
            f"airflow-upgrade check cold, same files: {own[0]:.2f} s "
            f"({per_file_own * 1000:.1f} ms vs {per_file_uc * 1000:.1f} ms a file, "
            f"{per_file_uc / per_file_own:.1f}x faster)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
