"""Run the selected rules over many files: read, cache lookup, parallel processing, writes."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Optional

from codemods._base import Diagnostic, Rule
from codemods._context import RunOptions
from codemods._hashing import content_hash
from upgrade.cache import ResultCache, cache_key
from upgrade.diffs import unified_diff
from upgrade.discovery import discover, glob_matcher, is_excluded
from upgrade.engine import FileResult, process_source
from upgrade.errors import debugging, internal_error
from upgrade.files import WriteError, atomic_write, read_bytes
from upgrade.fixed_positions import moved_to_fixed
from upgrade.registry import prefilter_tokens

CHECK, FIX, DIFF = "check", "fix", "diff"
# Below this many files to parse, worker start-up costs more than it saves.
_PARALLEL_THRESHOLD = 16
_CHUNK = 24


@dataclass
class RunConfig:
    paths: list[str]
    rules: list[type[Rule]]
    options: RunOptions
    mode: str = CHECK
    jobs: int = 0  # 0 = one per CPU
    cache_dir: Optional[str] = None  # None = no cache
    exclude: tuple[str, ...] = ()
    root: Optional[str] = None  # exclude / per-file-ignores globs are relative to it (default: cwd)
    force_exclude: bool = True  # files named on the command line are excluded too
    respect_gitignore: bool = True
    # (glob, codes or code prefixes): rules that do not run on the files the glob matches
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass
class FileOutcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: Optional[str] = None
    changed: bool = False
    diff: str = ""
    dependencies: dict = field(default_factory=dict)  # see FileResult.dependencies


@dataclass
class RunSummary:
    outcomes: list[FileOutcome]
    files_seen: int
    files_parsed: int = 0
    cache_hits: int = 0
    skipped_directories: list[str] = field(default_factory=list)  # see Discovery.skipped

    @property
    def errors(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for o in self.outcomes for d in o.diagnostics]

    @property
    def changed_files(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.changed]


def _unified_diff(path: str, old: bytes, new: bytes) -> str:
    return unified_diff(path, old.decode("utf-8", "replace"), new.decode("utf-8", "replace"))


def _file_rules(config: RunConfig, ignored: tuple[str, ...]) -> list[type[Rule]]:
    if not ignored:
        return config.rules
    return [rule for rule in config.rules if not rule.code.startswith(ignored)]


def _processed(
    path: str, data: bytes, rules: list[type[Rule]], options: RunOptions, prefilter: tuple[bytes, ...]
) -> FileResult:
    """process_source inside the per-file error boundary: one file's failure is its own."""
    try:
        return process_source(path, data, rules, options, prefilter)
    except Exception as exc:
        if debugging():
            raise
        if not (isinstance(exc, RecursionError) and options.fix):
            return FileResult(path=path, error=internal_error(exc))
    # LibCST's visitors recurse per level of nesting: an expression CPython still parses
    # (`"a" + "b" + ...` of some hundreds of terms) can be too deep to rewrite; the ast checks
    # are not, so the file keeps its findings, none of them applied
    result = _processed(path, data, rules, replace(options, fix=False), prefilter)
    if not result.error:
        result.error = (
            "nested too deeply to rewrite: left unchanged (its findings are listed, fix them by hand)"
        )
    return result


