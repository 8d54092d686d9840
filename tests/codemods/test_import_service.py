"""The import service (codemods/_import_service.py), byte-exact, through the real engine: small
rules of this file ask it for imports the way AU305 and AU120/AU121 do."""

from __future__ import annotations

import ast
import textwrap

import pytest

from codemods._base import Edit, Finding, Fix, Rule
from codemods._context import RunOptions
from codemods._import_service import FileImports, add_import, remove_import_if_unused
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
