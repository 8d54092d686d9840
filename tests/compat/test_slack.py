"""The Slack failure callback posts to a webhook from an Airflow connection (a local server here)."""

import logging
import re
import time

import pendulum
import pytest

from compat.slack import slack_failure_callback
from tests.compat.webhook_server import WebhookServer
from tests.dags.airflow_runtime import load_dagbag, scheduled_task_instance

TOKEN = "T0AAAAAAA/B0BBBBBBB/SeCrEtWeBhOoKtOkEn"
TOKEN_URI_QUOTED = TOKEN.replace("/", "%2F")


@pytest.fixture(scope="module")
def failed_context():
    make = getattr(pendulum, "create", None) or pendulum.datetime  # pendulum 1 vs 2/3
    dag = load_dagbag().dags["test_dag"]
    ti, context = scheduled_task_instance(dag, "print_a", make(2021, 12, 31, 8, tz="Asia/Seoul"))
    context["exception"] = RuntimeError("boom in print_a")
    return ti, context


def _log_text(caplog):
    # Airflow 1.10's colored log formatter wraps %r arguments in ANSI escapes
    return re.sub(r"\x1b\[[0-9;]*m", "", caplog.text)


def _use_webhook(monkeypatch, port):
    # The connection as an operator would define it: the secret path is the (URI-quoted) password.
    monkeypatch.setenv("AIRFLOW_CONN_SLACK_WEBHOOK", f"http://:{TOKEN_URI_QUOTED}@127.0.0.1:{port}/services")


def test_posts_dag_task_run_and_log_url(monkeypatch, caplog, failed_context):
    ti, context = failed_context
    with WebhookServer(status=200) as hook, caplog.at_level(logging.DEBUG):
        _use_webhook(monkeypatch, hook.port)
        slack_failure_callback(context)
    assert len(hook.captured) == 1
    request = hook.captured[0]
    assert request["path"] == "/services/" + TOKEN
    assert request["headers"]["Content-Type"] == "application/json"
    text = request["json"]["text"]
    assert "*DAG*: test_dag" in text
    assert "*Task*: print_a" in text
    assert "*Run*: {}".format(context["run_id"]) in text
    assert context["run_id"] and "2021-12-30T23:00:00" in context["run_id"]  # 08:00 KST = 23:00 UTC
    assert f"*Log*: {ti.log_url}" in text
    assert "boom in print_a" in text
    assert "SeCrEtWeBhOoKtOkEn" not in caplog.text
    assert "sent via connection 'slack_webhook'" in _log_text(caplog)


def test_rejected_post_is_logged_without_the_secret_and_does_not_raise(monkeypatch, caplog, failed_context):
    _, context = failed_context
    with WebhookServer(status=403) as hook, caplog.at_level(logging.DEBUG):
        _use_webhook(monkeypatch, hook.port)
        slack_failure_callback(context)
    assert len(hook.captured) == 1
    assert "HTTP 403" in _log_text(caplog)
    assert "SeCrEtWeBhOoKtOkEn" not in caplog.text


def test_unreachable_webhook_times_out_quickly(monkeypatch, caplog, failed_context):
    import socket

    from compat.slack import send_failure_alert

    _, context = failed_context
    # A listening socket that never accepts: the POST can only end by the callback's timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(0)
        _use_webhook(monkeypatch, silent.getsockname()[1])
        started = time.monotonic()
        with caplog.at_level(logging.DEBUG):
            assert send_failure_alert(context, timeout=1.0) is False
        assert time.monotonic() - started < 5
    assert "SeCrEtWeBhOoKtOkEn" not in caplog.text


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (  # from AIRFLOW_CONN_SLACK_WEBHOOK='https://:T%2FB%2FX@hooks.slack.com/services'
            {"conn_type": "https", "host": "hooks.slack.com", "schema": "services", "password": "T/B/X"},
            "https://hooks.slack.com/services/T/B/X",
        ),
        (  # the Slack provider's layout: full base URL in host
            {"conn_type": "http", "host": "https://hooks.slack.com/services/", "password": "/T/B/X"},
            "https://hooks.slack.com/services/T/B/X",
        ),
        (
            {"conn_type": "http", "host": "127.0.0.1", "port": 8080, "schema": "hook", "password": "T/B/X"},
            "http://127.0.0.1:8080/hook/T/B/X",
        ),
    ],
)
def test_webhook_url_from_connection_fields(fields, expected):
    from airflow.models import Connection

    from compat.slack import webhook_url

    assert webhook_url(Connection(conn_id="slack_webhook", **fields)) == expected
