"""Where a finding that `fix` left stands in the file `fix` wrote.

Rules report at positions in the file as it was read. Once `fix` has rewritten the file, the
findings it could not fix are shown where they now are (as ruff reports what is left after its
fixes), so that `path:line:col` opens the line that still needs a hand and agrees with a `check`
of the new file: an added import moves every later line down, a renamed argument moves the
rest of its line.

    dag = DAG("d", schedule_interval=timedelta(days=1))   # AU307 at 1:34 in the file read
    dag = DAG("d", schedule=timedelta(days=1))            # ... at 1:25 in the file written

Lines the fix left alone map exactly (a line diff of the two files: fixes change few lines);
on a changed line, a character diff of the line maps each column the rewrite kept, and one
inside rewritten text goes to where the rewrite starts, unless its text (a name) stands once in
the rewritten lines: then there. A finding on a line the fix deleted goes to the line now in its
place. The lines a message names (`used at lines 92, 93`) are renumbered the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace
from typing import Optional

from codemods._base import Diagnostic


def moved_to_fixed(diagnostics: list[Diagnostic], path: str, old: bytes, new: bytes) -> list[Diagnostic]:
    """The diagnostics with every unapplied one of `path` at its position in `new`."""
    if not any(d.path == path and not d.applied for d in diagnostics):
        return diagnostics
    where = _LineMap(old, new)
    return [where.moved(d) if d.path == path and not d.applied else d for d in diagnostics]


class _LineMap:
    """Positions in `old` -> positions in `new` (1-based lines, 1-based character columns)."""

    def __init__(self, old: bytes, new: bytes) -> None:
        self.old = old.splitlines()  # bytes split at \n, \r\n and \r only, as Python's tokenizer
        self.new = new.splitlines()
        shortest = min(len(self.old), len(self.new))
        head = 0
        while head < shortest and self.old[head] == self.new[head]:
            head += 1
        tail = 0
        while tail < shortest - head and self.old[-1 - tail] == self.new[-1 - tail]:
            tail += 1
        self.head, self.tail = head, tail
        import difflib  # fix mode only

        matcher = difflib.SequenceMatcher(
            None, self.old[head : len(self.old) - tail], self.new[head : len(self.new) - tail], autojunk=False
        )
        self.opcodes = [op for op in matcher.get_opcodes() if op[1] < op[2]]  # blocks holding old lines
        self.starts = [op[1] for op in self.opcodes]

    def moved(self, diagnostic: Diagnostic) -> Diagnostic:
        message = self.lines_named(diagnostic.message)
        found = self._same_text(diagnostic)
        if found is not None:
            line, col, end_col = found
            return replace(diagnostic, line=line, col=col, end_line=line, end_col=end_col, message=message)
        line, col = self.position(diagnostic.line, diagnostic.col)
        if not diagnostic.end_line:
            return replace(diagnostic, line=line, col=col, message=message)
        end_line, end_col = self.position(diagnostic.end_line, diagnostic.end_col, end=True)
        if (end_line, end_col) < (line, col):
            end_line, end_col = line, col
        return replace(diagnostic, line=line, col=col, end_line=end_line, end_col=end_col, message=message)

    def lines_named(self, message: str) -> str:
        """The message with the lines it names (`line 12`, `lines 12, 30`: the rules' phrasing,
        codemods/_name_uses.describe_lines) as numbered in the written file; text in backticks
        (the user's code) is left alone."""
        if "line" not in message:
            return message
        parts = message.split("`")
        for index in range(0, len(parts), 2):  # outside backticks
            parts[index] = _LINES.sub(lambda found: self._renumbered(found), parts[index])
        return "`".join(parts)

    def _renumbered(self, found: re.Match) -> str:
        numbers = [int(number) for number in found.group(2).split(", ")]
        new = [str(self.position(number, 1)[0]) for number in numbers]
        return found.group(1) + ", ".join(new)

    def _same_text(self, diagnostic: Diagnostic) -> Optional[tuple[int, int, int]]:
        """(line, col, end col) of a one-line finding's text in the lines that replaced its line,
        when the text is there once and was in the old lines once: a name of an import that the
        fix split over two lines (`from m import a, b` -> two imports) is where it now stands."""
        index = diagnostic.line - 1
        if diagnostic.end_line != diagnostic.line or not self.head <= index < len(self.old) - self.tail:
            return None
        tag, i1, i2, j1, j2 = self.opcodes[bisect_right(self.starts, index - self.head) - 1]
        if tag != "replace":
            return None
        text = _text(self.old[index])[diagnostic.col - 1 : diagnostic.end_col - 1]
        if not text.isidentifier():
            return None
        old_block = [_text(line) for line in self.old[self.head + i1 : self.head + i2]]
        new_block = [_text(line) for line in self.new[self.head + j1 : self.head + j2]]
        if sum(len(_starts(line, text)) for line in old_block) != 1:
            return None
        places = [(row, start) for row, line in enumerate(new_block) for start in _starts(line, text)]
        if len(places) != 1:
            return None
        row, start = places[0]
        return self.head + j1 + row + 1, start + 1, start + 1 + len(text)

    def position(self, line: int, col: int, end: bool = False) -> tuple[int, int]:
        """`end`: the column just past a span, mapped as the one after the span's last character."""
        index = line - 1
        if index < 0 or index >= len(self.old):
            return line, col
        if index < self.head:
            return line, col
        if index >= len(self.old) - self.tail:
            return line + len(self.new) - len(self.old), col
        offset = index - self.head
        tag, i1, i2, j1, j2 = self.opcodes[bisect_right(self.starts, offset) - 1]
        if tag == "equal":
            return self.head + j1 + (offset - i1) + 1, col
        if tag == "delete" or j1 == j2:
            return max(1, min(self.head + j1 + 1, len(self.new))), 1
        target = j1 + min(offset - i1, j2 - j1 - 1)
        old, new = self.old[index], self.new[self.head + target]
        if end and col > 1:
            return self.head + target + 1, _column(old, new, col - 1) + 1
        return self.head + target + 1, _column(old, new, col)


def _column(old: bytes, new: bytes, col: int) -> int:
    """A 1-based character column of `old` in the changed line `new` (a character diff of the two)."""
    if not col:
        return col
    before, after = _text(old), _text(new)
    offset = col - 1
    if offset >= len(before):
        return max(1, col + len(after) - len(before))
    import difflib  # fix mode only

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if i1 <= offset < i2:
            return j1 + (offset - i1 if tag == "equal" else 0) + 1
    return col


_LINES = re.compile(r"\b(lines? )(\d+(?:, \d+)*)\b")


def _starts(line: str, word: str) -> list[int]:
    """Where `word` stands in `line` as a whole identifier."""
    return [match.start() for match in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", line)]


def _text(line: bytes) -> str:
    return line.decode("utf-8", "replace")
