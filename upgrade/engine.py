"""Process one file's bytes: prefilter, parse once, one walk with every rule, verify output."""

from __future__ import annotations

import ast
import bisect
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Optional

from codemods._ast_nodes import nodes_of, of_type, walk
from codemods._base import Diagnostic, Rule
from codemods._bridge import bridge_imports
from codemods._compat_calls import add_helper_imports, drop_unused_helper_imports
from codemods._context import FileContext, ImportTracker, RunOptions
from codemods._generated import tables as _tables
from codemods._import_spans import place_aliases
from codemods._targets import table_key
from upgrade.noqa import noqa_lines, suppresses

if TYPE_CHECKING:
    import libcst as cst


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    new_source: Optional[bytes] = None  # set when the fix changed the file
    error: Optional[str] = None  # why the file could not be processed
    parsed: bool = False
    # Other files a rule rewrote (template files with --include-templates): objects with
    # .path, .old and .new bytes; the runner writes them atomically (or diffs them).
    extra_files: list = field(default_factory=list)
    # Other files the result was computed from (FileContext.dependencies): path -> hash or None.
    dependencies: dict = field(default_factory=dict)


def decode_problem(data: bytes) -> Optional[str]:
    """Why these bytes are not a Python source file we can rewrite, or None."""
    if b"\x00" in data:
        return "binary file (contains NUL bytes), not Python source"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        head = data.split(b"\n", 2)[:2]
        if any(b"coding" in line and line.lstrip().startswith(b"#") for line in head):
            return None  # PEP 263 declaration: LibCST honours it
        return f"not valid UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r}) and no coding declaration"
    return None


def _libcst_error_message(exc: cst.ParserSyntaxError, line_offset: int) -> str:
    first_line = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
    return (
        f"syntax error at {exc.raw_line + line_offset}:{exc.raw_column + 1}: {first_line} "
        "(LibCST cannot parse this syntax)"
    )


@dataclass(frozen=True)
class Chunk:
    """Lines `start:end` (0-based) that LibCST parses on their own, less `indent`."""

    start: int
    end: int
    indent: bytes = b""  # removed from every line before parsing, put back after
    # A compound statement's header alone (`with DAG(...) as dag:`): parsed with this line
    # as its body (`pass` at the body's indentation), which is dropped again after the walk.
    stand_in_body: bytes = b""


# Compound statements whose body may be cut into its statements when no rewrite lands in the
# header (the lines before the body): `with DAG(...) as dag:` and `for` loops that build tasks.
_ENTERABLE = (
    ast.With,
    ast.AsyncWith,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
)


def _statement_groups(body: list[ast.stmt]) -> list[tuple[int, int, list[ast.stmt]]]:
    groups: list[list] = []
    for node in body:
        start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
        end = node.end_lineno or node.lineno
        if groups and start < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2].append(node)
        else:
            groups.append([start, end, [node]])
    return [(start, end, nodes) for start, end, nodes in groups]


