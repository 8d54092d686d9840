"""A read-only PostgreSQL connection to the Airflow metadata DB, and the few queries the stages use."""

from __future__ import annotations

from upgrade.rollout.db_url import DatabaseUrl


class CannotConnect(Exception):
    """The DB cannot be reached or logged into (message already scrubbed of the password)."""


class QueryFailed(RuntimeError):
    """A query failed: the DB is not an Airflow metadata DB of a known shape (scrubbed message)."""


class MetadataDb:
    def __init__(self, url: DatabaseUrl, connect_timeout: int = 5):
        try:
            import psycopg2
        except ImportError as exc:  # pragma: no cover - psycopg2-binary is in the tool env
            raise CannotConnect("reading PostgreSQL needs `pip install airflow-upgrade[rollout]`") from exc
        try:
            self.conn = psycopg2.connect(
                host=url.host,
                port=url.port or 5432,
                user=url.user,
                password=url.password,
                dbname=url.database,
                connect_timeout=connect_timeout,
                application_name="airflow-upgrade-rollout",
            )
        except psycopg2.Error as exc:
            reason = url.scrub(str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)
            raise CannotConnect(reason) from None
        self.url = url
        # Never write: every statement runs in a read-only transaction.
        self.conn.set_session(readonly=True, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def rows(self, sql: str, params: tuple = ()) -> list[dict]:
        import psycopg2

        try:
            with self.conn.cursor() as cursor:
                cursor.execute(sql, params)
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row)) for row in cursor.fetchall()]
        except psycopg2.Error as exc:
            # Every query goes through here: a table of another shape (a `job` table lacking
            # columns, a DB that is not Airflow's) is one line, not a driver traceback.
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise QueryFailed(
                f"the metadata DB does not have the shape Airflow's has ({self.url.scrub(first)})"
            ) from None

    def value(self, sql: str, params: tuple = ()):
        found = self.rows(sql, params)
        return next(iter(found[0].values())) if found else None

    def has_table(self, table: str) -> bool:
        return bool(self.value("SELECT to_regclass(%s) IS NOT NULL", (table,)))

    def columns(self, table: str) -> set[str]:
        found = self.rows(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND table_schema = current_schema()",
            (table,),
        )
        return {row["column_name"] for row in found}

    def scheduler_jobs(self) -> list[dict]:
        """Every SchedulerJob row still marked running, with its heartbeat age by the DB's clock."""
        if not self.has_table("job"):
            return []
        return self.rows(
            "SELECT id, hostname, state, start_date, latest_heartbeat,"
            " EXTRACT(EPOCH FROM (now() - latest_heartbeat))::float AS heartbeat_age_s"
            " FROM job WHERE job_type = 'SchedulerJob' AND state = 'running'"
            " ORDER BY latest_heartbeat DESC"
        )
