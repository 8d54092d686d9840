"""AU204: a template cut across concatenated literals is reported, not rewritten."""

from tests.codemods.helpers import diagnostics


def test_a_template_cut_across_concatenated_literals_is_reported_not_rewritten():
    source = (
        "from airflow.operators.bash import BashOperator\n"
        't = BashOperator(task_id="t", bash_command="echo {{ execution_" "date }}")\n'
        'u = BashOperator(task_id="u", bash_command="{{ ds }} " "{{ execution_date }}")\n'
    )
    found = [(d.line, d.code) for d in diagnostics(source, target="2") if d.code in ("AU201", "AU204")]
    # the cut name is AU204's; a name inside one literal is AU201's (and fixed)
    assert found == [(2, "AU204"), (3, "AU201")]
