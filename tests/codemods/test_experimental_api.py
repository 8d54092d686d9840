from tests.codemods.helpers import check_noop, diagnostics


def test_experimental_api_reported_with_replacement():
    source = """\
        from airflow.api.common.experimental.trigger_dag import trigger_dag
        from airflow.api.common.experimental import pool
        import airflow.api.common.experimental.get_task
        from airflow.api.client.local_client import Client
        """
    check_noop(source, target="3")
    found = [(d.line, d.message) for d in diagnostics(source, target="3") if d.code == "AU193"]
    assert [line for line, _ in found] == [1, 2, 3, 4]
    assert "TriggerDagRunOperator" in found[0][1]
    # 3.3.2's airflow.api.common.trigger_dag is no drop-in: say why
    assert "requires `triggered_by=`, takes `logical_date=`" in found[0][1]
    assert "no `api_base_url`" in found[3][1]
    assert "/api/v2/pools" in found[1][1]
    assert "REST API" in found[2][1] and "REST API" in found[3][1]


def test_experimental_api_left_alone_on_2():
    assert not [
        d
        for d in diagnostics("from airflow.api.common.experimental import pool\n", target="2")
        if d.code == "AU193"
    ]