def _process_content(
    paths: list[str],
    data: bytes,
    config: RunConfig,
    prefilter: tuple[bytes, ...],
    ignored: tuple[str, ...] = (),
) -> tuple[list[FileOutcome], bool]:
    """Process one content once, for every path that holds it (generated DAG repos repeat files)."""
    rules = _file_rules(config, ignored)
    result = _processed(paths[0], data, rules, config.options, prefilter)
    if result.dependencies and len(paths) > 1:
        # The result depends on files found relative to the DAG file (templates): each path
        # holding this content is its own case.
        outcomes, parsed = _process_content(paths[:1], data, config, prefilter, ignored)
        for path in paths[1:]:
            more, more_parsed = _process_content([path], data, config, prefilter, ignored)
            outcomes += more
            parsed = parsed or more_parsed
        return outcomes, parsed
    outcomes = []
    for path in paths:
        diagnostics = (
            result.diagnostics
            if path == paths[0]
            else [_moved(d, path) if d.path == paths[0] else d for d in result.diagnostics]
        )
        outcome = FileOutcome(
            path=path, diagnostics=diagnostics, error=result.error, dependencies=result.dependencies
        )
        if result.new_source is not None and not result.error:
            if config.mode == DIFF:
                outcome.diff = _unified_diff(path, data, result.new_source)
                outcome.changed = True
            else:
                problem = _write(path, result.new_source, data, tuple(config.paths))
                if problem:
                    outcome.error = problem
                    outcome.diagnostics = [_unapplied(d) for d in outcome.diagnostics]
                else:
                    outcome.changed = True
                    outcome.diagnostics = moved_to_fixed(outcome.diagnostics, path, data, result.new_source)
        extra_outcomes = []
        if getattr(result, "extra_files", None) and not outcome.error and path == paths[0]:
            extra_outcomes = _write_extra_files(result, config, outcome)
        outcomes.append(outcome)
        outcomes.extend(extra_outcomes)
    return outcomes, result.parsed


