from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_base_job_as_orm_model_becomes_job():
    check_transformed(
        """\
        from airflow.jobs import BaseJob
        cleanup = {"model": BaseJob, "age": BaseJob.latest_heartbeat}
        rows = session.query(BaseJob).filter(BaseJob.job_type == "SchedulerJob")
        """,
        """\
        from airflow.jobs.job import Job
        cleanup = {"model": Job, "age": Job.latest_heartbeat}
        rows = session.query(Job).filter(Job.job_type == "SchedulerJob")
        """,
        target="2",
        select=["AU101"],
    )


def test_base_job_on_2_0_is_in_base_job_module():
    check_transformed(
        "from airflow.jobs import BaseJob\nclass MyJob(BaseJob):\n    pass\n",
        "from airflow.jobs.base_job import BaseJob\nclass MyJob(BaseJob):\n    pass\n",
        select=["AU101"],
    )


def test_base_job_used_for_more_than_its_table_is_reported():
    for use in (
        "class MyJob(BaseJob): pass",
        "job = BaseJob()",
        "BaseJob.heartbeat(job)",
        "BaseJob.most_recent_job()",
    ):
        source = f"from airflow.jobs.base_job import BaseJob\n{use}\n"
        check_noop(source, target="3", select=["AU101", "AU102"])
        (d,) = diagnostics(source, target="3", select=["AU101", "AU102"])
        assert (d.code, d.line, d.fix) == ("AU102", 1, None), use
        assert "airflow.jobs.job.Job" in d.message and "line 2" in d.message, d.message


def test_import_error_model_renamed_and_its_uses():
    check_transformed(
        """\
        from airflow.models import DAG, ImportError
        errors = session.query(ImportError).all()
        """,
        """\
        from airflow.models import DAG
        from airflow.models.errors import ParseImportError
        errors = session.query(ParseImportError).all()
        """,
        target="2",
        select=["AU101"],
    )


def test_import_error_model_kept_before_2_10():
    check_noop("from airflow.models import ImportError\n", target="2.2", select=["AU101"])


def test_temporary_directory_is_tempfiles():
    check_transformed(
        """\
        from airflow.utils.file import TemporaryDirectory
        with TemporaryDirectory(prefix="x") as tmp:
            pass
        """,
        """\
        from tempfile import TemporaryDirectory
        with TemporaryDirectory(prefix="x") as tmp:
            pass
        """,
        target="3",
        select=["AU101"],
    )
