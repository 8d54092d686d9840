"""Bridge mode's compat helper calls (codemods/_compat_calls.py): a fix that 1.10.15 and the target
cannot share is written as `**helper(...)` of the vendored compat package, whose import goes after
the file's first block of imports, from the package the settings name; closing the bridge drops
the import once nothing uses it."""

import pytest

from codemods._compat_calls import add_helper_imports, drop_unused_helper_imports
from tests.codemods.helpers import check_transformed, run_fix

KPO_1_10 = "from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator\n"
KPO_PAIR = """\
try:
    from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
except ImportError:  # Airflow 1.10
    from airflow.contrib.operators.kubernetes_pod_operator import KubernetesPodOperator
"""


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            '"""Doc."""\nimport os\n\nx = 1\n',
            '"""Doc."""\nimport os\nfrom compat.operators import pod_resources\n\nx = 1\n',
            id="after-the-imports",
        ),
        pytest.param(
            "try:\n    import a\nexcept ImportError:\n    import b\nimport c  # c\nx = 1\nimport d\n",
            "try:\n    import a\nexcept ImportError:\n    import b\nimport c  # c\n"
            "from compat.operators import pod_resources\nx = 1\nimport d\n",
            id="guarded-pairs-count-later-imports-do-not",
        ),
        pytest.param(
            '"""Doc."""\nx = 1\n',
            '"""Doc."""\nfrom compat.operators import pod_resources\nx = 1\n',
            id="after-the-docstring",
        ),
        pytest.param(
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nx = 1\n",
            "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom compat.operators import pod_resources\nx = 1\n",
            id="after-the-top-comments",
        ),
        pytest.param(
            "import os\r\nx = 1\r\n",
            "import os\r\nfrom compat.operators import pod_resources\r\nx = 1\r\n",
            id="crlf",
        ),
        pytest.param(
            "import os\nfrom compat.operators import pod_resources\n",
            "import os\nfrom compat.operators import pod_resources\n",
            id="already-imported",
        ),
    ],
)
def test_helper_import_placement(source, expected):
    wanted = {("compat.operators", "pod_resources")}
    assert add_helper_imports(source.encode(), wanted) == expected.encode()


def test_one_statement_per_module_in_order():
    wanted = {("compat.operators", "pod_resources"), ("compat.dag", "schedule_argument")}
    assert add_helper_imports(b"import os\n", wanted) == (
        b"import os\nfrom compat.dag import schedule_argument\nfrom compat.operators import pod_resources\n"
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param(
            "import os\nfrom compat.operators import pod_resources\nx = 1\n",
            "import os\nx = 1\n",
            id="unused",
        ),
        pytest.param(
            "from compat.operators import pod_resources\nx = pod_resources\n",
            "from compat.operators import pod_resources\nx = pod_resources\n",
            id="still-used",
        ),
        pytest.param(
            "from compat.operators import pod_resources, KubernetesPodOperator\n",
            "from compat.operators import pod_resources, KubernetesPodOperator\n",
            id="not-only-helpers",
        ),
        pytest.param(
            "from other.operators import pod_resources\n",
            "from other.operators import pod_resources\n",
            id="another-package",
        ),
    ],
)
def test_closing_drops_unused_helper_imports(source, expected):
    assert drop_unused_helper_imports(source.encode(), "compat") == expected.encode()


def test_the_package_comes_from_the_options():
    check_transformed(
        KPO_1_10 + 'p = KubernetesPodOperator(task_id="p", resources={"limit_cpu": "1"})\n',
        KPO_PAIR
        + "from dag_compat.operators import pod_resources\n"
        + 'p = KubernetesPodOperator(task_id="p", **pod_resources(limit_cpu="1"))\n',
        target="2",
        bridge=True,
        compat_package="dag_compat",
    )


@pytest.mark.parametrize(
    "binding",
    [
        "def pod_resources(): pass\n",
        "pod_resources = {}\n",
        "from mylib import pod_resources\n",
        "def f(pod_resources): pass\n",
    ],
)
def test_a_name_the_file_binds_otherwise_is_not_shadowed(binding):
    source = KPO_1_10 + binding + 'p = KubernetesPodOperator(task_id="p", resources={"limit_cpu": "1"})\n'
    _, result = run_fix(source, target="2", bridge=True)
    assert b'resources={"limit_cpu": "1"}' in result.new_source and b"compat" not in result.new_source
    (finding,) = [d for d in result.diagnostics if "resources" in d.message]
    assert not finding.applied and "`pod_resources` is bound to something else" in finding.message
