import pytest

from codemods._subdag_plan import group_id_source
from tests.codemods.helpers import check_noop, check_transformed, diagnostics, run_fix

SRC = """\
from airflow.operators.subdag_operator import SubDagOperator
from airflow.executors.sequential_executor import SequentialExecutor
s = SubDagOperator(
    task_id="section",
    subdag=sub,
    executor=SequentialExecutor(),
)
"""


def test_executor_removal_is_unsafe_only():
    check_noop(SRC, select=["AU131"])
    check_transformed(
        SRC,
        """\
from airflow.operators.subdag_operator import SubDagOperator
from airflow.executors.sequential_executor import SequentialExecutor
s = SubDagOperator(
    task_id="section",
    subdag=sub,
)
""",
        select=["AU131"],
        unsafe=True,
    )


def test_operator_reported_per_target():
    found = diagnostics(SRC, select=["AU131"])
    assert sorted((d.line, d.fix) for d in found) == [(3, None), (6, "unsafe")]
    assert "deprecated since Airflow 2.0" in found[0].message + found[1].message
    assert "its parent DAG is neither `dag=` nor an enclosing" in found[0].message + found[1].message
    (imported, removed, executor) = sorted(
        diagnostics(SRC, target="3", select=["AU131"]), key=lambda d: d.line
    )
    assert imported.line == 1 and "this import fails" in imported.message and imported.fix is None
    assert "removed in Airflow 3.0" in removed.message and "TaskGroup" in removed.message
    assert "SequentialExecutor ran one at a time" in executor.message


def test_new_path_and_other_classes():
    src = """\
        from airflow.operators.subdag import SubDagOperator
        from mylib import SubDagOperator as Mine
        a = SubDagOperator(task_id="a", subdag=s)
        b = Mine(task_id="b", executor=e)
        """
    assert [d.line for d in diagnostics(src, select=["AU131"])] == [3]


# The 1.10 example DAG's shape: tasks with `dag=sub`, the parent DAG by `dag=`.
TASKS_WITH_DAG_ARGUMENT = """\
from airflow.models import DAG
from airflow.operators.dummy_operator import DummyOperator
from airflow.operators.subdag_operator import SubDagOperator


def subdag(parent_dag_name, child_dag_name, args):
    # the subdag
    dag_subdag = DAG(
        dag_id='%s.%s' % (parent_dag_name, child_dag_name),
        default_args=args,
        schedule_interval="@daily",
    )

    for i in range(5):
        DummyOperator(
            task_id='%s-task-%s' % (child_dag_name, i + 1),
            default_args=args,
            dag=dag_subdag,
        )

    return dag_subdag


dag = DAG("parent", default_args=args, schedule_interval="@once")
start = DummyOperator(task_id="start", dag=dag)
section_1 = SubDagOperator(
    task_id='section-1',
    subdag=subdag("parent", 'section-1', args),
    dag=dag,
)
start >> section_1
"""


def test_tasks_with_dag_argument_go_into_a_with_block():
    check_noop(TASKS_WITH_DAG_ARGUMENT, target="3", select=["AU131"])
    check_transformed(
        TASKS_WITH_DAG_ARGUMENT,
        """\
from airflow.models import DAG
from airflow.operators.dummy_operator import DummyOperator
from airflow.sdk import TaskGroup


def subdag(parent_dag_name, child_dag_name, args, *, parent_dag):
    # the subdag
    with parent_dag, TaskGroup(group_id=child_dag_name, default_args=args) as dag_subdag:
        for i in range(5):
            DummyOperator(
                task_id='%s-task-%s' % (child_dag_name, i + 1),
                default_args=args,
            )

    return dag_subdag


dag = DAG("parent", default_args=args, schedule_interval="@once")
start = DummyOperator(task_id="start", dag=dag)
section_1 = subdag("parent", 'section-1', args, parent_dag=dag)
start >> section_1
""",
        target="3",
        select=["AU131"],
        unsafe=True,
    )


def test_target_2_imports_task_group_from_its_2x_home():
    data, result = run_fix(TASKS_WITH_DAG_ARGUMENT, target="2", select=["AU131"], unsafe=True)
    assert b"from airflow.utils.task_group import TaskGroup\n" in result.new_source
    assert b"SubDagOperator" not in result.new_source


