"""AU160 against real Airflow: a 1.10 DAG with removed SQL operators runs on 1.10.15; after
`fix --target 2` it loads on Airflow 2.11.2 (whose sqlite provider no longer has
SqliteOperator) as SQLExecuteQueryOperator with the old arguments, and its tasks do the same
to a real SQLite database and return the same (nothing, so nothing goes to XCom).
"""

from __future__ import annotations

from tests.airflow_envs import run_json
from tests.codemods.helpers import run_fix

DAG_SOURCE = """\
from datetime import datetime
from airflow import DAG
from airflow.operators.sqlite_operator import SqliteOperator
from airflow.operators.postgres_operator import PostgresOperator

DB = "warehouse"
dag = DAG("sql_ops", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
create = SqliteOperator(
    task_id="create",
    sqlite_conn_id=DB,
    sql="CREATE TABLE t (a INTEGER, b TEXT)",
    dag=dag,
)
insert = SqliteOperator(task_id="insert", sql="INSERT INTO t VALUES (?, ?)", parameters=(1, "x"), dag=dag)
select = SqliteOperator(task_id="select", sqlite_conn_id=DB, sql="SELECT a, b FROM t", dag=dag)
pg = PostgresOperator(
    task_id="pg",
    sql="select 1",
    postgres_conn_id="reporting",
    database="dw",
    autocommit=True,
    parameters={"p": 1},
    dag=dag,
)
create >> insert >> select
"""

# Loads the DAG file, then runs the sqlite tasks' execute() in order against the database
# file of the `warehouse` and `sqlite_default` connections; prints each task's class and
# arguments, what execute() returned, and the rows the database ends up with.
RUN = """\
import json, os, sqlite3, sys, warnings
warnings.simplefilter("ignore")
db = sys.argv[2]
# The database file is the connection's host (both Airflows): percent-encoded in the URI.
uri = "sqlite://" + db.replace("/", "%2F")
os.environ["AIRFLOW_CONN_WAREHOUSE"] = uri
os.environ["AIRFLOW_CONN_SQLITE_DEFAULT"] = uri
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
dag = namespace["dag"]
tasks = {}
returned = {}
for task_id in ("create", "insert", "select", "pg"):
    task = dag.get_task(task_id)
    names = ("sql", "parameters", "autocommit", "conn_id", "hook_params", "database", "do_xcom_push",
             "sqlite_conn_id", "postgres_conn_id")
    tasks[task_id] = {"class": type(task).__name__,
                      **{n: getattr(task, n) for n in names if hasattr(task, n)}}
    if task_id != "pg":
        returned[task_id] = task.execute(context={})
rows = sqlite3.connect(db).execute("SELECT a, b FROM t").fetchall()
print(json.dumps({"tasks": tasks, "returned": returned, "rows": rows}, default=repr))
"""


def run(env: str, source: str, tmp_path, name: str) -> dict:
    dag_file = tmp_path / f"{name}.py"
    dag_file.write_text(source)
    database = tmp_path / f"{name}.db"
    # 1.10 reads the host through urlparse, which lowercases it
    assert str(database) == str(database).lower(), database
    return run_json(env, RUN, str(dag_file), str(database), home=tmp_path / f"home_{name}")


def test_rewritten_sql_operators_load_and_run_like_on_1_10(tmp_path):
    before = run("af110", DAG_SOURCE, tmp_path, "orig")
    _, result = run_fix(DAG_SOURCE, target="2")
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert "SqliteOperator" not in fixed and "PostgresOperator" not in fixed, fixed
    after = run("af2", fixed, tmp_path, "fixed")

    # same effect on the database, same return values (nothing: nothing pushed to XCom)
    assert after["rows"] == before["rows"] == [[1, "x"]]
    assert after["returned"] == before["returned"] == {"create": None, "insert": None, "select": None}

    old, new = before["tasks"], after["tasks"]
    assert {t["class"] for t in new.values()} == {"SQLExecuteQueryOperator"}
    for task_id in ("create", "insert", "select"):
        assert new[task_id]["sql"] == old[task_id]["sql"]
        # 1.10's SqliteOperator stored `parameters or []`; no parameters either way
        assert (new[task_id]["parameters"] or None) == (old[task_id]["parameters"] or None)
        assert new[task_id]["conn_id"] == old[task_id]["sqlite_conn_id"]
        assert new[task_id]["do_xcom_push"] is False
    # the postgres task cannot run here (no server): its arguments are compared
    assert new["pg"]["conn_id"] == old["pg"]["postgres_conn_id"] == "reporting"
    assert new["pg"]["hook_params"] == {"database": old["pg"]["database"]}
    assert new["pg"]["autocommit"] is old["pg"]["autocommit"] is True
    assert new["pg"]["parameters"] == old["pg"]["parameters"] == {"p": 1}
    assert new["pg"]["sql"] == old["pg"]["sql"]



