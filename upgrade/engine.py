"""Process one file's bytes: prefilter, parse once, one walk with every rule, verify output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from codemods._base import Diagnostic, Rule
from codemods._context import FileContext, RunOptions
from codemods._dispatch import Dispatcher


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    new_source: Optional[bytes] = None  # set when the fix changed the file
    error: Optional[str] = None  # why the file could not be processed
    parsed: bool = False

    def to_dict(self) -> dict:
        return {
            "diagnostics": [d.to_dict() for d in self.diagnostics],
            "error": self.error,
            "changed": self.new_source is not None,
        }


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


def _syntax_error_message(data: bytes, path: str, exc: cst.ParserSyntaxError) -> str:
    # CPython's own message and position are the ones users know (LibCST's native parser
    # reports the token after the error); fall back to LibCST's when CPython accepts the file.
    try:
        compile(data, path, "exec", dont_inherit=True)
    except SyntaxError as py_exc:
        return f"syntax error at {py_exc.lineno}:{py_exc.offset or 1}: {py_exc.msg}"
    except ValueError:
        pass
    first_line = str(exc.message).splitlines()[0] if exc.message else "invalid syntax"
    return (
        f"syntax error at {exc.raw_line}:{exc.raw_column + 1}: {first_line} (LibCST cannot parse this syntax)"
    )


def process_source(
    path: str,
    data: bytes,
    rule_classes: list[type[Rule]],
    options: RunOptions,
    prefilter: tuple[bytes, ...] = (),
) -> FileResult:
    result = FileResult(path=path)
    problem = decode_problem(data)
    if problem:
        result.error = problem
        return result
    if prefilter and not any(token in data for token in prefilter):
        return result  # no selected rule can apply: never parsed
    try:
        module = cst.parse_module(data)
    except cst.ParserSyntaxError as exc:
        result.error = _syntax_error_message(data, path, exc)
        return result
    except (UnicodeDecodeError, LookupError) as exc:  # bad or unknown coding declaration
        result.error = f"cannot decode: {exc}"
        return result
    result.parsed = True
    ctx = FileContext(
        path=path, module=module, options=options, selected_codes=frozenset(r.code for r in rule_classes)
    )
    runnable = dict.fromkeys(rule_class.reported_by or rule_class for rule_class in rule_classes)
    rules = [
        rule_class(ctx)
        for rule_class in runnable
        if not rule_class.tokens or any(token in data for token in rule_class.tokens)
    ]
    if not rules:
        return result
    new_module = module.visit(Dispatcher(ctx, rules))
    result.diagnostics = sorted(ctx.diagnostics, key=lambda d: (d.line, d.col, d.code))
    # Every applied fix is reported with applied=True: no applied fix, no code generation.
    if options.fix and any(d.applied for d in result.diagnostics):
        new_source = new_module.bytes
        if new_source != data:
            try:  # never emit code that does not parse
                compile(new_source, path, "exec", dont_inherit=True)
            except SyntaxError as exc:
                result.error = f"internal error: the rewrite would not parse ({exc.msg}); file left unchanged"
                return result
            result.new_source = new_source
    return result