def test_default_args_need_target_2_2():
    (found,) = diagnostics(TASKS_WITH_DAG_ARGUMENT, target="2.0", select=["AU131"])
    assert found.fix is None and "TaskGroup takes `default_args` from Airflow 2.2" in found.message
    check_noop(TASKS_WITH_DAG_ARGUMENT, target="2.1", select=["AU131"], unsafe=True)
    without = TASKS_WITH_DAG_ARGUMENT.replace(
        "        default_args=args,\n        schedule", "        schedule"
    )
    _, result = run_fix(without, target="2.0", select=["AU131"], unsafe=True)
    assert b"TaskGroup(group_id=child_dag_name) as dag_subdag:" in result.new_source


def test_converted_message_names_what_changes():
    (found,) = diagnostics(TASKS_WITH_DAG_ARGUMENT, target="2", select=["AU131"])
    assert found.line == 26 and found.fix == "unsafe"
    assert "`subdag()` builds a TaskGroup in the parent DAG" in found.message
    assert "SequentialExecutor, one at a time" in found.message
    # the subdag's "@daily" is not the parent's "@once": named, with what it changes
    assert 'the subdag\'s schedule `"@daily"` is not its parent\'s `"@once"`' in found.message
    assert "`next_ds`, `prev_ds`, `next_execution_date`, ... now follow the parent's" in found.message
    same = TASKS_WITH_DAG_ARGUMENT.replace('schedule_interval="@once"', 'schedule_interval="@daily"')
    (found,) = diagnostics(same, target="2", select=["AU131"])
    assert "is not its parent's" not in found.message
    assert "the subdag DAG's `schedule_interval=` dropped" in found.message


# The shape of real repos: `sub = DAG(...)` then `with sub:`, the SubDagOperator in a loop of a
# `with DAG(...) as dag:` block, an f-string dag_id.
WITH_SUBDAG_BLOCK = """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator


def factory(parent_dag_id, name, args):
    subdag = DAG(
        dag_id=f'{parent_dag_id}.{name}',
        default_args=args,
        catchup=False,
    )

    with subdag:
        a = BashOperator(task_id="a", bash_command="echo a")
        b = BashOperator(task_id="b", bash_command="echo b", dag=subdag)
        a >> b

    return subdag


with DAG("parent", default_args=args) as dag:
    first = BashOperator(task_id="first", bash_command="true")
    for name in ["x", "y"]:
        group = SubDagOperator(task_id=name, subdag=factory("parent", name, args), default_args=args)
        first >> group
"""


def test_with_subdag_block_gets_the_group_header():
    check_transformed(
        WITH_SUBDAG_BLOCK,
        """\
from airflow import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.sdk import TaskGroup


def factory(parent_dag_id, name, args, *, parent_dag):

    with parent_dag, TaskGroup(group_id=name, default_args=args) as subdag:
        a = BashOperator(task_id="a", bash_command="echo a")
        b = BashOperator(task_id="b", bash_command="echo b")
        a >> b

    return subdag


with DAG("parent", default_args=args) as dag:
    first = BashOperator(task_id="first", bash_command="true")
    for name in ["x", "y"]:
        group = factory("parent", name, args, parent_dag=dag)
        first >> group
""",
        target="3",
        select=["AU131"],
        unsafe=True,
    )


WITH_DAG_AS = """\
from airflow.models import DAG
from airflow.operators.subdag_operator import SubDagOperator
from airflow.operators.bash_operator import BashOperator


def load(parent, child):
    with DAG(parent + "." + child, schedule_interval=None) as sub:
        BashOperator(task_id="load", bash_command="true")
        return sub


dag = DAG("p")
SubDagOperator(task_id="load", subdag=load("p", "load"), dag=dag)
"""


