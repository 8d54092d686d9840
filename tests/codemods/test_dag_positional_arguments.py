import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics

HEAD = "from airflow import DAG\nimport airflow\n"

FIXED = [
    # (source, target 2, target 3)
    (
        "d = DAG('x', 'nightly', '@daily')\n",
        "d = DAG('x', description='nightly', schedule_interval='@daily')\n",
        "d = DAG('x', description='nightly', schedule='@daily')\n",
    ),
    (
        "with airflow.DAG(\n    'x',\n    'catchup=False',\n    default_args=args,\n) as dag:\n    pass\n",
        "with airflow.DAG(\n    'x',\n    description='catchup=False',\n    default_args=args,\n) as dag:\n    pass\n",
        "with airflow.DAG(\n    'x',\n    description='catchup=False',\n    default_args=args,\n) as dag:\n    pass\n",
    ),
    # 1.10's fourth parameter is start_date (2.11's is schedule_interval)
    (
        "d = DAG('x', None, '@daily', start)\n",
        "d = DAG('x', description=None, schedule_interval='@daily', start_date=start)\n",
        "d = DAG('x', description=None, schedule='@daily', start_date=start)\n",
    ),
]


@pytest.mark.parametrize(("source", "on_2", "on_3"), FIXED)
def test_fixed(source, on_2, on_3):
    check_transformed(HEAD + source, HEAD + on_2, target="2", select=["AU153"])
    check_transformed(HEAD + source, HEAD + on_3, target="3", select=["AU153"])


NOT_FIXED = [
    "d = DAG('x')\n",
    "d = DAG('x', schedule_interval='@daily')\n",
    "d = DAG(*args)\n",
    "d = DAG('x', *rest)\n",
    "from mylib import DAG as Mine\nd = Mine('x', 'y')\n",
    "from airflow.decorators import dag\n@dag('x', 'y')\ndef f():\n    pass\n",
]


@pytest.mark.parametrize("source", NOT_FIXED)
def test_not_fixed(source):
    check_noop(HEAD + source, target="3", select=["AU153"])


def test_keyword_given_twice_reported_without_fix():
    src = HEAD + "d = DAG('x', 'desc', description='other')\n"
    check_noop(src, target="3", select=["AU153"])
    (d,) = diagnostics(src, target="3", select=["AU153"])
    assert (d.line, d.col, d.fix) == (3, 14, None)
    assert "description" in d.message