def _any_within(marked: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(marked, start)
    return index < len(marked) and marked[index] < end


def plan_chunks(
    body: list[ast.stmt],
    lines: list[bytes],
    marked: list[int],
    whole: frozenset[int] = frozenset(),
    indent: bytes = b"",
) -> list[Chunk]:
    """The statements to parse: those holding a marked line (0-based, sorted: where a rewrite
    lands), cut inside blocks where possible, unless a rewrite replaces the block as a whole
    (its id is in `whole`)."""
    chunks: list[Chunk] = []
    for start, end, nodes in _statement_groups(body):
        if not _any_within(marked, start, end):
            continue
        inner = (
            None if any(id(node) in whole for node in nodes) else _enter(nodes, lines, marked, whole, indent)
        )
        chunks.extend(inner if inner is not None else [Chunk(start, end, indent)])
    return _merge_adjacent(chunks)


def _merge_adjacent(chunks: list[Chunk]) -> list[Chunk]:
    # Consecutive statements of one block (an import section) parse as one chunk: one LibCST
    # parse and one position pass instead of one per line.
    merged: list[Chunk] = []
    for chunk in chunks:
        last = merged[-1] if merged else None
        if (
            last
            and last.end == chunk.start
            and last.indent == chunk.indent
            and not (last.stand_in_body or chunk.stand_in_body)
        ):
            merged[-1] = Chunk(last.start, chunk.end, last.indent)
        else:
            merged.append(chunk)
    return merged


def _enter(nodes, lines, marked, whole, indent) -> Optional[list[Chunk]]:
    """Chunks for the body of a lone compound statement, or None to parse it whole."""
    if len(nodes) != 1 or not isinstance(nodes[0], _ENTERABLE) or getattr(nodes[0], "orelse", None):
        return None
    node = nodes[0]
    first = node.body[0]
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    body_start = first.lineno - 1
    if body_start <= node.lineno - 1:
        return None  # `with x: a = 1` on one line
    line = lines[body_start]
    body_indent = line[: len(line) - len(line.lstrip(b" \t"))]
    if not body_indent.startswith(indent) or body_indent == indent:
        return None
    chunks = plan_chunks(node.body, lines, marked, whole, body_indent)
    if _any_within(marked, start, body_start):
        # A rewrite lands in the header (`with DAG(schedule_interval=...)`): it goes alone, the
        # body's statements as chunks of their own.
        stand_in = body_indent[len(indent) :] + b"pass\n"
        chunks.insert(0, Chunk(start, body_start, indent, stand_in))
    for chunk in chunks:
        if not _dedentable(lines[chunk.start : chunk.end], chunk.indent):
            return None  # e.g. a multi-line string whose lines are not indented
    return chunks


def walk_rules(tree: ast.Module, rules: list[Rule], ctx: FileContext) -> None:
    """One walk of the CPython ast for every rule: each rule's `check` for the node types it
    registered, then its `finish`; the framework takes the findings (FileContext.take)."""
    checks: dict[type, list[tuple[Rule, Callable]]] = {}
    for rule in rules:
        for kind in rule.node_types:
            checks.setdefault(kind, []).append((rule, rule.check))
    if checks:
        take = ctx.take
        # the lines of ImportTracker.guarded, as a set: asked for most nodes of such a file
        guarded = {line for start, end in ctx.imports.guarded_ranges for line in range(start, end + 1)}
        # the file's node list, shared with the rules and helpers that look at every node
        for node in walk(tree):
            wanted = checks.get(node.__class__)
            if wanted is None:
                continue
            if guarded and getattr(node, "lineno", 0) in guarded:
                wanted = [(rule, check) for rule, check in wanted if rule.in_import_guards]
            for rule, check in wanted:
                # most checks find nothing: the framework is called per finding
                for finding in check(node):
                    take(rule, (finding,))
    for rule in rules:
        if type(rule).finish is not Rule.finish:
            ctx.take(rule, rule.finish())


def _dedentable(chunk_lines: list[bytes], indent: bytes) -> bool:
    # Exact round trip: every line carries the indent and more, or is empty.
    return all(
        line in (b"\n", b"\r\n", b"\r") or (line.startswith(indent) and line[len(indent) :].strip())
        for line in chunk_lines
    )


def _whole_file_only(data: bytes) -> bool:
    # A coding cookie or a BOM applies to the whole file; chunks parsed alone would lose it.
    if data.startswith(b"\xef\xbb\xbf"):
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


_LONE_CR = re.compile(rb"\r(?!\n)")


def process_source(
    path: str,
    data: bytes,
    rule_classes: list[type[Rule]],
    options: RunOptions,
    prefilter: tuple[bytes, ...] = (),
) -> FileResult:
    """Run the rules over one file, honouring its `# noqa` comments (upgrade/noqa.py).

    A finding on a line whose `# noqa` names its code (or a blanket `# noqa`) is dropped, and
    so is its fix: when a fix would change such a line, the file is processed again without
    that rule's fixes. A rule's fixes in one file are linked (an import rename and every use
    of the name), so they are kept out of the whole file rather than cut apart.
    """
    noqa = noqa_lines(data, options.blanket_noqa)
    result = _process_once(path, data, rule_classes, options, prefilter, frozenset())
    if not noqa:
        return result
    reporters = {r.code: r.reported_by.code for r in rule_classes if r.reported_by}
    no_fix: frozenset[str] = frozenset()
    for _ in range(len(rule_classes) + 1):  # each round blocks at least one more code
        blocked = _fixes_touching_noqa(path, data, result, noqa)
        # A code another rule reports (Rule.reported_by) is fixed under that rule's code.
        blocked |= {reporters[code] for code in blocked if code in reporters}
        if blocked <= no_fix:
            break
        no_fix |= blocked
        result = _process_once(path, data, rule_classes, options, prefilter, no_fix)
    result.diagnostics = [
        d for d in result.diagnostics if d.path != path or not suppresses(noqa, d.line, d.code)
    ]
    return result


def _fixes_touching_noqa(path: str, data: bytes, result: FileResult, noqa: dict) -> frozenset[str]:
    """Codes whose applied fixes reach a `# noqa`'d line: one of their findings is there, or
    the rewrite changed a line whose `# noqa` names them."""
    applied = {d.code for d in result.diagnostics if d.applied}
    blocked = {
        d.code
        for d in result.diagnostics
        if d.applied and d.path == path and suppresses(noqa, d.line, d.code)
    }
    if result.new_source is not None and applied:
        old_lines = data.splitlines(keepends=True)
        new_lines = result.new_source.splitlines(keepends=True)
        import difflib  # fix mode only

        matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
        for tag, i1, i2, _, _ in matcher.get_opcodes():
            if tag in ("replace", "delete"):
                for line in range(i1 + 1, i2 + 1):
                    blocked.update(code for code in noqa.get(line, ()) if code in applied)
    return frozenset(blocked)


def _process_once(
    path: str,
    data: bytes,
    rule_classes: list[type[Rule]],
    options: RunOptions,
    prefilter: tuple[bytes, ...],
    no_fix: frozenset[str],
) -> FileResult:
    """Run the rules over one file (see _process_lines), line endings taken care of.

    LibCST knows `\n` and `\r\n`, while Python also ends a line at a lone `\r` (old Mac
    files). A file whose every line ends in `\r` is processed with `\n` and written back
    with `\r` (Python's tokenizer reads both the same, even inside strings); a file that
    mixes lone `\r` with `\n` is compiled whole before it is written.
    """
    if b"\r" in data and _LONE_CR.search(data):
        if b"\n" not in data:
            result = _process_lines(
                path, data.replace(b"\r", b"\n"), rule_classes, options, prefilter, no_fix
            )
            if result.new_source is not None:
                result.new_source = result.new_source.replace(b"\n", b"\r")
            return result
        result = _process_lines(path, data, rule_classes, options, prefilter, no_fix)
        if result.new_source is not None:
            try:
                _check_parses(result.new_source, path, [], True)
            except SyntaxError as exc:
                result.new_source = None
                result.error = f"internal error: the rewrite would not parse ({exc.msg}); file left unchanged"
                result.diagnostics = [replace(d, applied=False) for d in result.diagnostics]
        return result
    return _process_lines(path, data, rule_classes, options, prefilter, no_fix)


def _process_lines(
    path: str,
    data: bytes,
    rule_classes: list[type[Rule]],
    options: RunOptions,
    prefilter: tuple[bytes, ...],
    no_fix: frozenset[str],
) -> FileResult:
    """Run the rules over one file (`no_fix`: codes whose fixes stay off, see process_source),
    in phases: prefilter -> parse -> walk -> apply the fixes -> verify.

    Fast by doing less (django-upgrade's shape): CPython's ast (C, ~10x faster than LibCST)
    parses the file once and every rule decides in one walk of it. Only in fix mode, and only
    for the statements where an applied fix rewrites a node, does LibCST parse anything.
    Untouched statements are never regenerated, so they stay byte-identical.
    """
    result = FileResult(path=path)
    tree = _parse(path, data, prefilter, result)
    if tree is None:
        return result
    ctx, rules = _file_rules(path, data, tree, rule_classes, options, no_fix)
    if not rules:
        return result
    result.parsed = True
    walk_rules(tree, rules, ctx)
    result.diagnostics = sorted(ctx.diagnostics, key=lambda d: (d.line, d.col, d.code))
    result.dependencies = dict(ctx.dependencies)
    if not options.fix:
        return result
    result.extra_files = [extra for rule in rules for extra in getattr(rule, "extra_files", ())]
    if not ctx.byte_edits and not ctx.rewrites:
        return result
    return _apply_fixes(result, data, tree, ctx, options, path)


def _parse(path: str, data: bytes, prefilter: tuple[bytes, ...], result: FileResult) -> Optional[ast.Module]:
    """The file's ast, or None (why in result.error; nothing to do when no rule's token occurs)."""
    problem = decode_problem(data)
    if problem:
        result.error = problem
        return None
    if prefilter and not any(token in data for token in prefilter):
        return None  # no selected rule can apply: never parsed
    try:
        return ast.parse(data, filename=path)
    except SyntaxError as exc:
        result.error = f"syntax error at {exc.lineno}:{exc.offset or 1}: {exc.msg}"
    except (ValueError, UnicodeDecodeError, LookupError) as exc:
        result.error = f"cannot decode: {exc}"
    except (RecursionError, MemoryError):
        # CPython's own limit (`1 + 1 + ...` with some 10,000 terms): Python cannot import the file either
        result.error = "nested too deeply for Python's parser: Python cannot import it either"
    return None


@lru_cache(maxsize=8)
def _rule_set(rule_classes: tuple[type[Rule], ...]):
    """Per selection of rules, once: the classes that run (a code another rule reports runs
    that rule), every token of theirs, the selected codes and those whose fixes bridge."""
    runnable = tuple(dict.fromkeys(rule_class.reported_by or rule_class for rule_class in rule_classes))
    every = frozenset(
        token for rule_class in runnable if not rule_class.tokens_are_imports for token in rule_class.tokens
    )
    # shortest first, each with the other tokens inside it: a file without `Operator` holds no
    # `PodOperator`, which is then not searched for
    tokens = tuple(
        (token, frozenset(other for other in every if other != token and other in token))
        for token in sorted(every, key=lambda token: (len(token), token))
    )
    selected = frozenset(r.code for r in rule_classes)
    return runnable, tokens, selected, frozenset(r.code for r in rule_classes if r.bridge_compatible)


def _file_rules(path, data, tree, rule_classes, options, no_fix) -> tuple[FileContext, list[Rule]]:
    """The file's context and a fresh instance of each rule that may apply to it."""
    runnable, tokens, selected, bridge_codes = _rule_set(tuple(rule_classes))
    present: set[bytes] = set()
    for token, inside in tokens:
        if (not inside or present.issuperset(inside)) and token in data:
            present.add(token)
    candidates = [
        r for r in runnable if not r.tokens or r.tokens_are_imports or not present.isdisjoint(r.tokens)
    ]
    imports = ImportTracker.from_ast(tree, indexed=True) if candidates else ImportTracker()
    modules = _imported_modules(imports) if any(r.tokens_are_imports for r in candidates) else frozenset()
    classes = [r for r in candidates if not r.tokens_are_imports or not modules.isdisjoint(r.tokens)]
    lines = data.splitlines(keepends=True)
    if classes and sys.version_info < (3, 10):
        place_aliases(tree, lines)
    ctx = FileContext(
        path=path,
        options=options,
        selected_codes=selected,
        bridge_codes=bridge_codes,
        imports=imports if classes else ImportTracker(),
        lines=lines,
        tree=tree,
        no_fix_codes=no_fix,
    )
    return ctx, [rule for rule in (rule_class(ctx) for rule_class in classes) if rule.relevant()]


def _imported_modules(imports: ImportTracker) -> frozenset[bytes]:
    """The top-level modules the file's absolute imports name (Rule.tokens_are_imports)."""
    found = set()
    for node in imports.import_nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name.partition(".")[0] for alias in node.names)
        elif node.module and not node.level:
            found.add(node.module.partition(".")[0])
    return frozenset(name.encode() for name in found)