def test_removed_operators_called_through_their_module_load_and_run_like_on_1_10(tmp_path):
    # `from airflow.operators import sqlite_operator` + `sqlite_operator.SqliteOperator(...)`: the
    # module name is bound to the replacement's module and the calls rewritten
    source = (
        DAG_SOURCE.replace(
            "from airflow.operators.sqlite_operator import SqliteOperator\n"
            "from airflow.operators.postgres_operator import PostgresOperator\n",
            "from airflow.operators import sqlite_operator, postgres_operator as pg_ops\n",
        )
        .replace("SqliteOperator(", "sqlite_operator.SqliteOperator(")
        .replace("PostgresOperator(", "pg_ops.PostgresOperator(")
    )
    before = run("af110", source, tmp_path, "orig_module")
    _, result = run_fix(source, target="2")
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert "from airflow.providers.common.sql.operators import sql as sqlite_operator, sql as pg_ops\n" in fixed, fixed
    assert fixed.count("sqlite_operator.SQLExecuteQueryOperator(") == 3 and "pg_ops.SQLExecuteQueryOperator(" in fixed
    after = run("af2", fixed, tmp_path, "fixed_module")
    assert after["rows"] == before["rows"] == [[1, "x"]]
    assert after["returned"] == before["returned"] == {"create": None, "insert": None, "select": None}
    assert {t["class"] for t in after["tasks"].values()} == {"SQLExecuteQueryOperator"}
    assert after["tasks"]["pg"]["hook_params"] == {"database": "dw"}


HTTP_DAG = """\
from datetime import datetime
from airflow import DAG
from airflow.operators.http_operator import SimpleHttpOperator

dag = DAG("http_ops", start_date=datetime(2021, 1, 1), schedule_interval="@daily")
call = SimpleHttpOperator(
    task_id="call",
    http_conn_id="api",
    endpoint="v1/items/{{ ds }}",
    method="GET",
    data={"q": "x"},
    headers={"Accept": "application/json"},
    dag=dag,
)
"""

HTTP_ARGUMENTS = """\
import json, sys, warnings
warnings.simplefilter("ignore")
namespace = {"__name__": "dagfile"}
exec(compile(open(sys.argv[1]).read(), sys.argv[1], "exec"), namespace)
task = namespace["dag"].get_task("call")
names = ("http_conn_id", "endpoint", "method", "data", "headers", "template_fields")
print(json.dumps({"class": type(task).__name__, **{n: getattr(task, n) for n in names}}, default=list))
"""


def test_simple_http_operator_becomes_http_operator_with_the_same_arguments(tmp_path):
    # The http provider's SimpleHttpOperator (removed in 5.0) was a bare deprecated subclass of
    # HttpOperator: AU101 renames it (the provider data's "to").
    _, result = run_fix(HTTP_DAG, target="2")
    assert result.error is None and result.new_source is not None
    fixed = result.new_source.decode()
    assert "from airflow.providers.http.operators.http import HttpOperator" in fixed, fixed
    paths = {}
    for name, source in (("orig", HTTP_DAG), ("fixed", fixed)):
        paths[name] = tmp_path / f"{name}.py"
        paths[name].write_text(source)
    before = run_json("af110", HTTP_ARGUMENTS, str(paths["orig"]), home=tmp_path / "home_orig")
    after = run_json("af2", HTTP_ARGUMENTS, str(paths["fixed"]), home=tmp_path / "home_fixed")
    assert (before["class"], after["class"]) == ("SimpleHttpOperator", "HttpOperator")
    for name in ("http_conn_id", "endpoint", "method", "data", "headers"):
        assert after[name] == before[name], name
    assert {"endpoint", "data", "headers"} <= set(after["template_fields"])  # still rendered
