"""A rule's documentation, read from its own docstring (ruff's layout), for `airflow-upgrade rule
CODE` and docs/rules.md.

The rule class's docstring (else its module's) is structured like ruff's rule docs:

    What the rule does, in a paragraph or more (the text before the first heading).

    ## Why
    What breaks on the target Airflow, and since which version.

    ## Example
    ```python
    the 1.10 code
    ```
    Use instead:
    ```python
    what `fix` writes (or, for a rule without a fix, what to write by hand)
    ```

    ## Fix safety
    When the fix is unsafe, why.

Every section but the first is optional; the fix safety line itself comes from the rule's
`fix` attribute. A fence may name the target the example is for: ```` ```python target=3 ````.
tests/test_docs.py runs every example through the real engine.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from dataclasses import dataclass, field
from typing import Optional

from codemods._base import Rule
from codemods._targets import format_target

_HEADING = re.compile(r"^## +(?P<title>.+?) *$", re.M)
_FENCE = re.compile(r"^```(?P<lang>\w+)(?P<info>[^\n]*)\n(?P<code>.*?)^```\s*$", re.M | re.S)
_TARGET = re.compile(r"\btarget=(?P<target>[0-9.]+)")
_FILE = re.compile(r"\bfile=(?P<file>\S+)")
_SELECT = re.compile(r"\bselect=(?P<select>[A-Z0-9,]+)")
# fence flags that are `fix` options (RunOptions fields): ```python close_bridge
_OPTIONS = ("close_bridge", "include_templates")


@dataclass
class Example:
    before: str
    after: Optional[str]
    target: Optional[str] = None  # the --target the example is for (default: the rule's lowest)
    options: tuple[str, ...] = ()  # RunOptions flags the example needs (e.g. close_bridge)
    # other files of the example (a template file): path -> (before, after)
    files: dict = field(default_factory=dict)
    languages: dict = field(default_factory=dict)  # file path -> fence language, for display
    # the rules the example runs with, when the rule's fix is made together with another's
    # (AU160's operator swap comes with AU101's import rewrite): default the rule alone
    select: tuple[str, ...] = ()


@dataclass
class RuleDoc:
    code: str
    name: str
    summary: str
    since: str
    fix: str
    what: str
    sections: dict[str, str] = field(default_factory=dict)  # heading -> text (without Example)
    example: Optional[Example] = None


def _docstring(rule: type[Rule]) -> str:
    own = rule.__dict__.get("__doc__")
    if own:
        return inspect.cleandoc(own)
    return inspect.getdoc(sys.modules[rule.__module__]) or ""


def _parse_example(text: str) -> Optional[Example]:
    """The DAG file's fences (before, after) and, for fences marked `file=PATH`, that file's."""
    dag: list[str] = []
    files: dict[str, list[str]] = {}
    languages: dict[str, str] = {}
    target = None
    options: set[str] = set()
    select: tuple[str, ...] = ()
    for fence in _FENCE.finditer(text):
        info = fence.group("info")
        chosen = _SELECT.search(info)
        select = select or (tuple(chosen.group("select").split(",")) if chosen else ())
        code = textwrap.dedent(fence.group("code"))
        found = _TARGET.search(info)
        target = target or (found.group("target") if found else None)
        options.update(option for option in _OPTIONS if option in info.split())
        named = _FILE.search(info)
        if named:
            files.setdefault(named.group("file"), []).append(code)
            languages[named.group("file")] = fence.group("lang")
        elif fence.group("lang") == "python":
            dag.append(code)
    if not dag:
        return None
    return Example(
        before=dag[0],
        after=dag[1] if len(dag) > 1 else None,
        target=target,
        options=tuple(sorted(options)),
        select=select,
        files={path: (texts[0], texts[1] if len(texts) > 1 else None) for path, texts in files.items()},
        languages=languages,
    )


def rule_doc(rule: type[Rule]) -> RuleDoc:
    text = _docstring(rule)
    headings = list(_HEADING.finditer(text))
    what = text[: headings[0].start()].strip() if headings else text.strip()
    sections: dict[str, str] = {}
    example = None
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end() : end].strip()
        title = heading.group("title")
        if title.lower() == "example":
            example = _parse_example(body)
        else:
            sections[title] = body
    return RuleDoc(
        code=rule.code,
        name=rule.name,
        summary=rule.summary,
        since=format_target(rule.min_target),
        fix=rule.fix or "none",
        what=what,
        sections=sections,
        example=example,
    )


def _fix_line(doc: RuleDoc) -> str:
    if doc.fix == "safe":
        return (
            "Safe: `fix` applies it, and the rewritten code behaves the same for every run (a finding "
            "marked `[*unsafe]` is the exception: its fix needs `--unsafe-fixes`)."
        )
    if doc.fix == "unsafe":
        return "Unsafe: applied only with `--unsafe-fixes`, since the rewritten code may behave differently."
    return "No automatic fix: the finding says what to change."


def as_markdown(doc: RuleDoc, heading: str = "#") -> str:
    """One rule's page: what it does, why, an example before -> after, fix safety."""
    parts = [f"{heading} {doc.code} {doc.name}\n", f"{doc.summary}. Applies to targets ≥ {doc.since}.\n"]
    sub = heading + "#"
    parts.append(f"{sub} What it does\n\n{doc.what}\n")
    for title, body in doc.sections.items():
        if title.lower() != "fix safety":
            parts.append(f"{sub} {title}\n\n{body}\n")
    example = doc.example
    if example is not None:
        flags = [f"--target {example.target}"] if example.target else []
        flags += ["--" + option.replace("_", "-") for option in example.options]
        flags += [f"--select {','.join(example.select)}"] if example.select else []
        shown = f" (`fix {' '.join(flags)}`)" if flags else ""
        parts.append(f"{sub} Example{shown}\n\n```python\n{example.before}```\n")
        for path, (before, _) in example.files.items():
            parts.append(f"`{path}`:\n\n```{example.languages.get(path, '')}\n{before}```\n")
        if example.after is not None:
            parts.append(f"Use instead:\n\n```python\n{example.after}```\n")
        for path, (_, after) in example.files.items():
            if after is not None:
                parts.append(f"`{path}` becomes:\n\n```{example.languages.get(path, '')}\n{after}```\n")
    safety = doc.sections.get("Fix safety") or doc.sections.get("Fix Safety")
    parts.append(f"{sub} Fix safety\n\n{_fix_line(doc)}" + (f" {safety}" if safety else "") + "\n")
    return "\n".join(parts)