def _apply_fixes(result, data, tree, ctx, options, path) -> FileResult:
    """The applied fixes: the byte edits first, then LibCST parses just the statements the
    rewrites land in (codemods/_rewrites.py) and regenerates those it changed."""
    original = data
    lines = ctx.lines
    if ctx.byte_edits:
        lines = _apply_byte_edits(lines, ctx.byte_edits)
        data = b"".join(lines)
    replacements: dict[tuple[int, int], bytes] = {}
    regenerated: list[bytes] = []  # the new chunks as LibCST printed them (dedented)
    if ctx.rewrites:
        # LibCST is imported here only: a check, and a fix of byte edits alone, never load it.
        from codemods._rewrites import RewriteApplier, RewriteTargets

        targets = RewriteTargets(ctx.rewrites, lines, ctx.byte_edits)
        if _whole_file_only(data):
            chunks = [Chunk(0, len(lines))]
        else:
            chunks = plan_chunks(tree.body, lines, targets.lines_wanted(), targets.kept_whole())
        applier = RewriteApplier()
        for chunk in chunks:
            problem = _rewrite_chunk(chunk, lines, data, targets, applier, replacements, regenerated)
            if problem:
                result.error = f"internal error: {problem}; file left unchanged"
                return result
        # a rewrite may settle other findings (AU131: the subdag's DAG call is gone)
        result.diagnostics = sorted(ctx.diagnostics, key=lambda d: (d.line, d.col, d.code))
    return _finish_fix(result, original, lines, data, replacements, regenerated, ctx, options, path)


