import pytest

from tests.codemods.helpers import check_noop, check_transformed, diagnostics

HEAD = "from airflow import DAG\n"

FIXED = [
    (
        "d = DAG('x', default_view='graph', orientation='TB', catchup=False)\n",
        "d = DAG('x', catchup=False)\n",
    ),
    (
        "with DAG(\n    'x',\n    schedule='@daily',\n    default_view='graph',\n) as dag:\n    pass\n",
        "with DAG(\n    'x',\n    schedule='@daily',\n) as dag:\n    pass\n",
    ),
    # a DAG subclass hands them to DAG.__init__
    (
        "class Mine(DAG):\n    def __init__(self, dag_id, **kw):\n"
        "        super().__init__(dag_id, orientation='LR', **kw)\n",
        "class Mine(DAG):\n    def __init__(self, dag_id, **kw):\n        super().__init__(dag_id, **kw)\n",
    ),
]


@pytest.mark.parametrize(("source", "expected"), FIXED)
def test_fixed(source, expected):
    check_transformed(HEAD + source, HEAD + expected, target="3", select=["AU309"])


def test_only_on_3_and_only_dags():
    check_noop(HEAD + "d = DAG('x', default_view='graph')\n", target="2", select=["AU3"])
    check_noop(HEAD + "x = Panel(default_view='graph', orientation='TB')\n", target="3", select=["AU309"])
    # a mixin's __init__ may come first in the MRO: not provably DAG's
    src = (
        HEAD + "class Mine(Mixin, DAG):\n    def __init__(self, **kw):\n"
        "        super().__init__(orientation='LR', **kw)\n"
    )
    check_noop(src, target="3", select=["AU309"])


def test_message_and_no_au401_duplicate():
    src = HEAD + "d = DAG('x', default_view='graph')\n"
    (d,) = diagnostics(src, target="3", select=["AU309", "AU401"])
    assert (d.code, d.line, d.col, d.fix) == ("AU309", 2, 14, "safe")
    assert "removed in Airflow 3.0" in d.message
