import ast

import libcst as cst
import pytest

from codemods.apply_defaults import _decorator_line, _without_decorators
from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_decorator_and_import_removed():
    check_transformed(
        """\
        from airflow.models import BaseOperator
        from airflow.utils.decorators import apply_defaults


        class MyOperator(BaseOperator):
            @apply_defaults
            def __init__(self, x, **kwargs):
                super().__init__(**kwargs)
        """,
        """\
        from airflow.models import BaseOperator


        class MyOperator(BaseOperator):
            def __init__(self, x, **kwargs):
                super().__init__(**kwargs)
        """,
        select=["AU140"],
    )


def test_from_airflow_utils_and_alias():
    check_transformed(
        """\
        from airflow.utils import apply_defaults as ad
        class A(Sensor):
            @ad
            def __init__(self): pass
        """,
        """\
        class A(Sensor):
            def __init__(self): pass
        """,
        select=["AU140"],
        target="3",
    )


def test_module_attribute_form_drops_module_import():
    check_transformed(
        """\
        from airflow.utils import decorators
        class A(B):
            @decorators.apply_defaults
            def __init__(self): pass
        """,
        """\
        class A(B):
            def __init__(self): pass
        """,
        select=["AU140"],
    )


def test_import_airflow_utils_decorators():
    check_transformed(
        """\
        import airflow.utils.decorators
        class A(B):
            @airflow.utils.decorators.apply_defaults
            def __init__(self): pass
        """,
        """\
        class A(B):
            def __init__(self): pass
        """,
        select=["AU140"],
    )


def test_import_airflow_utils_decorators_with_other_airflow_uses_is_reported_at_3():
    source = """\
        import airflow.utils.decorators
        class A(B):
            @airflow.utils.decorators.apply_defaults
            def __init__(self): pass
        x = airflow.settings
        """
    check_transformed(
        source,
        """\
        import airflow.utils.decorators
        class A(B):
            def __init__(self): pass
        x = airflow.settings
        """,
        select=["AU140"],
    )
    found = diagnostics(source, target="3", select=["AU140"])
    assert [(d.line, d.message) for d in found if d.fix is None] == [
        (1, "`airflow.utils.decorators` is gone in Airflow 3.0: import `airflow` itself instead")
    ]


def test_other_names_of_the_import_stay():
    check_transformed(
        """\
        from airflow.utils.decorators import apply_defaults, other
        class A(B):
            @apply_defaults
            @other
            def __init__(self): pass
        """,
        """\
        from airflow.utils.decorators import other
        class A(B):
            @other
            def __init__(self): pass
        """,
        select=["AU140"],
    )


def test_parenthesized_import_keeps_layout():
    check_transformed(
        """\
        from airflow.utils.decorators import (
            other,
            apply_defaults,
        )
        class A(B):
            @apply_defaults
            def __init__(self): other()
        """,
        """\
        from airflow.utils.decorators import (
            other,
        )
        class A(B):
            def __init__(self): other()
        """,
        select=["AU140"],
    )


def test_comment_above_removed_decorator_stays():
    check_transformed(
        """\
        from airflow.utils.decorators import apply_defaults
        class A(B):
            # the operator
            @apply_defaults
            # its init
            @staticmethod_like
            def __init__(self): pass
        """,
        """\
        class A(B):
            # the operator
            # its init
            @staticmethod_like
            def __init__(self): pass
        """,
        select=["AU140"],
    )


def test_comment_between_removed_decorator_and_def_stays():
    check_transformed(
        """\
        from airflow.utils.decorators import apply_defaults
        class A(B):
            @apply_defaults
            # its init
            def __init__(self): pass
        """,
        """\
        class A(B):
            # its init
            def __init__(self): pass
        """,
        select=["AU140"],
    )


def test_several_operators_in_one_file_and_nested_in_a_block():
    check_transformed(
        """\
        import os
        from airflow.utils.decorators import apply_defaults

        if os.environ:
            class A(B):
                @apply_defaults
                def __init__(self):
                    pass

        class C(B):
            template_fields = ()

            @apply_defaults
            def __init__(self):
                pass
        """,
        """\
        import os

        if os.environ:
            class A(B):
                def __init__(self):
                    pass

        class C(B):
            template_fields = ()

            def __init__(self):
                pass
        """,
        select=["AU140"],
    )


def test_other_use_keeps_import_and_is_reported_at_3():
    source = """\
        from airflow.utils.decorators import apply_defaults
        class A(B):
            @apply_defaults
            def __init__(self): pass
        wrapped = apply_defaults(f)
        """
    check_transformed(
        source,
        """\
        from airflow.utils.decorators import apply_defaults
        class A(B):
            def __init__(self): pass
        wrapped = apply_defaults(f)
        """,
        select=["AU140"],
        target="3",
    )
    found = diagnostics(source, target="3", select=["AU140"])
    assert [(d.line, d.fix, d.message) for d in found] == [
        (
            1,
            None,
            "`airflow.utils.decorators.apply_defaults` is gone in Airflow 3.0, and the file still uses it "
            "(line 5): remove those uses, then the import",
        ),
        (
            3,
            "safe",
            "`@apply_defaults` is not needed since Airflow 2.0 (BaseOperator's metaclass applies it "
            "to `__init__`) and is gone in Airflow 3.0: remove it",
        ),
    ]