def _rewrite_chunk(chunk, lines, data, targets, applier, replacements, regenerated) -> Optional[str]:
    """Parse one chunk, apply the rewrites landing in it and record its new text; why not, or None."""
    import libcst as cst

    from codemods._rewrites import RewriteNotFound

    if (chunk.start, chunk.end) == (0, len(lines)):
        text = data
    else:
        text = b"".join(_dedent(line, chunk.indent) for line in lines[chunk.start : chunk.end])
        text += chunk.stand_in_body
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _libcst_error_message(exc, chunk.start)
    try:
        applier.chunk = targets.in_chunk(module, chunk.start, chunk.end, len(chunk.indent))
    except RewriteNotFound as exc:
        return str(exc)
    new_module = module.visit(applier)
    new_text = new_module.bytes
    if not new_module.body and not new_module.header and not new_module.footer:
        new_text = b""  # the whole statement went (e.g. a merged duplicate import)
    if chunk.stand_in_body:
        if not new_text.endswith(chunk.stand_in_body):
            return "a rule rewrote the body of a header it was given alone"
        new_text = new_text[: -len(chunk.stand_in_body)]
        text = text[: -len(chunk.stand_in_body)]
    new_text = _keep_form_feeds(text, new_text)
    if new_text != text:
        regenerated.append(new_text + chunk.stand_in_body)
        replacements[(chunk.start, chunk.end)] = b"".join(
            _indent(line, chunk.indent) for line in new_text.splitlines(keepends=True)
        )
    return None


