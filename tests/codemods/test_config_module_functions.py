from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_module_function_becomes_conf_method():
    check_transformed(
        """\
        from airflow import configuration
        import airflow.configuration as cfg
        a = configuration.get("scheduler", "dag_dir_list_interval")
        b = cfg.getboolean("webserver", "rbac")
        c = configuration.conf.get("core", "dags_folder")
        """,
        """\
        from airflow import configuration
        import airflow.configuration as cfg
        a = configuration.conf.get("scheduler", "dag_dir_list_interval")
        b = cfg.conf.getboolean("webserver", "rbac")
        c = configuration.conf.get("core", "dags_folder")
        """,
        select=["AU190"],
    )


def test_module_imported_as_conf():
    check_transformed(
        """\
        from airflow import configuration as conf
        image = conf.get("kubernetes", "worker_container_repository")
        """,
        """\
        from airflow import configuration as conf
        image = conf.conf.get("kubernetes", "worker_container_repository")
        """,
        select=["AU190"],
    )


def test_wrapper_imported_by_name_is_reported():
    (d,) = diagnostics(
        "from airflow.configuration import get\nx = get('core', 'dags_folder')\n", select=["AU190"]
    )
    assert (d.line, d.fix) == (1, None) and "conf.get" in d.message


def test_other_configuration_modules_untouched():
    check_noop(
        """\
        import configuration
        from airflow.configuration import conf
        a = configuration.get("core", "x")
        b = conf.get("core", "dags_folder")
        """,
        select=["AU190"],
    )
