from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_moved_option_read_from_its_new_section():
    check_transformed(
        """\
        from airflow.configuration import conf
        folder = conf.get("core", "BASE_LOG_FOLDER")
        remote = conf.getboolean('core', 'remote_logging')
        url = conf.get(section="core", key="sql_alchemy_conn")
        tasks = conf.getint("core", "dag_concurrency")
        keep = conf.get("core", "dags_folder")
        """,
        """\
        from airflow.configuration import conf
        folder = conf.get("logging", "BASE_LOG_FOLDER")
        remote = conf.getboolean('logging', 'remote_logging')
        url = conf.get(section="database", key="sql_alchemy_conn")
        tasks = conf.getint("core", "max_active_tasks_per_dag")
        keep = conf.get("core", "dags_folder")
        """,
        target="3",
        select=["AU191"],
    )


def test_move_made_after_the_target_is_left():
    # [core] sql_alchemy_conn moved to [database] in 2.3: on 2.0 the old place is the only one.
    check_transformed(
        """\
        from airflow.configuration import conf
        folder = conf.get("core", "base_log_folder")
        url = conf.get("core", "sql_alchemy_conn")
        """,
        """\
        from airflow.configuration import conf
        folder = conf.get("logging", "base_log_folder")
        url = conf.get("core", "sql_alchemy_conn")
        """,
        target="2.0",
        select=["AU191"],
    )


def test_literal_that_cannot_be_edited_in_place_is_reported():
    source = """\
        from airflow.configuration import conf
        folder = conf.get("co" "re", "base_log_folder")
        """
    check_noop(source, target="3", select=["AU191"])
    (d,) = diagnostics(source, target="3", select=["AU191"])
    assert (d.line, d.fix) == (2, None)


def test_other_conf_objects_untouched():
    check_noop(
        """\
        from mylib import conf
        folder = conf.get("core", "base_log_folder")
        """,
        target="3",
    )


def test_both_rules_on_one_call():
    check_transformed(
        """\
        from airflow import configuration
        folder = configuration.get("core", "base_log_folder")
        """,
        """\
        from airflow import configuration
        folder = configuration.conf.get("logging", "base_log_folder")
        """,
        target="3",
    )


def test_airflow_3_renames_from_its_config_update_table():
    check_transformed(
        """\
        from airflow.configuration import conf
        timeout = conf.getint("core", "dag_file_processor_timeout")
        """,
        """\
        from airflow.configuration import conf
        timeout = conf.getint("dag_processor", "dag_file_processor_timeout")
        """,
        target="3",
        select=["AU191"],
    )
    check_noop(
        'from airflow.configuration import conf\nt = conf.getint("core", "dag_file_processor_timeout")\n',
        target="2",
        select=["AU191"],
    )


def test_removed_option_is_reported_unless_a_fallback_is_given():
    source = """\
        from airflow.configuration import conf
        a = conf.getboolean("core", "store_serialized_dags")
        b = conf.getboolean("core", "store_serialized_dags", fallback=False)
        c = conf.has_option("core", "store_serialized_dags")
        """
    check_noop(source, target="3", select=["AU191"])
    (d,) = diagnostics(source, target="3", select=["AU191"])
    assert (d.line, d.fix) == (2, None) and "removed in Airflow 2.0" in d.message