def _finish_fix(result, original, lines, data, replacements, regenerated, ctx, options, path) -> FileResult:
    """Put the rewritten chunks in place, bridge the imports in bridge mode, and keep the
    result only if it parses."""
    new_source = _reassemble(lines, data, replacements)
    whole_file = (0, len(lines)) in replacements or options.close_bridge
    if ctx.reparse_lines and not whole_file:
        edited = _edited_statements(ctx, lines, replacements, original)
        if edited is None:
            whole_file = True
        else:
            regenerated = [*regenerated, *edited]
    if options.bridge and new_source != original:
        new_source = _bridged(original, new_source, ctx, result)
        whole_file = True
    elif options.close_bridge and new_source != original:
        new_source = drop_unused_helper_imports(new_source, options.compat_package)
    try:  # never emit code that does not parse
        _check_parses(new_source, path, regenerated, whole_file, ctx.tree)
    except SyntaxError as exc:
        result.error = f"internal error: the rewrite would not parse ({exc.msg}); file left unchanged"
        return result
    result.new_source = new_source if new_source != original else None
    return result


def _edited_statements(ctx: FileContext, lines: list[bytes], replacements: dict, original: bytes):
    """The top-level statements holding a byte edit that removed code (Edit.reparse), as
    edited: parsed alone, they stand for the file. None when the whole file is to be parsed:
    a LibCST chunk was put in one of them too, or the file's encoding is not plain UTF-8."""
    assert ctx.tree is not None
    if _whole_file_only(original):
        return None
    texts: list[bytes] = []
    left = set(ctx.reparse_lines)
    for statement in ctx.tree.body:
        decorators = getattr(statement, "decorator_list", None)
        start = (decorators[0] if decorators else statement).lineno - 1
        end = statement.end_lineno or statement.lineno
        held = {line for line in left if start <= line < end}
        if not held:
            continue
        if any(first < end and start < last for first, last in replacements):
            return None
        left -= held
        texts.append(b"".join(lines[start:end]))
    return None if left else texts


def _bridged(original: bytes, fixed: bytes, ctx: FileContext, result: FileResult) -> bytes:
    """Bridge mode: pair every rewritten import with the 1.10 import it replaced; a file with an
    import that cannot be paired is left unchanged (it would load on neither side), and why is
    reported on that import."""
    key = table_key(ctx.target)
    home = {**_tables.MODULE_RENAMES[key], **_tables.IMPORT_RENAMES[key], **ctx.homes}
    bridged, problems = bridge_imports(original, fixed, home, frozenset(ctx.on_both))
    if not problems:
        return add_helper_imports(bridged, ctx.compat_imports) if ctx.compat_imports else bridged
    result.diagnostics = [replace(d, applied=False) for d in result.diagnostics]
    result.diagnostics.extend(
        Diagnostic(
            path=ctx.path,
            line=p.line,
            col=p.col,
            code="AU101",
            message=f"{p.message}; file left unchanged",
            fix=None,
        )
        for p in problems
    )
    result.diagnostics.sort(key=lambda d: (d.line, d.col, d.code))
    result.extra_files = []
    return original