def test_with_dag_as_keeps_its_block():
    check_transformed(
        WITH_DAG_AS,
        """\
from airflow.models import DAG
from airflow.sdk import TaskGroup
from airflow.operators.bash_operator import BashOperator


def load(parent, child, *, parent_dag):
    with parent_dag, TaskGroup(group_id=child) as sub:
        BashOperator(task_id="load", bash_command="true")
        return sub


dag = DAG("p")
load("p", "load", parent_dag=dag)
""",
        target="3",
        select=["AU131"],
        unsafe=True,
    )


def test_the_parameter_name_avoids_names_of_the_function():
    src = WITH_DAG_AS.replace("(parent, child)", "(parent, child, parent_dag=None)")
    _, result = run_fix(src, target="3", select=["AU131"], unsafe=True)
    assert b"def load(parent, child, parent_dag=None, *, parent_dag_):" in result.new_source
    assert b'load("p", "load", parent_dag_=dag)' in result.new_source


def test_other_imports_on_the_line_stay_and_task_group_is_not_imported_twice():
    src = WITH_DAG_AS.replace(
        "from airflow.operators.subdag_operator import SubDagOperator\n",
        "from airflow.operators.subdag_operator import SubDagOperator, SkippedStatePropagationOptions\n"
        "from airflow.utils.task_group import TaskGroup\n",
    )
    _, result = run_fix(src, target="2", select=["AU131"], unsafe=True)
    text = result.new_source.decode()
    assert "from airflow.operators.subdag_operator import SkippedStatePropagationOptions\n" in text
    assert text.count("import TaskGroup") == 1


def test_the_import_leaves_a_line_it_shares_and_task_group_is_imported():
    src = WITH_DAG_AS.replace(
        "from airflow.operators.subdag_operator import SubDagOperator\n",
        "import os; from airflow.operators.subdag_operator import SubDagOperator\n",
    )
    _, result = run_fix(src, target="3", select=["AU131"], unsafe=True)
    assert result.new_source.startswith(
        b"from airflow.models import DAG\nfrom airflow.sdk import TaskGroup\nimport os\n"
        b"from airflow.operators.bash_operator import BashOperator\n"
    )


def test_task_group_takes_the_place_of_the_name_with_the_comments_above():
    src = WITH_DAG_AS.replace(
        "from airflow.operators.subdag_operator import SubDagOperator\n",
        "# subdags\nfrom airflow.operators.subdag_operator import SkippedStatePropagationOptions, SubDagOperator\n",
    )
    _, result = run_fix(src, target="2", select=["AU131"], unsafe=True)
    assert result.new_source.startswith(
        b"from airflow.models import DAG\n# subdags\nfrom airflow.utils.task_group import TaskGroup\n"
        b"from airflow.operators.subdag_operator import SkippedStatePropagationOptions\n"
    )


def test_task_group_joins_an_import_from_its_module():
    src = WITH_DAG_AS.replace("from airflow.models import DAG\n", "from airflow.sdk import DAG\n")
    _, result = run_fix(src, target="3", select=["AU131"], unsafe=True)
    assert result.new_source.startswith(
        b"from airflow.sdk import DAG, TaskGroup\nfrom airflow.operators.bash_operator import BashOperator\n"
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("dag=dag)", "dag=dag, pool='p')"), "`pool=` applied to the subdag task as a whole"),
        (("dag=dag)", "dag=dag, trigger_rule='all_done')"), "`trigger_rule=` applied to the subdag task"),
        (
            ("schedule_interval=None", "concurrency=1"),
            "the subdag DAG's `concurrency=` has no TaskGroup equivalent",
        ),
        (("schedule_interval=None", "params={'a': 1}"), "`params=` has no TaskGroup equivalent"),
        (
            ("        return sub", "        sub.doc_md = 'x'\n        return sub"),
            "uses the subdag DAG `sub` as a value",
        ),
        (('dag = DAG("p")', "dag = DAG(\"p\")\nload('p', 'other')"), "is also used elsewhere (line 13)"),
        (('parent + "." + child', "parent_and_child"), "the group id cannot be told"),
        (("        return sub", "        pass\n    return None"), "does not end with `return sub`"),
        (
            (
                'SubDagOperator(task_id="load", subdag=load("p", "load"), dag=dag)',
                "SubDagOperator(task_id='load', subdag=sub, dag=dag)",
            ),
            "its subdag `sub` is not built once",
        ),
    ],
)
def test_what_is_reported_instead(change, reason):
    old, new = change
    src = WITH_DAG_AS.replace(old, new)
    assert src != WITH_DAG_AS
    check_noop(src, target="3", select=["AU131"], unsafe=True)
    found = [
        d
        for d in diagnostics(src, target="3", select=["AU131"])
        if "not converted automatically" in d.message
    ]
    assert len(found) == 1 and reason in found[0].message, found
    imported = [d for d in diagnostics(src, target="3", select=["AU131"]) if "this import fails" in d.message]
    assert imported and imported[0].fix is None


