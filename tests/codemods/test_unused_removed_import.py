"""AU104: an import of a removed name the file never uses goes (found in AU101's walk)."""

import pytest

from tests.codemods.helpers import check_noop, diagnostics


def test_removed_name_in_all_is_kept():
    check_noop(
        """\
        from airflow.utils.dates import round_time
        __all__ = ["round_time"]
        """,
        target="3",
        select=["AU101", "AU104"],
    )


def test_unused_removed_name_reported_in_check_mode():
    found = diagnostics("from airflow.utils.dates import days_ago\n", target="3")
    assert [(d.code, d.fix) for d in found] == [("AU104", "safe")]


@pytest.mark.parametrize(
    "use",
    [
        # read after the loop: the import when the range is empty
        "for days_ago in range(n):\n    pass\nprint(days_ago)\n",
        # a function reads the global at call time, whatever the loop left
        "for days_ago in range(3):\n    def f():\n        return days_ago\n",
        # the body binds the name otherwise
        "for days_ago in range(3):\n    from airflow.utils.dates import days_ago\n    print(days_ago)\n",
        "print(days_ago)\nfor days_ago in range(3):\n    pass\n",
        "def f(x=days_ago):\n    days_ago = 1\n",
        "[days_ago for x in days_ago]\n",
        "def f():\n    global days_ago\n    days_ago = 2\n    return days_ago\n",
    ],
)
def test_days_ago_read_otherwise_is_reported_at_its_import(use):
    found = diagnostics("from airflow.utils.dates import days_ago\n" + use, target="3")
    assert [(d.code, d.line) for d in found if d.line == 1] == [("AU102", 1)], found
    assert "AU104" not in {d.code for d in found}, found
    assert (
        diagnostics("from airflow.utils.dates import days_ago\nx = days_ago(1)\n", target="3")[0].code
        == "AU305"
    )
