"""codemods/_dag_wrappers.py: a company `DAG` proven, from its source in the DAG repo, to hand
keyword arguments on to Airflow's DAG; the DAG-argument renames are then safe fixes."""

from __future__ import annotations

import textwrap

import pytest

from codemods._context import RunOptions
from codemods._targets import parse_target
from upgrade.engine import process_source
from upgrade.registry import select_rules

CALL = """\
from company_airflow import DAG

with DAG("a", schedule_interval="@daily", concurrency=4) as dag:
    pass
"""

FORWARDS_DEFAULTS = """\
import airflow

DEFAULTS = {"default_args": {"owner": "data"}, "catchup": False}


def _merge(default, given):
    return dict(default, **given) if isinstance(given, dict) else given


def DAG(dag_id, **kwargs):
    for key, value in DEFAULTS.items():
        if key in kwargs:
            kwargs[key] = _merge(value, kwargs[key])
        else:
            kwargs[key] = value
    return airflow.DAG(dag_id, **kwargs)
"""


def _fix_safety(tmp_path, wrapper: str | None, *, call: str = CALL, where: str = "plugins", codes=("AU301",)):
    """The fix safety of each finding in dags/dag.py, the wrapper module written to `where`."""
    if wrapper is not None:
        package = tmp_path / where / "company_airflow"
        package.mkdir(parents=True, exist_ok=True)
        (package / "__init__.py").write_text(textwrap.dedent(wrapper))
    dag = tmp_path / "dags" / "dag.py"
    dag.parent.mkdir(exist_ok=True)
    dag.write_text(textwrap.dedent(call))
    target = parse_target("3")
    result = process_source(
        str(dag), dag.read_bytes(), select_rules(target, list(codes)), RunOptions(target, fix=True)
    )
    assert result.error is None, result.error
    return [(d.code, d.fix, d.applied) for d in result.diagnostics], result