def test_factory_imported_from_another_file_is_reported():
    src = """\
        from airflow.models import DAG
        from airflow.operators.subdag_operator import SubDagOperator
        from common.subdags import build

        dag = DAG("p")
        SubDagOperator(task_id="s", subdag=build("p", "s"), dag=dag)
        """
    (_, found) = sorted(diagnostics(src, target="3", select=["AU131"]), key=lambda d: d.line)
    assert "comes from `build()`, imported from `common.subdags`" in found.message
    assert found.message.endswith('and write here `build("p", "s", parent_dag=dag)`')


def test_subdag_operator_not_imported_by_name_is_reported():
    src = WITH_DAG_AS.replace(
        "from airflow.operators.subdag_operator import SubDagOperator",
        "from airflow.operators import subdag_operator",
    ).replace("SubDagOperator(task_id", "subdag_operator.SubDagOperator(task_id")
    check_noop(src, target="3", select=["AU131"], unsafe=True)
    assert any("not imported by name" in d.message for d in diagnostics(src, target="3", select=["AU131"]))


def test_an_import_guarded_by_try_except_is_left_alone():
    src = WITH_DAG_AS.replace(
        "from airflow.operators.subdag_operator import SubDagOperator\n",
        "try:\n    from airflow.operators.subdag_operator import SubDagOperator\nexcept ImportError:\n    pass\n",
    )
    check_noop(src, target="3", select=["AU131"], unsafe=True)


def test_without_a_known_parent_dag_it_is_reported():
    src = WITH_DAG_AS.replace(", dag=dag)", ")")
    check_noop(src, target="3", select=["AU131"], unsafe=True)
    assert any(
        "neither `dag=` nor an enclosing" in d.message for d in diagnostics(src, target="3", select=["AU131"])
    )


def test_the_import_is_reported_at_target_3_when_only_check_runs():
    found = sorted(diagnostics(WITH_DAG_AS, target="3", select=["AU131"]), key=lambda d: d.line)
    assert found[0].line == 2 and found[0].fix == "unsafe"
    assert "converts its uses to TaskGroups and drops this import" in found[0].message


def test_au102_leaves_the_subdag_import_to_au131():
    found = diagnostics(WITH_DAG_AS, target="3", select=["AU101", "AU102", "AU131"])
    assert [d.code for d in found if d.line == 2] == ["AU131"]


@pytest.mark.parametrize(
    ("dag_id", "group_id"),
    [
        ('f"{parent}.{child}"', "child"),
        ("f'{parent}.{child}_x'", 'f"{child}_x"'),
        ('f"{parent}.section"', '"section"'),
        ('parent + "." + child', "child"),
        ('parent + ".sub_" + child', "'sub_' + child"),
        ("'%s.%s' % (parent, child)", "child"),
        ("'%s.%s_%s' % (parent, child, n)", "'%s_%s' % (child, n,)"),
        ('"{}.{}".format(parent, child)', "child"),
        ('".".join([parent, child])', "child"),
        ("'parent.child'", "'child'"),
        ("name", None),
        ('f"{parent}_{child}"', None),
        ("'%d.%s' % (n, child)", None),
    ],
)
def test_group_id_from_the_dag_id(dag_id, group_id):
    assert group_id_source(dag_id) == group_id


