"""Process one file's bytes: prefilter, parse once, one walk with every rule, verify output."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from codemods._base import Diagnostic, Rule
from codemods._context import FileContext, ImportTracker, RunOptions
from codemods._dispatch import Dispatcher


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
    start: int  # 0-based first line
    end: int  # 0-based line after the last
    indent: bytes = b""  # removed from every line before parsing, put back after
    depth: int = 0  # enclosing blocks


# Compound statements whose body may be cut into its statements when the header (the lines
# before the body) holds no token: `with DAG(...) as dag:` and `for` loops that build tasks.
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


def plan_chunks(
    body: list[ast.stmt],
    lines: list[bytes],
    tokens: tuple[bytes, ...],
    nested: bool,
    indent: bytes = b"",
    depth: int = 0,
) -> list[Chunk]:
    """The statements to parse: those containing a token, cut inside blocks where possible."""
    chunks: list[Chunk] = []
    for start, end, nodes in _statement_groups(body):
        text = b"".join(lines[start:end])
        if not any(token in text for token in tokens):
            continue
        inner = _enter(nodes, lines, tokens, indent, depth) if nested else None
        chunks.extend(inner if inner is not None else [Chunk(start, end, indent, depth)])
    return chunks


def _enter(nodes, lines, tokens, indent, depth) -> list[Chunk] | None:
    """Chunks for the body of a lone compound statement whose header has no token, or None."""
    if len(nodes) != 1 or not isinstance(nodes[0], _ENTERABLE) or getattr(nodes[0], "orelse", None):
        return None
    node = nodes[0]
    first = node.body[0]
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    body_start = first.lineno - 1
    if body_start <= node.lineno - 1:
        return None  # `with x: a = 1` on one line
    if any(token in b"".join(lines[start:body_start]) for token in tokens):
        return None  # the header itself may change: the statement goes whole
    line = lines[body_start]
    body_indent = line[: len(line) - len(line.lstrip(b" \t"))]
    if not body_indent.startswith(indent) or body_indent == indent:
        return None
    chunks = plan_chunks(node.body, lines, tokens, True, body_indent, depth + 1)
    for chunk in chunks:
        if not _dedentable(lines[chunk.start : chunk.end], chunk.indent):
            return None  # e.g. a multi-line string whose lines are not indented
    return chunks


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


def process_source(
    path: str,
    data: bytes,
    rule_classes: list[type[Rule]],
    options: RunOptions,
    prefilter: tuple[bytes, ...] = (),
) -> FileResult:
    """Run the rules over one file.

    Fast by doing less (django-upgrade's shape): CPython's ast (C, ~10x faster than LibCST)
    parses the file once to find its imports and top-level statements; LibCST then parses and
    walks only the statements that contain a token of a selected rule, all rules in one walk.
    Untouched statements are never regenerated, so they stay byte-identical.
    """
    result = FileResult(path=path)
    problem = decode_problem(data)
    if problem:
        result.error = problem
        return result
    if prefilter and not any(token in data for token in prefilter):
        return result  # no selected rule can apply: never parsed
    try:
        tree = ast.parse(data, filename=path)
    except SyntaxError as exc:
        result.error = f"syntax error at {exc.lineno}:{exc.offset or 1}: {exc.msg}"
        return result
    except (ValueError, UnicodeDecodeError, LookupError) as exc:
        result.error = f"cannot decode: {exc}"
        return result
    runnable = dict.fromkeys(rule_class.reported_by or rule_class for rule_class in rule_classes)
    classes = [r for r in runnable if not r.tokens or any(token in data for token in r.tokens)]
    if not classes:
        return result
    result.parsed = True
    ctx = FileContext(
        path=path,
        module=None,
        options=options,
        selected_codes=frozenset(r.code for r in rule_classes),
        imports=ImportTracker.from_ast(tree),
    )
    rules = [rule_class(ctx) for rule_class in classes]
    lines = data.splitlines(keepends=True)
    tokens = tuple({token for rule in rules for token in rule.statement_tokens()})
    if (
        _whole_file_only(data)
        or any(r.needs_whole_module() for r in classes)
        or any(not rule.statement_tokens() for rule in rules)
    ):
        chunks = [Chunk(0, len(lines))]
    else:
        nested = not any(r.sees_enclosing_statements() for r in classes)
        chunks = plan_chunks(tree.body, lines, tokens, nested)
    dispatcher = Dispatcher(ctx, rules)
    replacements: dict[tuple[int, int], bytes] = {}
    for chunk in chunks:
        if (chunk.start, chunk.end) == (0, len(lines)):
            text = data
        else:
            text = b"".join(_dedent(line, chunk.indent) for line in lines[chunk.start : chunk.end])
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as exc:
            result.error = _libcst_error_message(exc, chunk.start)
            return result
        ctx.begin_chunk(module, chunk.start, len(chunk.indent), chunk.depth)
        changes_before = ctx.changes
        new_module = module.visit(dispatcher)
        if options.fix and ctx.changes > changes_before:  # no edit, no code generation
            new_text = new_module.bytes
            if not new_module.body and not new_module.header and not new_module.footer:
                new_text = b""  # the whole statement went (e.g. a merged duplicate import)
            if new_text != text:
                replacements[(chunk.start, chunk.end)] = b"".join(
                    _indent(line, chunk.indent) for line in new_text.splitlines(keepends=True)
                )
    result.diagnostics = sorted(ctx.diagnostics, key=lambda d: (d.line, d.col, d.code))
    if options.fix:
        result.extra_files = [extra for rule in rules for extra in getattr(rule, "extra_files", ())]
    if replacements:
        new_source = _reassemble(lines, data, replacements)
        try:  # never emit code that does not parse
            compile(new_source, path, "exec", dont_inherit=True, flags=ast.PyCF_ONLY_AST)
        except SyntaxError as exc:
            result.error = f"internal error: the rewrite would not parse ({exc.msg}); file left unchanged"
            return result
        result.new_source = new_source
    return result


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