@pytest.mark.parametrize(
    ("wrapper", "proven"),
    [
        (FORWARDS_DEFAULTS, True),
        (
            "import airflow\ndef DAG(dag_id, **kw):\n    kw.setdefault('catchup', False)\n    return airflow.DAG(dag_id, **kw)\n",
            True,
        ),
        (
            "from airflow import DAG as AirflowDAG\ndef DAG(*args, **kw):\n    return AirflowDAG(*args, **kw)\n",
            True,
        ),
        (
            "from airflow import DAG as AirflowDAG\ndef DAG(dag_id, **kw):\n    return AirflowDAG(dag_id, **kw)\n",
            True,
        ),
        (
            "from airflow.models import DAG as D\nK = {'a': 1}\ndef DAG(i, **kw):\n    for k in K:\n        kw.pop(k, None)\n    return D(i, **kw)\n",
            True,
        ),
        (
            "from airflow.models import DAG as D\nK = {'a': 1}\ndef DAG(i, **kw):\n    for k in K.keys():\n        kw[k] = 1\n    return D(i, **kw)\n",
            True,
        ),
        # the wrapper reads, sets or takes a name the fix changes
        (
            "import airflow\ndef DAG(i, **kw):\n    kw['schedule_interval'] = '@daily'\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, **kw):\n    print(kw.get('schedule_interval'))\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, **kw):\n    if 'schedule' in kw:\n        pass\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, schedule_interval=None, **kw):\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, schedule=None, **kw):\n    return airflow.DAG(i, schedule=schedule, **kw)\n",
            False,
        ),
        ("import airflow\ndef DAG(i, **kw):\n    return airflow.DAG(i, schedule='@daily', **kw)\n", False),
        (
            "import airflow\nD = {'schedule_interval': '@daily'}\ndef DAG(i, **kw):\n    for k, v in D.items():\n        kw.setdefault(k, v)\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        # kwargs escapes, or the keys are not known
        ("import airflow\ndef DAG(i, **kw):\n    log(kw)\n    return airflow.DAG(i, **kw)\n", False),
        ("import airflow\ndef DAG(i, **kw):\n    kw.update(EXTRA)\n    return airflow.DAG(i, **kw)\n", False),
        ("import airflow\ndef DAG(i, **kw):\n    kw = dict(kw)\n    return airflow.DAG(i, **kw)\n", False),
        (
            "import airflow\ndef DAG(i, **kw):\n    def later():\n        return kw\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, **kw):\n    locals()['kw'] = {}\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        ("import airflow\ndef DAG(i, key, **kw):\n    kw[key] = 1\n    return airflow.DAG(i, **kw)\n", False),
        (
            "import airflow\nD = {'a': 1}\ndef DAG(i, **kw):\n    for k in D:\n        k = k.upper()\n        kw[k] = 1\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\nD = {'a': 1}\nD['schedule_interval'] = 1\ndef DAG(i, **kw):\n    for k in D:\n        kw[k] = D[k]\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\nD = {'a': 1, **OTHER}\ndef DAG(i, **kw):\n    for k in D:\n        kw[k] = D[k]\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\nD = {'a': 1}\ndef DAG(i, **kw):\n    for pair in D.items():\n        kw[pair] = 1\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        # not a call of Airflow's DAG, or not one definition
        ("def DAG(i, **kw):\n    return make_dag(i, **kw)\n", False),
        (
            "import airflow\ndef DAG(i, **kw):\n    if i:\n        return None\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow, functools\n@functools.wraps(airflow.DAG)\ndef DAG(i, **kw):\n    return airflow.DAG(i, **kw)\n",
            False,
        ),
        (
            "import airflow\ndef DAG(i, **kw):\n    return airflow.DAG(i, **kw)\nif FLAG:\n    DAG = airflow.DAG\n",
            False,
        ),
        # a subclass of Airflow's DAG that keeps its constructor
        ("import airflow\nclass DAG(airflow.DAG):\n    def tag(self):\n        return 1\n", True),
        (
            "import airflow\nclass DAG(airflow.DAG):\n    def __init__(self, *a, **kw):\n        super().__init__(*a, **kw)\n",
            False,
        ),
        ("import airflow\nclass DAG(airflow.DAG, Mixin):\n    pass\n", False),
    ],
)
def test_wrapper_proven_or_not(tmp_path, wrapper, proven):
    found, _ = _fix_safety(tmp_path, wrapper)
    assert found == [("AU301", "safe" if proven else "unsafe", proven)]


def test_proven_wrapper_renames_byte_exact_and_says_where_it_is_defined(tmp_path):
    found, result = _fix_safety(tmp_path, FORWARDS_DEFAULTS, codes=("AU301", "AU302", "AU304"))
    assert found == [("AU304", "unsafe", False), ("AU301", "safe", True), ("AU302", "safe", True)]
    assert result.new_source.decode() == CALL.replace("schedule_interval=", "schedule=").replace(
        "concurrency=", "max_active_tasks="
    )
    message = next(d.message for d in result.diagnostics if d.code == "AU301")
    assert f"its definition at {tmp_path}/plugins/company_airflow/__init__.py:10 hands them on" in message
    # the result depends on the wrapper's file: a cached result is recomputed when it changes
    assert str(tmp_path / "plugins" / "company_airflow" / "__init__.py") in result.dependencies


def test_wrapper_in_the_dag_folder_and_beside_it(tmp_path):
    assert _fix_safety(tmp_path, FORWARDS_DEFAULTS, where="dags")[0] == [("AU301", "safe", True)]
    # a module found in two places of Airflow's path is ambiguous
    (tmp_path / "plugins" / "company_airflow").mkdir(parents=True)
    (tmp_path / "plugins" / "company_airflow" / "__init__.py").write_text("DAG = object\n")
    dag = tmp_path / "dags" / "dag.py"
    target = parse_target("3")
    result = process_source(
        str(dag), dag.read_bytes(), select_rules(target, ["AU301"]), RunOptions(target, fix=True)
    )
    assert [(d.fix, d.applied) for d in result.diagnostics] == [("unsafe", False)]


def test_wrapper_defined_in_the_dag_file(tmp_path):
    call = FORWARDS_DEFAULTS + "\n\nwith DAG('a', schedule_interval='@daily') as dag:\n    pass\n"
    found, result = _fix_safety(tmp_path, None, call=call)
    assert found == [("AU301", "safe", True)]
    assert result.new_source.decode() == call.replace("schedule_interval=", "schedule=")


@pytest.mark.parametrize(
    "content",
    [
        b"def DAG(:\n",
        b"# -*- coding: no-such-codec -*-\nimport airflow\n",
        b"import airflow\nx = '\xff'\n",
        b"import airflow\x00\n",
        b"x = " + b"(" * 300 + b")" * 300 + b"\n",
    ],
)
def test_wrapper_that_python_cannot_import_stays_unsafe(tmp_path, content):
    package = tmp_path / "plugins" / "company_airflow"
    package.mkdir(parents=True)
    (package / "__init__.py").write_bytes(content)
    assert _fix_safety(tmp_path, None)[0] == [("AU301", "unsafe", False)]


def test_wrapper_not_found_stays_unsafe(tmp_path):
    assert _fix_safety(tmp_path, None)[0] == [("AU301", "unsafe", False)]


@pytest.mark.parametrize(
    ("defaults", "safety"),
    [
        ('{"default_args": {"owner": "data"}}', "safe"),
        ('{"catchup": False}', "unsafe"),  # the wrapper gives catchup its own default
    ],
)
def test_catchup_from_airflow_cfg_is_safe_through_a_wrapper_that_leaves_it(tmp_path, defaults, safety):
    wrapper = FORWARDS_DEFAULTS.replace('{"default_args": {"owner": "data"}, "catchup": False}', defaults)
    package = tmp_path / "plugins" / "company_airflow"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(wrapper)
    dag = tmp_path / "dags" / "dag.py"
    dag.parent.mkdir()
    dag.write_text('from company_airflow import DAG\ndag = DAG("a", schedule_interval="@daily")\n')
    target = parse_target("3")
    options = RunOptions(
        target, fix=True, catchup_by_default=True, catchup_source="[scheduler] catchup_by_default = True"
    )
    result = process_source(str(dag), dag.read_bytes(), select_rules(target, ["AU304"]), options)
    assert [(d.code, d.fix, d.applied) for d in result.diagnostics] == [("AU304", safety, safety == "safe")]
    if safety == "safe":
        assert result.new_source == dag.read_bytes().replace(b'"@daily")', b'"@daily", catchup=True)')
        assert "hands them on to Airflow's DAG unchanged" in result.diagnostics[0].message


@pytest.mark.parametrize(
    ("init", "proven"),
    [
        ("from .factory import DAG\n", True),
        ("from company_airflow.factory import DAG\n", True),
        ("from .factory import make_dag as DAG\n", False),  # factory.py has no make_dag
        ("from . import DAG\n", False),  # itself: no definition
        ("try:\n    from .factory import DAG\nexcept ImportError:\n    DAG = None\n", False),
    ],
)
def test_a_package_reexporting_the_wrapper_is_followed(tmp_path, init, proven):
    package = tmp_path / "plugins" / "company_airflow"
    package.mkdir(parents=True)
    (package / "factory.py").write_text(FORWARDS_DEFAULTS)
    found, result = _fix_safety(tmp_path, init)
    assert found == [("AU301", "safe" if proven else "unsafe", proven)]
    if proven:
        assert f"{package}/factory.py:10 hands them on" in result.diagnostics[0].message
        assert {str(package / "__init__.py"), str(package / "factory.py")} <= set(result.dependencies)


@pytest.mark.parametrize(
    "call",
    [
        "import company_airflow\nwith company_airflow.DAG('a', schedule_interval='@daily') as dag:\n    pass\n",
        "import company_airflow as c\nwith c.DAG('a', schedule_interval='@daily') as dag:\n    pass\n",
    ],
)
def test_wrapper_called_through_its_module(tmp_path, call):
    found, result = _fix_safety(tmp_path, FORWARDS_DEFAULTS, call=call)
    assert found == [("AU301", "safe", True)]
    assert result.new_source.decode() == call.replace("schedule_interval=", "schedule=")