def test_open_findings_on_the_removed_subdag_dag_call_go_with_it():
    # AU307 (cron semantics) and AU304 (catchup default) report the subdag's DAG(...) call;
    # once the fix has made it a TaskGroup, nothing of that call is left to act on.
    _, checked = run_fix(TASKS_WITH_DAG_ARGUMENT, target="3", unsafe=True, fix=False)
    assert {d.code for d in checked.diagnostics if 8 <= d.line <= 12} >= {"AU307"}
    _, fixed = run_fix(TASKS_WITH_DAG_ARGUMENT, target="3", unsafe=True)
    assert not [d for d in fixed.diagnostics if 8 <= d.line <= 12 and not d.applied]


def test_parameters_and_arguments_keep_their_layout():
    check_transformed(
        """\
from airflow.models import DAG
from airflow.operators.subdag_operator import SubDagOperator


def load(
    parent,
    child,
):
    with DAG(f"{parent}.{child}") as sub:
        pass
    return sub


def other(parent, child, *rest, flag=False, **kwargs):
    with DAG(f"{parent}.{child}") as sub:
        pass
    return sub


with DAG("p") as dag:
    SubDagOperator(
        task_id="load",
        subdag=load(
            "p",
            "load",
        ),
    )
    SubDagOperator(task_id="o", subdag=other("p", "o", 1, flag=True))
""",
        """\
from airflow.models import DAG
from airflow.sdk import TaskGroup


def load(
    parent,
    child,
    *,
    parent_dag,
):
    with parent_dag, TaskGroup(group_id=child) as sub:
        pass
    return sub


def other(parent, child, *rest, flag=False, parent_dag, **kwargs):
    with parent_dag, TaskGroup(group_id=child) as sub:
        pass
    return sub


with DAG("p") as dag:
    load(
            "p",
            "load",
            parent_dag=dag,
        )
    other("p", "o", 1, flag=True, parent_dag=dag)
""",
        target="3",
        select=["AU131"],
        unsafe=True,
    )


def test_the_import_report_names_the_lines_still_using_it():
    src = """\
        from airflow.operators.subdag_operator import SubDagOperator


        class Mine(SubDagOperator):
            pass
        """
    (found,) = diagnostics(src, target="3", select=["AU131"])
    assert found.line == 1 and found.fix is None
    assert found.message.endswith(
        "this import fails: its uses on line 4 are not converted: rewrite them as TaskGroups"
    )
    src = WITH_DAG_AS + "assert issubclass(SubDagOperator, object)\n"
    _, result = run_fix(src, target="3", select=["AU131"], unsafe=True)
    assert b'load("p", "load", parent_dag=dag)' in result.new_source
    # the import stays, and TaskGroup's goes after the first import block (the import service's rule)
    assert result.new_source.startswith(
        b"from airflow.models import DAG\n"
        b"from airflow.operators.subdag_operator import SubDagOperator\n"
        b"from airflow.operators.bash_operator import BashOperator\n"
        b"from airflow.sdk import TaskGroup\n"
    )
    (imported,) = [d for d in result.diagnostics if d.line == 2]
    assert "its uses on line 14 are not converted" in imported.message


def test_the_executor_of_the_subdag_is_named():
    src = WITH_DAG_AS.replace("dag=dag)", "dag=dag, executor=CeleryExecutor())")
    (found,) = [d for d in diagnostics(src, target="3", select=["AU131"]) if d.line == 13]
    assert "(1.10 ran them with `CeleryExecutor()`)" in found.message and found.fix == "unsafe"
    _, result = run_fix(src, target="3", select=["AU131"], unsafe=True)
    assert b'load("p", "load", parent_dag=dag)\n' in result.new_source


@pytest.mark.parametrize(
    ("factory", "reason"),
    [
        ("def load(parent, child): sub = DAG(parent + '.' + child); return sub\n", "is written on one line"),
        ("def load(parent, child):\n    sub = DAG(parent + '.' + child)\n    return sub\n", "adds no task"),
    ],
)
def test_factories_without_the_shape_are_reported(factory, reason):
    src = (
        "from airflow.models import DAG\n"
        "from airflow.operators.subdag_operator import SubDagOperator\n"
        f"{factory}"
        "dag = DAG('p')\n"
        "SubDagOperator(task_id='load', subdag=load('p', 'load'), dag=dag)\n"
    )
    check_noop(src, target="3", select=["AU131"], unsafe=True)
    assert any(reason in d.message for d in diagnostics(src, target="3", select=["AU131"]))


