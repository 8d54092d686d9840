"""Slack failure callback: posts dag/task/run/log-url to a webhook kept in an Airflow connection.

    default_args = {"on_failure_callback": slack_failure_callback}

The connection (default id ``slack_webhook``) holds the webhook's base URL in ``host`` and its
secret path (``T000/B000/XXXX``) in ``password``, the layout of the Slack provider's webhook
connection, so the secret stays in the connection store and is never logged. For example::

    AIRFLOW_CONN_SLACK_WEBHOOK='https://:T000%2FB000%2FXXXX@hooks.slack.com/services'

Uses only the standard library (urllib) so it runs in every Airflow env without extra pins.
"""

import json
import logging
import urllib.error
import urllib.request

from compat._imports import first_importable

DEFAULT_CONN_ID = "slack_webhook"
DEFAULT_TIMEOUT_SECONDS = 10.0

log = logging.getLogger(__name__)


def _base_hook():
    # Airflow 3.0: hooks live in the Task SDK; 2.0 moved base_hook.BaseHook to hooks.base.
    return first_importable("BaseHook", ["airflow.sdk", "airflow.hooks.base", "airflow.hooks.base_hook"])


def webhook_url(connection):
    """The full webhook URL from a connection: ``host`` (+ port, + ``schema`` path) + ``password``.

    ``host`` may carry the scheme (``https://hooks.slack.com/services``) or not, as it does when
    the connection comes from a URI like ``https://:TOKEN@hooks.slack.com/services``.
    """
    host = (connection.host or "").strip()
    if not host:
        raise ValueError("connection %r has no host" % connection.conn_id)
    if "://" not in host:
        scheme = connection.conn_type if connection.conn_type in ("http", "https") else "https"
        host = "%s://%s" % (scheme, host)
        if connection.port:
            host += ":%d" % connection.port
        if connection.schema:
            host += "/" + connection.schema.strip("/")
    token = (connection.password or "").strip("/")
    return host.rstrip("/") + ("/" + token if token else "")


def _logical_date(context):
    # Airflow 2.2 renamed execution_date to logical_date; reading the old key warns on 2.2-2.x.
    if "logical_date" in context:
        return context["logical_date"]
    return context.get("execution_date")


def failure_message(context):
    """The Slack payload for a failed task: dag, task, run, logical date, try, log URL."""
    ti = context["task_instance"]
    lines = [
        ":red_circle: Task failed",
        "*DAG*: %s" % ti.dag_id,
        "*Task*: %s" % ti.task_id,
        "*Run*: %s" % context.get("run_id"),
        "*Logical date*: %s" % _logical_date(context),
        "*Try*: %s" % getattr(ti, "try_number", None),
        "*Log*: %s" % ti.log_url,
    ]
    exception = context.get("exception")
    if exception is not None:
        lines.append("*Error*: %s" % (str(exception)[:500],))
    return {"text": "\n".join(lines)}


def post_to_webhook(url, payload, timeout=DEFAULT_TIMEOUT_SECONDS):
    """POST ``payload`` as JSON; returns the HTTP status. Raises on HTTP and network errors."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) from a connection)
        return response.status


def send_failure_alert(context, conn_id=DEFAULT_CONN_ID, timeout=DEFAULT_TIMEOUT_SECONDS):
    """Post the failure of ``context``'s task; True when Slack accepted it.

    Never raises: a failing alert must not mask the task's own failure. Log lines name the DAG,
    task and connection id only; the webhook URL (which is the secret) is never logged.
    """
    ti = context.get("task_instance")
    where = "%s.%s" % (getattr(ti, "dag_id", "?"), getattr(ti, "task_id", "?"))
    try:
        url = webhook_url(_base_hook().get_connection(conn_id))
        status = post_to_webhook(url, failure_message(context), timeout=timeout)
    except urllib.error.HTTPError as error:
        log.warning("Slack alert for %s via connection '%s' failed: HTTP %s", where, conn_id, error.code)
        return False
    except Exception as error:  # noqa: BLE001 (any failure: log the type only, the text may hold the URL)
        log.warning("Slack alert for %s via connection '%s' failed: %s", where, conn_id, type(error).__name__)
        return False
    log.info("Slack alert for %s sent via connection '%s' (HTTP %s)", where, conn_id, status)
    return True


def slack_failure_callback(context):
    """``on_failure_callback`` for ``default_args``: posts to the ``slack_webhook`` connection."""
    send_failure_alert(context)
