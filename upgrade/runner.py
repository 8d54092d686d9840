"""Run the selected rules over many files: read, cache lookup, parallel processing, writes."""

from __future__ import annotations

import difflib
import multiprocessing
import os
import sys
from dataclasses import dataclass, field
from typing import Callable, Optional

from codemods._base import Diagnostic, Rule
from codemods._context import RunOptions
from upgrade.cache import ResultCache, cache_key, content_hash
from upgrade.discovery import discover
from upgrade.engine import FileResult, process_source
from upgrade.files import WriteError, atomic_write, read_bytes
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


@dataclass
class FileOutcome:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: Optional[str] = None
    changed: bool = False
    diff: str = ""


@dataclass
class RunSummary:
    outcomes: list[FileOutcome]
    files_seen: int
    files_parsed: int = 0
    cache_hits: int = 0

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
    old_text = old.decode("utf-8", "replace").splitlines(keepends=True)
    new_text = new.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old_text, new_text, fromfile=f"a/{path}", tofile=f"b/{path}"))


def _process_one(path: str, data: bytes, config: RunConfig, prefilter: tuple[bytes, ...]) -> tuple[FileOutcome, bool]:
    result: FileResult = process_source(path, data, config.rules, config.options, prefilter)
    outcome = FileOutcome(path=path, diagnostics=result.diagnostics, error=result.error)
    if result.new_source is not None and not result.error:
        if config.mode == DIFF:
            outcome.diff = _unified_diff(path, data, result.new_source)
            outcome.changed = True
        else:
            try:
                atomic_write(path, result.new_source)
                outcome.changed = True
            except (WriteError, OSError) as exc:
                outcome.error = str(exc) if isinstance(exc, WriteError) else f"cannot write: {exc}"
                outcome.diagnostics = [_unapplied(d) for d in outcome.diagnostics]
    return outcome, result.parsed


def _unapplied(diagnostic: Diagnostic) -> Diagnostic:
    return Diagnostic(**{**diagnostic.to_dict(), "applied": False})


def _worker(batch: list[tuple[str, bytes]], config: RunConfig, prefilter: tuple[bytes, ...]):
    return [_process_one(path, data, config, prefilter) for path, data in batch]


def _needs_processing(entry: dict, config: RunConfig) -> bool:
    """With a cached check result, does this run still have to parse the file?"""
    if config.mode == CHECK:
        return False
    fixable = {"safe", "unsafe"} if config.options.unsafe_fixes else {"safe"}
    return any(d["fix"] in fixable for d in entry["diagnostics"])


def run(config: RunConfig, progress: Optional[Callable[[int, int], None]] = None) -> RunSummary:
    found = discover(config.paths, config.exclude)
    outcomes: dict[str, FileOutcome] = {}
    for path, reason in found.errors:
        outcomes[path] = FileOutcome(path=path, error=reason)

    cache = None
    if config.cache_dir:
        key = cache_key(
            config.options.target,
            [rule.code for rule in config.rules],
            {"include_templates": config.options.include_templates},
        )
        cache = ResultCache(config.cache_dir, key)
    prefilter = prefilter_tokens(config.rules)

    pending: list[tuple[str, bytes]] = []
    digests: dict[str, str] = {}
    summary = RunSummary(outcomes=[], files_seen=len(found.files))
    for path in found.files:
        try:
            data = read_bytes(path)
        except OSError as exc:
            outcomes[path] = FileOutcome(path=path, error=f"cannot read: {exc.strerror or exc}")
            continue
        digest = content_hash(data)
        digests[path] = digest
        entry = cache.get(digest) if cache else None
        if entry is not None and not _needs_processing(entry, config):
            summary.cache_hits += 1
            outcomes[path] = FileOutcome(
                path=path,
                diagnostics=[Diagnostic.from_dict({**d, "path": path}) for d in entry["diagnostics"]],
                error=entry["error"],
            )
            continue
        pending.append((path, data))

    done = 0
    total = len(pending)
    for outcome, parsed in _process_all(pending, config, prefilter):
        outcomes[outcome.path] = outcome
        summary.files_parsed += parsed
        done += 1
        if progress:
            progress(done, total)
        if cache is not None and not outcome.error:
            cache.put(
                digests[outcome.path],
                {
                    "diagnostics": [
                        {k: v for k, v in _unapplied(d).to_dict().items() if k != "path"}
                        for d in outcome.diagnostics
                    ],
                    "error": None,
                },
            )
        elif cache is not None and outcome.error and not outcome.changed and config.mode == CHECK:
            cache.put(digests[outcome.path], {"diagnostics": [], "error": outcome.error})
    if cache is not None:
        cache.save()

    order = {path: index for index, path in enumerate(config.paths)}
    summary.outcomes = sorted(outcomes.values(), key=lambda o: (order.get(o.path, len(order)), o.path))
    return summary


def _process_all(pending: list[tuple[str, bytes]], config: RunConfig, prefilter: tuple[bytes, ...]):
    jobs = config.jobs or os.cpu_count() or 1
    if jobs <= 1 or len(pending) < _PARALLEL_THRESHOLD:
        for path, data in pending:
            yield _process_one(path, data, config, prefilter)
        return
    # fork: workers inherit the imported rules, no re-import per worker (Linux; macOS falls
    # back to spawn, which is slower to start but correct).
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    context = multiprocessing.get_context(method)
    batches = [pending[i : i + _CHUNK] for i in range(0, len(pending), _CHUNK)]
    with context.Pool(processes=min(jobs, len(batches))) as pool:
        async_results = [pool.apply_async(_worker, (batch, config, prefilter)) for batch in batches]
        for async_result in async_results:
            yield from async_result.get()