def test_default_args_of_the_parent_that_the_subdag_did_not_get_are_named():
    (found,) = diagnostics(TASKS_WITH_DAG_ARGUMENT, target="3", select=["AU131"])[1:]
    assert "also take the parent DAG's default_args" not in found.message  # the same `args`
    src = TASKS_WITH_DAG_ARGUMENT.replace(
        'dag = DAG("parent", default_args=args', 'dag = DAG("parent", default_args=other'
    )
    (found,) = diagnostics(src, target="3", select=["AU131"])[1:]
    assert (
        "its tasks also take the parent DAG's default_args (`other`) for keys the subdag's lack"
        in found.message
    )
    src = TASKS_WITH_DAG_ARGUMENT.replace(
        "subdag(\"parent\", 'section-1', args)", "subdag(\"parent\", 'section-1', args={})"
    )
    (found,) = diagnostics(src, target="3", select=["AU131"])[1:]
    assert "default_args (`args`)" in found.message


# A subdag built next to its use, no factory: the DAG becomes a TaskGroup of the parent, its
# tasks' `dag=sub` become `dag=<parent>, task_group=sub`, `with sub:` enters the parent too.
INLINE = """\
from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.operators.subdag_operator import SubDagOperator

dag = DAG("parent", default_args=args)
sub = DAG("parent.section", default_args=args, schedule_interval=None)
one = BashOperator(task_id="one", bash_command="true", dag=sub)
with sub:
    two = BashOperator(task_id="two", bash_command="true")
one >> two
section = SubDagOperator(task_id="section", subdag=sub, dag=dag)
BashOperator(task_id="start", bash_command="true", dag=dag) >> section
"""


def test_inline_subdag_becomes_a_task_group():
    check_transformed(
        INLINE,
        """\
from airflow.models import DAG
from airflow.operators.bash_operator import BashOperator
from airflow.sdk import TaskGroup

dag = DAG("parent", default_args=args)
sub = TaskGroup(group_id="section", dag=dag, default_args=args)
one = BashOperator(task_id="one", bash_command="true", dag=dag, task_group=sub)
with dag, sub:
    two = BashOperator(task_id="two", bash_command="true")
one >> two
section = sub
BashOperator(task_id="start", bash_command="true", dag=dag) >> section
""",
        target="3",
        select=["AU131"],
        unsafe=True,
    )
    (found,) = [d for d in diagnostics(INLINE, target="3", select=["AU131"]) if d.line == 11]
    assert "the subdag `sub` becomes a TaskGroup of the parent DAG" in found.message
    assert "`schedule_interval=` dropped" not in found.message  # the schedules differ: named instead
    assert "the subdag's schedule `None` is not its parent's the default (one day)" in found.message


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (("sub = DAG(", "sub = make(DAG)\nsub2 = DAG("), "is not built as `sub = DAG(...)`"),
        (("one >> two", "one >> two\nprint(sub.dag_id)"), "is used as a value (line 11)"),
        (('dag = DAG("parent", default_args=args)\n', ""), "is built before its parent DAG `dag`"),
        (('"parent.section"', "section_id"), "the group id cannot be told"),
    ],
)
def test_inline_subdags_reported_instead(change, reason):
    old, new = change
    src = INLINE.replace(old, new)
    if "dag = DAG" not in src:
        src += 'dag = DAG("parent")\n'
    check_noop(src, target="3", select=["AU131"], unsafe=True)
    found = [
        d
        for d in diagnostics(src, target="3", select=["AU131"])
        if "not converted automatically" in d.message
    ]
    assert len(found) == 1 and reason in found[0].message, found


def test_inline_subdag_with_default_args_needs_target_2_11():
    (found,) = [d for d in diagnostics(INLINE, target="2.2", select=["AU131"]) if d.line == 11]
    assert "through `task_group=` from Airflow 2.11" in found.message
    _, result = run_fix(INLINE, target="2", select=["AU131"], unsafe=True)
    assert b"from airflow.utils.task_group import TaskGroup\n" in result.new_source
