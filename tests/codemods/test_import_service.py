"""The import service (codemods/_import_service.py), byte-exact, through the real engine: small
rules of this file ask it for imports the way AU305 and AU120/AU121 do."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codemods._base import Edit, Finding, Fix, Rule
from codemods._context import RunOptions
from codemods._import_service import FileImports, add_import, remove_import, remove_import_if_unused
from upgrade.engine import process_source


class NeedsImport(Rule):
    """`needs("module", "name", "asname")`: a fix that only adds that import."""

    code = "AU990"
    name = "needs-import"
    summary = "test rule"
    tokens = (b"needs",)
    node_types = (ast.Call,)

    def check(self, node: ast.Call):
        if isinstance(node.func, ast.Name) and node.func.id == "needs":
            arguments = [argument.value for argument in node.args]  # type: ignore[attr-defined]
            rewrite = add_import(self.ctx, *arguments)
            yield Finding(node, "needs an import", Fix.safe(rewrite) if rewrite is not None else None)


class NeedsImportToo(NeedsImport):
    """A second rule asking for the same imports."""

    code = "AU991"
    name = "needs-import-too"


class OldToNew(Rule):
    """`old()` (from `m`) -> `new()` from `n`: the `old` import goes once no use is left, and
    `from n import new` is added (as AU305 does with days_ago and pendulum)."""

    code = "AU992"
    name = "old-to-new"
    summary = "test rule"
    tokens = (b"old",)
    node_types = (ast.Call,)

    def check(self, node: ast.Call):
        func = node.func
        if not isinstance(func, ast.Name) or self.ctx.imports.qualified_name(func) != "m.old":
            return
        calls = [
            n.func
            for n in ast.walk(self.ctx.tree)  # type: ignore[arg-type]
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == func.id
        ]
        changes: list = [Edit(func.lineno, func.col_offset, func.end_col_offset, b"new")]  # type: ignore[arg-type]
        changes += remove_import_if_unused(self.ctx, "m.old", calls)
        added = add_import(self.ctx, "n", "new")
        if added is not None:
            changes.append(added)
        yield Finding(node, "old is new", Fix.safe(*changes))


class Forget(Rule):
    """`forget("a")`: a fix that only drops the local name `a` from the imports binding it
    (any of them, as AU140 drops `apply_defaults`)."""

    code = "AU993"
    name = "forget"
    summary = "test rule"
    tokens = (b"forget",)
    node_types = (ast.Call,)
    function = "forget"

    def check(self, node: ast.Call):
        if not (isinstance(node.func, ast.Name) and node.func.id == self.function):
            return
        local = node.args[0].value  # type: ignore[attr-defined]
        for statement in self.ctx.imports.import_nodes:
            bound = {alias.asname or alias.name.split(".")[0] for alias in statement.names}
            if local in bound:
                rewrites = remove_import(self.ctx, statement, {local})
                assert rewrites
                yield Finding(node, "forget it", Fix.safe(*rewrites))


class ForgetToo(Forget):
    """`forget_too("a")`: the same, from a second rule."""

    code = "AU994"
    name = "forget-too"
    tokens = (b"forget_too",)
    function = "forget_too"


def run(source: str, rules) -> str | None:
    data = textwrap.dedent(source).encode()
    result = process_source("dag.py", data, list(rules), RunOptions((2, 0), fix=True))
    assert result.error is None, result.error
    return None if result.new_source is None else result.new_source.decode()


def check(source: str, expected: str, rules=(NeedsImport,)) -> None:
    assert run(source, rules) == textwrap.dedent(expected)
    assert run(expected, rules) is None  # idempotent: the import is there now


ADDED = [
    pytest.param('needs("pendulum")\n', 'import pendulum\nneeds("pendulum")\n', id="no-import-no-docstring"),
    pytest.param(
        'if True:\n    needs("pendulum")\n',
        'import pendulum\nif True:\n    needs("pendulum")\n',
        id="before-a-compound-first-statement",
    ),
    pytest.param(
        '"""Doc."""\nneeds("pendulum")\n',
        '"""Doc."""\nimport pendulum\nneeds("pendulum")\n',
        id="after-the-docstring",
    ),
    pytest.param(
        '"""Doc."""\nfrom __future__ import annotations\n\nneeds("pendulum")\n',
        '"""Doc."""\nfrom __future__ import annotations\nimport pendulum\n\nneeds("pendulum")\n',
        id="after-from-future",
    ),
    pytest.param(
        'import os\nfrom airflow import DAG\n\nx = 1\nimport sys\nneeds("pendulum")\n',
        'import os\nfrom airflow import DAG\nimport pendulum\n\nx = 1\nimport sys\nneeds("pendulum")\n',
        id="after-the-first-import-block",
    ),
    pytest.param(
        'import os\ntry:\n    import a\nexcept ImportError:\n    a = None\nneeds("pendulum")\n',
        'import os\nimport pendulum\ntry:\n    import a\nexcept ImportError:\n    a = None\nneeds("pendulum")\n',
        id="never-inside-an-import-guard",
    ),
    pytest.param(
        'import os\ntry:\n    import a\nexcept ImportError:\n    import b as a\nimport sys\n\nneeds("pendulum")\n',
        'import os\ntry:\n    import a\nexcept ImportError:\n    import b as a\nimport sys\nimport pendulum\n\nneeds("pendulum")\n',
        id="a-guarded-import-pair-belongs-to-the-block",
    ),
    pytest.param(
        'import os\ntry:\n    import a\nexcept ImportError:\n    import b as a\n\nneeds("pendulum")\n',
        'import os\ntry:\n    import a\nexcept ImportError:\n    import b as a\nimport pendulum\n\nneeds("pendulum")\n',
        id="after-a-guarded-import-pair-ending-the-block",
    ),
    pytest.param(
        'x = 1\nimport os\nimport sys\n\nneeds("pendulum")\n',
        'x = 1\nimport os\nimport sys\nimport pendulum\n\nneeds("pendulum")\n',
        id="first-block-after-code",
    ),
    pytest.param(
        'import os\nneeds("kubernetes.client", "models", "k8s")\n',
        'import os\nfrom kubernetes.client import models as k8s\nneeds("kubernetes.client", "models", "k8s")\n',
        id="from-import-with-an-alias",
    ),
    pytest.param(
        'import os\nneeds("numpy", None, "np")\n',
        'import os\nimport numpy as np\nneeds("numpy", None, "np")\n',
        id="module-import-with-an-alias",
    ),
    pytest.param(
        'from kubernetes.client import V1Pod\nneeds("kubernetes.client", "models", "k8s")\n',
        'from kubernetes.client import V1Pod, models as k8s\nneeds("kubernetes.client", "models", "k8s")\n',
        id="merged-into-a-from-import",
    ),
    pytest.param(
        'from kubernetes.client import (\n    V1Pod,\n    V1Volume,\n)\nneeds("kubernetes.client", "models")\n',
        "from kubernetes.client import (\n    V1Pod,\n    V1Volume,\n    models,\n)\n"
        'needs("kubernetes.client", "models")\n',
        id="merged-into-a-parenthesized-from-import",
    ),
    pytest.param(
        'from kubernetes.client import V1Pod; x = 1\nneeds("kubernetes.client", "models")\n',
        "from kubernetes.client import V1Pod; x = 1\nfrom kubernetes.client import models\n"
        'needs("kubernetes.client", "models")\n',
        id="not-merged-into-a-line-of-two-statements",
    ),
    pytest.param(
        'import os\nneeds("pendulum")\nneeds("pendulum")\nneeds("numpy", None, "np")\n',
        'import os\nimport pendulum\nimport numpy as np\nneeds("pendulum")\nneeds("pendulum")\n'
        'needs("numpy", None, "np")\n',
        id="each-import-once-in-request-order",
    ),
]


@pytest.mark.parametrize(("source", "expected"), ADDED)
def test_added(source, expected):
    check(source, expected)


def test_two_rules_asking_for_the_same_import_add_it_once():
    check(
        'import os\nneeds("pendulum")\n',
        'import os\nimport pendulum\nneeds("pendulum")\n',
        rules=(NeedsImport, NeedsImportToo),
    )


@pytest.mark.parametrize(
    "source",
    [
        'import pendulum\nneeds("pendulum")\n',
        'try:\n    import pendulum\nexcept ImportError:\n    pendulum = None\nneeds("pendulum")\n',
        'from kubernetes.client import models as k8s\nneeds("kubernetes.client", "models", "k8s")\n',
        # the name is taken at module level by something else: the rule must pick another one
        'from mylib import k8s\nneeds("kubernetes.client", "models", "k8s")\n',
    ],
)
def test_nothing_added_when_the_module_binds_the_name(source):
    assert run(source, (NeedsImport,)) is None


def test_an_import_in_a_function_does_not_count():
    check(
        'def f():\n    import pendulum\nneeds("pendulum")\n',
        'import pendulum\ndef f():\n    import pendulum\nneeds("pendulum")\n',
    )


def test_a_module_without_statements_gets_nothing():
    plan = FileImports(ast.parse("# only a comment\n"), {})
    assert plan.add("pendulum", None, None) is None


REPLACED = [
    pytest.param(
        "import os\n# old API\nfrom m import old\nimport sys\n\nold()\n",
        "import os\n# old API\nfrom n import new\nimport sys\n\nnew()\n",
        id="in-place-of-the-removed-import-with-its-comment",
    ),
    pytest.param(
        "import os\nfrom m import old, keep\n\nold()\nkeep()\n",
        "import os\nfrom n import new\nfrom m import keep\n\nnew()\nkeep()\n",
        id="before-what-is-left-of-it",
    ),
    pytest.param(
        "from m import old\n\nold()\nold()\nprint(old)\n",
        "from m import old\nfrom n import new\n\nnew()\nnew()\nprint(old)\n",
        id="a-use-is-left-the-import-stays",
    ),
    pytest.param(
        "import os\nfrom m import old\nfrom n import other\n\nold()\n",
        "import os\nfrom n import other, new\n\nnew()\n",
        id="merging-comes-before-the-removed-place",
    ),
]


@pytest.mark.parametrize(("source", "expected"), REPLACED)
def test_added_in_place_of_a_removed_import(source, expected):
    check(source, expected, rules=(OldToNew,))


def test_removal_and_addition_by_several_fixes_of_two_rules():
    check(
        'import os\nfrom m import old\n\nold()\nneeds("n", "new")\n',
        'import os\nfrom n import new\n\nnew()\nneeds("n", "new")\n',
        rules=(OldToNew, NeedsImport),
    )


DROPPED = [
    pytest.param(
        'from m import a, b, c\nforget("a")\nforget_too("b")\n',
        'from m import c\nforget("a")\nforget_too("b")\n',
        id="two-rules-one-line",
    ),
    pytest.param(
        'import os\nfrom m import a, b\nforget("a")\nforget_too("b")\nforget_too("a")\n',
        'import os\nforget("a")\nforget_too("b")\nforget_too("a")\n',
        id="two-rules-the-whole-line-and-the-same-name-twice",
    ),
    pytest.param(
        'from m import a; from n import b, c\nforget("a")\nforget_too("b")\n',
        'from n import c\nforget("a")\nforget_too("b")\n',
        id="two-rules-two-statements-of-one-line",
    ),
    pytest.param(
        'import os; from m import a\nforget("a")\n',
        'import os\nforget("a")\n',
        id="the-last-statement-of-a-line",
    ),
    pytest.param(
        'import m.sub, os\nimport m\nforget("m")\n',
        'import os\nforget("m")\n',
        id="import-of-a-dotted-module-binds-its-head",
    ),
    pytest.param(
        'from m import (\n    a,  # a\n    b,  # b\n    c,  # c\n)\nforget("a")\n',
        'from m import (\n    b,  # b\n    c,  # c\n)\nforget("a")\n',
        id="parenthesized-first",
    ),
    pytest.param(
        'from m import (\n    a,  # a\n    b,  # b\n    c,  # c\n)\nforget("b")\n',
        'from m import (\n    a,  # a\n    c,  # c\n)\nforget("b")\n',
        id="parenthesized-middle",
    ),
    pytest.param(
        'from m import (\n    a,  # a\n    b,  # b\n    c,  # c\n)\nforget("c")\nforget_too("b")\n',
        'from m import (\n    a,  # a\n)\nforget("c")\nforget_too("b")\n',
        id="parenthesized-last-two-by-two-rules",
    ),
    pytest.param(
        'from m import (a, b)\nforget("b")\n',
        'from m import (a)\nforget("b")\n',
        id="parenthesized-on-one-line",
    ),
    pytest.param(
        'import os\n# about m\nfrom m import (\n    a,\n    b,\n)\nforget("a")\nforget_too("b")\n',
        'import os\n# about m\nforget("a")\nforget_too("b")\n',
        id="parenthesized-whole-its-comment-stays",
    ),
    pytest.param(
        'def f():\n    from m import a\n    return 1\nforget("a")\n',
        'def f():\n    return 1\nforget("a")\n',
        id="in-a-function",
    ),
    pytest.param(
        'def f():\n    # m\n    from m import a\nforget("a")\n',
        'def f():\n    # m\n    pass\nforget("a")\n',
        id="a-block-left-empty-keeps-pass",
    ),
    pytest.param(
        'import os\nif os: from m import a; from n import b\nforget("a")\nforget_too("b")\n',
        'import os\nif os: pass\nforget("a")\nforget_too("b")\n',
        id="a-suite-left-empty-keeps-pass",
    ),
]


@pytest.mark.parametrize(("source", "expected"), DROPPED)
def test_dropped_names(source, expected):
    check(source, expected, rules=(Forget, ForgetToo))


def test_each_rule_drops_only_its_names():
    source = 'from m import a, b, c\nforget("a")\nforget_too("b")\n'
    assert run(source, (Forget,)) == 'from m import b, c\nforget("a")\nforget_too("b")\n'
    assert run(source, (ForgetToo,)) == 'from m import a, c\nforget("a")\nforget_too("b")\n'
    source = 'from m import a; from n import b\nforget("a")\nforget_too("b")\n'
    assert run(source, (ForgetToo,)) == 'from m import a\nforget("a")\nforget_too("b")\n'


def test_one_rewrite_per_line_holding_the_names_asked_so_far():
    tree = ast.parse("from m import a, b; import c\n")
    plan = FileImports(tree, {})
    first, second = tree.body
    (one,) = plan.remove(first, {"a"})
    assert plan.remove(first, {"a"}) == [one]  # nothing new asked of the line
    (two,) = plan.remove(second, {"c"})
    assert two is not one and two.node is first  # the line's Rewrite, at its first statement
    assert plan.remove(first, {"x"}) == []  # a name the statement does not bind
    assert plan.removed_statements == [first]


def test_a_line_that_goes_hands_the_lines_above_it_to_the_next_statement():
    source = "import os\n# m\nfrom m import a\nx = 1\n"
    tree = ast.parse(source)
    plan = FileImports(tree, {}, source.encode().splitlines(keepends=True))
    removal, carried = plan.remove(tree.body[1], {"a"})
    assert removal.node is tree.body[1] and carried.node is tree.body[2]
    fresh = FileImports(tree, {}, source.encode().splitlines(keepends=True))
    assert len(fresh.remove(tree.body[0], {"os"})) == 1  # nothing above the first line


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            'import os\n# about m\nfrom m import a\nimport sys\nforget("a")\nneeds("n", "new")\n',
            'import os\n# about m\nfrom n import new\nimport sys\nforget("a")\nneeds("n", "new")\n',
            id="a-dropped-line-gives-its-comments-to-the-addition",
        ),
        pytest.param(
            '# m and n\nfrom m import a; from n import b\nforget("a")\nforget_too("b")\nneeds("p")\n',
            '# m and n\nimport p\nforget("a")\nforget_too("b")\nneeds("p")\n',
            id="a-line-of-two-dropped-statements",
        ),
        pytest.param(
            '# about m\nfrom m import a, b\nforget("a")\nneeds("p")\n',
            '# about m\nimport p\nfrom m import b\nforget("a")\nneeds("p")\n',
            id="before-what-is-left-of-the-line",
        ),
        pytest.param(
            'import os\ndef f():\n    from m import a\n    return 1\nforget("a")\nneeds("p")\n',
            'import os\nimport p\ndef f():\n    return 1\nforget("a")\nneeds("p")\n',
            id="a-line-in-a-function-is-no-place-for-it",
        ),
    ],
)
def test_added_in_place_of_a_dropped_line(source, expected):
    check(source, expected, rules=(Forget, ForgetToo, NeedsImport))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "from m import old\n\nold()\ndef f():\n    return old\n",
            "from m import old\nfrom n import new\n\nnew()\ndef f():\n    return old\n",
            id="read-in-a-function",
        ),
        pytest.param(
            "from m import old, other\n\nold()\nold.x\n",
            "from m import old, other\nfrom n import new\n\nnew()\nold.x\n",
            id="read-through-an-attribute",
        ),
        pytest.param(
            'from m import old, b\n\nforget("b")\nold()\nprint(old)\n',
            'from n import new\nfrom m import old\n\nforget("b")\nnew()\nprint(old)\n',
            id="another-rule-drops-another-name-of-the-line-first",
        ),
    ],
)
def test_a_name_read_elsewhere_stays(source, expected):
    check(source, expected, rules=(OldToNew, Forget))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            '\ufeffimport os\n\n# about m\nfrom m import a\nimport sys\nforget("a")\n',
            '\ufeffimport os\n\n# about m\nimport sys\nforget("a")\n',
            id="to-the-next-statement",
        ),
        pytest.param(
            '\ufeffimport os\n# m\nfrom m import a\n# n\nfrom n import b\nx = 1\nforget("a")\nforget_too("b")\n',
            '\ufeffimport os\n# m\n# n\nx = 1\nforget("a")\nforget_too("b")\n',
            id="over-two-dropped-lines",
        ),
        pytest.param(
            '\ufeffimport os\n# m\nfrom m import a\nimport sys\nforget("a")\nneeds("p")\n',
            '\ufeffimport os\n# m\nimport p\nimport sys\nforget("a")\nneeds("p")\n',
            id="or-to-the-import-added-in-its-place",
        ),
    ],
)
def test_the_lines_above_a_dropped_line_stay_when_the_whole_file_is_parsed(source, expected):
    # a BOM makes the engine parse the whole file: the comments are the dropped line's own
    check(source, expected, rules=(Forget, ForgetToo, NeedsImport))