def test_not_an_init_is_reported_not_fixed():
    source = """\
        from airflow.utils.decorators import apply_defaults
        @apply_defaults
        def make(**kwargs): pass
        """
    check_noop(source, select=["AU140"], target="3")
    found = diagnostics(source, target="3", select=["AU140"])
    assert [(d.line, d.fix) for d in found] == [(1, None), (2, None)]


def test_guarded_import_left_alone():
    check_noop(
        """\
        try:
            from airflow.utils.decorators import apply_defaults
        except ImportError:
            def apply_defaults(f):
                return f
        class A(B):
            @apply_defaults
            def __init__(self): pass
        """,
        select=["AU140"],
        target="3",
    )


def test_other_apply_defaults_untouched():
    check_noop(
        """\
        from mylib import apply_defaults
        class A(B):
            @apply_defaults
            def __init__(self): pass
        """,
        target="3",
    )


def test_au102_quiet_and_whole_fix_at_3():
    check_transformed(
        """\
        from airflow.models import BaseOperator
        from airflow.utils.decorators import apply_defaults
        class A(BaseOperator):
            @apply_defaults
            def __init__(self, **kwargs):
                super(A, self).__init__(**kwargs)
        """,
        """\
        from airflow.sdk import BaseOperator
        class A(BaseOperator):
            def __init__(self, **kwargs):
                super(A, self).__init__(**kwargs)
        """,
        target="3",
    )
    found = diagnostics(
        """\
        from airflow.utils.decorators import apply_defaults
        class A(B):
            @apply_defaults
            def __init__(self): pass
        """,
        target="3",
    )
    assert [d.code for d in found] == ["AU140"]


def test_init_of_a_plain_object_class_is_reported_not_fixed():
    source = """\
        from airflow.utils.decorators import apply_defaults
        class Helper(object):
            @apply_defaults
            def __init__(self): pass
        """
    check_noop(source, select=["AU140"], target="3")
    assert [(d.line, d.fix) for d in diagnostics(source, target="3", select=["AU140"])] == [
        (1, None),
        (3, None),
    ]


def test_unused_import_goes_without_a_finding_of_its_own():
    source = """\
        import os; from airflow.utils.decorators import apply_defaults
        x = 1
        """
    assert diagnostics(source, select=["AU140"]) == []
    check_transformed(source, "import os\nx = 1\n", select=["AU140"])


def test_an_import_left_alone_in_a_block_becomes_pass():
    # (the import service keeps the block valid; the rule's own code left the file unchanged)
    check_transformed(
        """\
        import os
        if os.environ: from airflow.utils.decorators import apply_defaults
        def f():
            from airflow.utils.decorators import apply_defaults
        """,
        """\
        import os
        if os.environ: pass
        def f():
            pass
        """,
        select=["AU140"],
    )


def test_parenthesized_import_keeps_the_comment_of_each_name():
    check_transformed(
        """\
        from airflow.utils.decorators import (
            other,  # other
            apply_defaults,  # gone
        )
        class A(B):
            @apply_defaults
            def __init__(self): other()
        """,
        """\
        from airflow.utils.decorators import (
            other,  # other
        )
        class A(B):
            def __init__(self): other()
        """,
        select=["AU140"],
    )


# (the decorators of one __init__, whether each decorator's line is deleted as a byte edit)
DECORATOR_LAYOUTS = [
    ("    @apply_defaults\n", True),
    ("    @apply_defaults  # needed on 1.10\n", True),
    ("    # 1.10 needs it\n    @apply_defaults\n", True),
    ("    @ apply_defaults\n", True),
    ("    @other\n    @apply_defaults\n    @another\n", True),
    ("    @apply_defaults\n\n", True),
    ("    @(apply_defaults)\n", False),
    ("    @apply_defaults \\\n\n", False),
]


@pytest.mark.parametrize(("decorators", "by_edit"), DECORATOR_LAYOUTS)
def test_decorator_line_deletion_prints_what_the_libcst_rewrite_prints(decorators, by_edit):
    source = (
        "from airflow.utils.decorators import apply_defaults\n"
        "class A(BaseOperator):\n"
        f"{decorators}"
        "    def __init__(self, **kwargs):\n"
        "        super().__init__(**kwargs)\n"
    )
    tree = ast.parse(source)
    function = next(node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef))
    index = next(i for i, d in enumerate(function.decorator_list) if "apply_defaults" in ast.dump(d))
    lines = source.encode().splitlines(keepends=True)
    edit = _decorator_line(lines, function.decorator_list[index])
    assert (edit is not None) == by_edit
    if edit is None:
        return
    lines[edit.line - 1] = b""
    module = cst.parse_module(source)

    class Apply(cst.CSTTransformer):
        def leave_FunctionDef(self, original, updated):
            return _without_decorators(frozenset({index}))(updated)

    assert b"".join(lines).decode() == module.visit(Apply()).code