_FORM_FEED_LEAD = re.compile(rb"^[ \t\f]*")


def _without_form_feeds(line: bytes) -> bytes:
    lead = _FORM_FEED_LEAD.match(line).group(0)
    return lead.replace(b"\f", b"") + line[len(lead) :]


def _keep_form_feeds(old: bytes, new: bytes) -> bytes:
    """LibCST drops a form feed in a line's leading whitespace (CPython's tokenizer reads it as
    a page break that resets the column): each line the rewrite left as it was gets its own
    bytes back, so untouched lines stay byte-identical."""
    if b"\f" not in old:
        return new
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    import difflib  # fix mode only

    matcher = difflib.SequenceMatcher(
        None,
        [_without_form_feeds(line) for line in old_lines],
        [_without_form_feeds(line) for line in new_lines],  # LibCST keeps some (comment lines)
        autojunk=False,
    )
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            new_lines[j1:j2] = old_lines[i1:i2]
        elif tag == "replace" and i2 - i1 == j2 - j1:
            # a line the rewrite changed (a renamed class) keeps its own leading bytes
            for i, j in zip(range(i1, i2), range(j1, j2)):
                lead = _FORM_FEED_LEAD.match(old_lines[i]).group(0)
                new_lead = _FORM_FEED_LEAD.match(new_lines[j]).group(0)
                if b"\f" in lead and lead.replace(b"\f", b"") == new_lead.replace(b"\f", b""):
                    new_lines[j] = lead + new_lines[j][len(new_lead) :]
    return b"".join(new_lines)


def _check_parses(
    new_source: bytes,
    path: str,
    regenerated: list[bytes],
    whole_file: bool,
    tree: Optional[ast.Module] = None,
) -> None:
    """Raise SyntaxError if the rewrite does not compile. Byte edits swap a dotted name or an
    identifier for another, unless marked Edit.reparse (the statements holding those come
    in `regenerated` too); each regenerated chunk is parsed on its own (a statement group,
    as LibCST printed it before re-indenting), and the whole file when a chunk was the whole
    file or vanished (a block may have lost its last statement). A keyword
    given twice in a call parses but does not compile (an added `schedule=` next to one given
    by another name): with the `tree` of the file read, it is checked in what was parsed,
    unless that file had one."""
    texts = [new_source] if whole_file or not all(regenerated) else regenerated
    for text in texts:
        parsed = compile(text, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
        if tree is None:
            continue
        calls = (node for node in nodes_of(parsed) if node.__class__ is ast.Call)
        repeated = _repeated_keyword(calls)
        if repeated is not None and _repeated_keyword(of_type(tree, ast.Call)) is None:
            raise SyntaxError(f"keyword argument repeated: {repeated}")


def _repeated_keyword(calls: Iterable[ast.Call]) -> Optional[str]:
    for call in calls:
        names = [keyword.arg for keyword in call.keywords if keyword.arg is not None]
        if len(names) != len(set(names)):
            return next(name for name in names if names.count(name) > 1)
    return None


def _apply_byte_edits(lines: list[bytes], edits: list[tuple[int, int, int, bytes]]) -> list[bytes]:
    lines = list(lines)
    for line, start, end, new in sorted(edits, reverse=True):  # right to left within a line
        lines[line] = lines[line][:start] + new + lines[line][end:]
    return lines


def _dedent(line: bytes, indent: bytes) -> bytes:
    return line[len(indent) :] if indent and line.startswith(indent) else line


def _indent(line: bytes, indent: bytes) -> bytes:
    return indent + line if indent and line not in (b"\n", b"\r\n", b"\r") else line


def _reassemble(lines: list[bytes], data: bytes, replacements: dict[tuple[int, int], bytes]) -> bytes:
    if (0, len(lines)) in replacements:
        return replacements[(0, len(lines))]
    parts: list[bytes] = []
    position = 0
    for (start, end), new_chunk in sorted(replacements.items()):
        parts.extend(lines[position:start])
        parts.append(new_chunk)
        position = end
    parts.extend(lines[position:])
    return b"".join(parts)
