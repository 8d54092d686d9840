"""AU101/AU102 follow the provider releases (codemods/_providers.py): the newest release that
allows the target by default, the user's pins (--providers) otherwise."""

from __future__ import annotations

from tests.codemods.helpers import check_noop, check_transformed, run_fix

AMAZON_1_4 = (("apache-airflow-providers-amazon", "1.4.0"),)
POSTGRES_5 = (("apache-airflow-providers-postgres", "5.14.0"),)


def _messages(source: str, target: str, **options) -> list[str]:
    _, result = run_fix(source, target=target, fix=False, select=["AU101", "AU102"], **options)
    assert result.error is None, result.error
    return [f"{d.code} {d.message}" for d in result.diagnostics]


def test_module_a_later_release_folded_into_another_follows_the_provider():
    # amazon 2.x deprecated operators.s3_copy_object for operators.s3; later releases removed it
    check_transformed(
        """\
        from airflow.contrib.operators.s3_copy_object_operator import S3CopyObjectOperator
        """,
        """\
        from airflow.providers.amazon.aws.operators.s3 import S3CopyObjectOperator
        """,
        target="2",
    )


def test_pinned_older_release_keeps_the_module_it_has():
    check_transformed(
        """\
        from airflow.contrib.operators.s3_copy_object_operator import S3CopyObjectOperator
        """,
        """\
        from airflow.providers.amazon.aws.operators.s3_copy_object import S3CopyObjectOperator
        """,
        target="2",
        provider_pins=AMAZON_1_4,
    )


def test_provider_name_the_pinned_release_still_has_is_left_alone():
    check_noop(
        """\
        from airflow.providers.amazon.aws.operators.s3_copy_object import S3CopyObjectOperator
        """,
        target="2",
        provider_pins=AMAZON_1_4,
    )


def test_provider_name_a_later_release_moved_is_rewritten_for_the_newest():
    check_transformed(
        """\
        from airflow.providers.cncf.kubernetes.operators.kubernetes_pod import KubernetesPodOperator
        """,
        """\
        from airflow.providers.cncf.kubernetes.operators.pod import KubernetesPodOperator
        """,
        target="2",
    )


def test_a_name_the_1_10_module_exposed_besides_its_main_class():
    # 1.10's sftp_operator defined SFTPOperation; the 2.0 shim re-exports only SFTPOperator, and
    # sftp 5.x moved the enum to the hook module
    check_transformed(
        """\
        from airflow.contrib.operators.sftp_operator import SFTPOperation
        """,
        """\
        from airflow.providers.sftp.hooks.sftp import SFTPOperation
        """,
        target="2",
    )


def test_removed_class_of_another_shape_is_reported_with_the_release():
    messages = _messages("from airflow.operators.postgres_operator import PostgresOperator\n", "2")
    assert len(messages) == 1
    assert messages[0].startswith(
        "AU102 `airflow.operators.postgres_operator.PostgresOperator` is not in "
        "apache-airflow-providers-postgres 7.1.1 (last in 5.14.0"
    )
    assert "use `airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator`" in messages[0]


def test_pinned_release_that_still_has_the_class_gets_the_rename():
    check_transformed(
        """\
        from airflow.operators.postgres_operator import PostgresOperator
        """,
        """\
        from airflow.providers.postgres.operators.postgres import PostgresOperator
        """,
        target="2",
        provider_pins=POSTGRES_5,
    )


def test_removed_replacement_is_followed_to_the_one_the_release_has():
    # S3PrefixSensor -> sensors.s3.S3PrefixSensor (amazon 4.x) -> S3KeySensor (amazon 5.x)
    messages = _messages("from airflow.sensors.s3_prefix_sensor import S3PrefixSensor\n", "2")
    assert messages == [
        "AU102 `airflow.sensors.s3_prefix_sensor.S3PrefixSensor` is not in apache-airflow-providers-amazon "
        "9.39.0 (last in 4.1.0): use `airflow.providers.amazon.aws.sensors.s3.S3KeySensor`"
    ]


def test_moved_message_names_the_provider_release():
    messages = _messages("from airflow.contrib.operators.sftp_operator import SFTPOperator\n", "2.0")
    assert messages == [
        "AU101 `airflow.contrib.operators.sftp_operator.SFTPOperator` moved to "
        "`airflow.providers.sftp.operators.sftp.SFTPOperator`: import it from there "
        "(apache-airflow-providers-sftp 1.2.0)"
    ]
