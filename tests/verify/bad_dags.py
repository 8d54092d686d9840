"""DAG files for the snapshot tests, written to a temp dir by the tests.

Not kept as .py files in the repo: one has a syntax error on purpose (ruff and pytest's
collection would trip over it), and all must be loadable by Airflow 1.10.15 ... 3.x alike.
"""

# Builds the same DAG on every Airflow version: the imports and the schedule argument are the
# only things that differ (schedule_interval= was removed in Airflow 3.0, schedule= is 2.4+).
GOOD = """
import os
from datetime import datetime, timedelta

from airflow import DAG

try:
    from airflow.providers.standard.operators.bash import BashOperator
except ImportError:
    try:
        from airflow.operators.bash import BashOperator
    except ImportError:
        from airflow.operators.bash_operator import BashOperator

ARGS = {"owner": "data", "retries": 2, "retry_delay": timedelta(minutes=5)}
try:
    dag = DAG("good", schedule="@daily", start_date=datetime(2021, 1, 1), default_args=ARGS, catchup=False)
except TypeError:
    dag = DAG("good", schedule_interval="@daily", start_date=datetime(2021, 1, 1), default_args=ARGS, catchup=False)



class AuditOperator(BashOperator):  # an operator class defined in the DAG file itself
    pass


extract = BashOperator(task_id="extract", bash_command="echo {{ ds }}", dag=dag)
audit = AuditOperator(task_id="audit", bash_command="echo audit", dag=dag)
load = BashOperator(task_id="load", bash_command="echo load", dag=dag, pool="warehouse", queue="etl")
SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scripts", "report.sh")
report = BashOperator(task_id="report", bash_command="bash " + SCRIPT + " --daily", dag=dag, retries=0)
extract >> load >> report
extract >> audit
"""

# Reads a Variable at parse time: loads only when the fixture file defines it.
READS_VARIABLE = """
from datetime import datetime

from airflow import DAG
from airflow.models import Variable

TARGET = Variable.get("target_table")
try:
    dag = DAG("reads_variable", schedule=None, start_date=datetime(2021, 1, 1), params={"t": TARGET})
except TypeError:
    dag = DAG("reads_variable", schedule_interval=None, start_date=datetime(2021, 1, 1), params={"t": TARGET})
"""

MISSING_VARIABLE = """
from airflow import DAG
from airflow.models import Variable

Variable.get("variable_nobody_defined")
"""

HANGS = """
import time
from airflow import DAG

time.sleep(3600)
"""

CALLS_SYS_EXIT = """
import sys
from airflow import DAG

sys.exit(7)
"""

CALLS_OS_EXIT = """
import os
from airflow import DAG

os._exit(9)
"""

SYNTAX_ERROR = """
from airflow import DAG

def broken(:
    pass
"""

FILES = {
    "good.py": GOOD,
    "reads_variable.py": READS_VARIABLE,
    "missing_variable.py": MISSING_VARIABLE,
    "hangs.py": HANGS,
    "calls_sys_exit.py": CALLS_SYS_EXIT,
    "calls_os_exit.py": CALLS_OS_EXIT,
    "syntax_error.py": SYNTAX_ERROR,
}
