"""`# noqa` comments: which findings a line suppresses (ruff's syntax).

`# noqa: AU401, AU101` suppresses those codes on its line (other tools' codes in the same
comment, `# noqa: E501, AU401`, are ignored here); a comment naming only other tools' codes
suppresses nothing of ours. A bare `# noqa` suppresses every finding on its line only with
the `blanket-noqa` setting: in a 1.10 repository it was written for flake8 long before this
tool (typically on the very contrib imports that break on Airflow 2), and honouring it by
default would silently keep those lines broken. Only real comments count: the
text inside a string is not a comment (found with the tokenizer, and only in files that
contain the bytes `noqa` at all).
"""

from __future__ import annotations

import io
import re
import tokenize

ALL = "ALL"
# ruff's form: `noqa`, optionally `:` and codes separated by commas and/or spaces.
_NOQA = re.compile(
    r"#\s*noqa(?::\s?(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?(?![:\w])",
    re.IGNORECASE,
)
_OUR_CODE = re.compile(r"AU[0-9]+")


def noqa_lines(data: bytes, blanket: bool = False) -> dict[int, frozenset[str]]:
    """1-based line -> the codes its `# noqa` suppresses ({ALL} for a bare `# noqa` when
    `blanket`)."""
    if b"noqa" not in data.lower():
        return {}
    found: dict[int, frozenset[str]] = {}
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type != tokenize.COMMENT:
                continue
            match = _NOQA.search(token.string)
            if match is None:
                continue
            codes = match.group("codes")
            if codes is None:
                if blanket:
                    found[token.start[0]] = frozenset({ALL})
                continue
            ours = frozenset(
                code.upper() for code in re.split(r"[,\s]+", codes) if _OUR_CODE.fullmatch(code.upper())
            )
            if ours:
                found[token.start[0]] = ours
    except (tokenize.TokenError, SyntaxError, UnicodeDecodeError, LookupError):
        pass  # the engine reports the file's own problem; comments before it still count
    return found


def suppresses(noqa: dict[int, frozenset[str]], line: int, code: str) -> bool:
    codes = noqa.get(line)
    return bool(codes) and (ALL in codes or code in codes)  # type: ignore[operator]