@lru_cache(maxsize=8)
def _roots(paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(os.path.realpath(path) for path in paths)


def _outside(path: str, paths: tuple[str, ...]) -> Optional[str]:
    """Where `path` really is, if that is outside every path the user gave: a symlink to a
    file elsewhere, an absolute template path. Only what the user named is rewritten."""
    real = os.path.realpath(path)
    for root in _roots(paths):
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return None
    return real


def _write(path: str, new: bytes, old: bytes, paths: tuple[str, ...]) -> Optional[str]:
    """Write `new` over the file that held `old` when it was read; why not, or None."""
    elsewhere = _outside(path, paths)
    if elsewhere is not None:
        return f"resolves to {elsewhere}, outside the paths given: not rewritten (name it or its folder to fix it)"
    try:
        atomic_write(path, new, expected=old)
    except WriteError as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot write: {exc.strerror or exc}"
    return None


def _write_extra_files(result: FileResult, config: RunConfig, outcome: FileOutcome) -> list[FileOutcome]:
    """Template files a rule rewrote (--include-templates): diffed, or each written through
    the one write path. A template that cannot be written is reported under its own name."""
    failed = []
    for extra in result.extra_files:
        if config.mode == DIFF:
            outcome.diff += _unified_diff(extra.path, extra.old, extra.new)
            outcome.changed = True
            continue
        # the template's diagnostics name it the way the DAG file's path was given
        shown = extra.path if os.path.isabs(outcome.path) else os.path.relpath(extra.path)
        problem = _write(extra.path, extra.new, extra.old, tuple(config.paths))
        if problem:
            failed.append(FileOutcome(path=shown, error=problem))
            outcome.diagnostics = [_unapplied(d) if d.path == shown else d for d in outcome.diagnostics]
        else:
            outcome.changed = True
            # what is left in the template, where a check of the written template finds it
            outcome.diagnostics = moved_to_fixed(outcome.diagnostics, shown, extra.old, extra.new)
    return failed


# dataclasses.replace, not a round trip through to_dict: asdict copies every field recursively,
# for each finding of a file that could not be written (read-only files: all of them).
def _moved(diagnostic: Diagnostic, path: str) -> Diagnostic:
    return replace(diagnostic, path=path)


def _unapplied(diagnostic: Diagnostic) -> Diagnostic:
    return replace(diagnostic, applied=False)


# every path with this content (and the same per-file ignores), the content, the ignored codes
Work = tuple[list[str], bytes, tuple[str, ...]]


def _worker(batch: list[Work], config: RunConfig, prefilter: tuple[bytes, ...]):
    return [_process_content(paths, data, config, prefilter, ignored) for paths, data, ignored in batch]


def _per_file_ignores(config: RunConfig):
    """path -> the codes (prefixes) ignored there, from every matching per-file-ignores glob."""
    matchers = [
        (glob_matcher((glob,), config.root or os.getcwd()), codes) for glob, codes in config.per_file_ignores
    ]

    def ignored(path: str) -> tuple[str, ...]:
        return tuple(sorted({code for matches, codes in matchers if matches(path) for code in codes}))

    return ignored


def _still_valid(entry: dict, path: str) -> bool:
    """A cached result computed from other files too (templates) holds only for the same DAG
    path and while those files are as they were."""
    dependencies = entry.get("dependencies")
    if not dependencies:
        return True
    if entry.get("path") != os.path.abspath(path):
        return False
    for dependency, digest in dependencies.items():
        try:
            current = content_hash(read_bytes(dependency))
        except OSError:
            current = None
        if current != digest:
            return False
    return True


def _needs_processing(entry: dict, config: RunConfig) -> bool:
    """With a cached check result, does this run still have to parse the file?"""
    if config.mode == CHECK:
        return False
    fixable = {"safe", "unsafe"} if config.options.unsafe_fixes else {"safe"}
    return any(d["fix"] in fixable for d in entry["diagnostics"])


def run(config: RunConfig, progress: Optional[Callable[[int, int], None]] = None) -> RunSummary:
    found = discover(
        config.paths,
        config.exclude,
        root=config.root,
        force_exclude=config.force_exclude,
        respect_gitignore=config.respect_gitignore,
    )
    ignored_codes = _per_file_ignores(config)
    outcomes: dict[str, FileOutcome] = {}
    for path, reason in found.errors:
        outcomes[path] = FileOutcome(path=path, error=reason)

    cache = None
    if config.cache_dir:
        key = cache_key(
            config.options.target,
            [rule.code for rule in config.rules],
            {
                "include_templates": config.options.include_templates,
                "blanket_noqa": config.options.blanket_noqa,
                "bridge": config.options.bridge,
                "close_bridge": config.options.close_bridge,
                "compat_package": config.options.compat_package,
                "catchup_by_default": config.options.catchup_by_default,
                "catchup_source": config.options.catchup_source,
                "provider_pins": config.options.provider_pins,
                "dag_wrappers": config.options.dag_wrappers,
            },
        )
        cache = ResultCache(config.cache_dir, key)
    prefilter = prefilter_tokens(config.rules)

    pending: dict[str, Work] = {}  # digest -> work
    digests: dict[str, str] = {}
    summary = RunSummary(outcomes=[], files_seen=len(found.files), skipped_directories=sorted(found.skipped))
    now = time.time()
    for path in found.files:
        ignored = ignored_codes(path)
        # The cache is keyed by content and by the rules run on it (per-file ignores differ).
        suffix = "-" + ",".join(ignored) if ignored else ""
        entry = data = stat = None
        if cache is not None:
            absolute = os.path.abspath(path)
            try:
                stat = os.stat(path)  # before reading: a later change shows in the next stat
            except OSError:
                stat = None
            known = cache.digest_by_stat(absolute, stat) if stat is not None else None
            if known is not None:
                entry = cache.get(known + suffix)
                if entry is not None and (not _still_valid(entry, path) or _needs_processing(entry, config)):
                    entry = None  # the file is read after all
        if entry is None:
            try:
                data = read_bytes(path)
            except OSError as exc:
                outcomes[path] = FileOutcome(path=path, error=f"cannot read: {exc.strerror or exc}")
                continue
            content = content_hash(data)
            if cache is not None and stat is not None:
                cache.remember_stat(absolute, stat, content, now)
            entry = cache.get(content + suffix) if cache else None
            if entry is not None and not _still_valid(entry, path):
                entry = None
            digest = content + suffix
        else:
            digest = known + suffix  # type: ignore[operator]
        digests[path] = digest
        if entry is not None and not _needs_processing(entry, config):
            summary.cache_hits += 1
            outcomes[path] = FileOutcome(
                path=path,
                # an entry keeps the path of a diagnostic in another file (a template)
                diagnostics=[Diagnostic.from_dict({"path": path, **d}) for d in entry["diagnostics"]],
                error=entry["error"],
            )
            continue
        if digest in pending:
            pending[digest][0].append(path)
        else:
            pending[digest] = ([path], data, ignored)

    done = 0
    total = sum(len(work[0]) for work in pending.values())
    for group, parsed in _process_all(list(pending.values()), config, prefilter):
        summary.files_parsed += parsed
        for outcome in group:
            outcomes[outcome.path] = outcome
            done += 1
            if progress:
                progress(done, total)
        outcome = group[0]
        # A written file's findings stand at positions in the new content (upgrade/fixed_positions.py),
        # so they are no entry for the content read.
        if cache is not None and not outcome.error and not (outcome.changed and config.mode == FIX):
            entry = {
                "diagnostics": [
                    {k: v for k, v in _unapplied(d).to_dict().items() if k != "path" or v != outcome.path}
                    for d in outcome.diagnostics
                ],
                "error": None,
            }
            if outcome.dependencies:
                entry.update(path=os.path.abspath(outcome.path), dependencies=outcome.dependencies)
            cache.put(digests[outcome.path], entry)
        elif cache is not None and outcome.error and not outcome.changed and config.mode == CHECK:
            cache.put(digests[outcome.path], {"diagnostics": [], "error": outcome.error})
    if cache is not None:
        cache.save()

    order = {path: index for index, path in enumerate(config.paths)}
    summary.outcomes = sorted(outcomes.values(), key=lambda o: (order.get(o.path, len(order)), o.path))
    return summary


def _process_all(pending: list[Work], config: RunConfig, prefilter: tuple[bytes, ...]):
    jobs = config.jobs or os.cpu_count() or 1
    if jobs <= 1 or len(pending) < _PARALLEL_THRESHOLD:
        for paths, data, ignored in pending:
            yield _process_content(paths, data, config, prefilter, ignored)
        return
    # fork: workers inherit the imported rules, no re-import per worker (Linux; macOS falls
    # back to spawn, which is slower to start but correct).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    import multiprocessing  # here: a cached or small run starts no workers

    context = multiprocessing.get_context(method)
    batches = [pending[i : i + _CHUNK] for i in range(0, len(pending), _CHUNK)]
    with context.Pool(processes=min(jobs, len(batches))) as pool:
        async_results = [pool.apply_async(_worker, (batch, config, prefilter)) for batch in batches]
        for async_result in async_results:
            yield from async_result.get()


def run_source(config: RunConfig, path: str, data: bytes) -> tuple[RunSummary, bytes]:
    """One source read from stdin, shown as `path` (--stdin-filename): its summary and the
    source as `fix` leaves it (unchanged outside fix mode, or when the path is excluded)."""
    summary = RunSummary(outcomes=[], files_seen=1)
    if (
        path != "-"
        and config.force_exclude
        and is_excluded(path, config.exclude, root=config.root, respect_gitignore=config.respect_gitignore)
    ):
        return RunSummary(outcomes=[], files_seen=0), data  # excluded: passed through
    rules = _file_rules(config, _per_file_ignores(config)(path) if path != "-" else ())
    result = _processed(path, data, rules, config.options, prefilter_tokens(rules))
    outcome = FileOutcome(path=path, diagnostics=result.diagnostics, error=result.error)
    new = result.new_source if result.new_source is not None and not result.error else data
    if new != data:
        outcome.changed = True
        if config.mode == DIFF:
            outcome.diff = _unified_diff(path, data, new)
        elif config.mode == FIX:  # the fixed source goes to stdout: findings point into it
            outcome.diagnostics = moved_to_fixed(outcome.diagnostics, path, data, new)
    summary.outcomes.append(outcome)
    summary.files_parsed = int(result.parsed)
    return summary, new if config.mode == FIX else data
