"""KST template macros that render the same string on Airflow 1.10, 2.0, 2.x and 3.x.

The reference team's templates were::

    '{{ execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'       # "yesterday" in KST
    '{{ next_execution_date.in_timezone("Asia/Seoul").strftime("%Y-%m-%d") }}'  # "today" in KST

``execution_date``/``next_execution_date`` are deprecated in Airflow 2.2 and gone in 3.0; their
replacements ``data_interval_start``/``data_interval_end`` do not exist before 2.2. For scheduled
runs the two pairs are equal, so these macros read whichever pair the running Airflow provides.
(Manual runs differ: on 2.2+ a manual run's data interval is the last complete one, on 1.10 and
2.0 ``execution_date`` is the trigger time; the macros follow each version there.)

Usage::

    DAG(..., user_defined_macros=kst_macros())
    bash_command="run.sh {{ kst_yesterday() }} {{ kst_today() }}"
    "{{ in_tz(interval_end(), 'Asia/Seoul', '%Y%m%d') }}"
"""

from compat.timezone import KST_NAME, in_timezone

try:  # Jinja 3.0 renamed contextfunction to pass_context (Airflow 2.2+ ships Jinja 3)
    from jinja2 import pass_context
except ImportError:  # Jinja 2.11: Airflow 1.10.15 and 2.0.2
    from jinja2 import contextfunction as pass_context

DATE_FORMAT = "%Y-%m-%d"


def _context_value(context, new_name, old_name):
    # Look the 2.2+ name up first: reading execution_date on 2.2-2.11 emits a deprecation warning.
    value = context.get(new_name)
    if value is None:
        value = context.get(old_name)
    if value is None:
        raise KeyError("template context has neither %r nor %r" % (new_name, old_name))
    return value


def in_tz(value, tz_name=KST_NAME, fmt=DATE_FORMAT):
    """Format the aware datetime ``value`` in the timezone ``tz_name`` with ``fmt``."""
    return in_timezone(value, tz_name).strftime(fmt)


@pass_context
def interval_start(context):
    """Start of the run's data interval (== ``execution_date`` for scheduled runs)."""
    return _context_value(context, "data_interval_start", "execution_date")


@pass_context
def interval_end(context):
    """End of the run's data interval (== ``next_execution_date`` for scheduled runs)."""
    return _context_value(context, "data_interval_end", "next_execution_date")


@pass_context
def kst_yesterday(context, fmt=DATE_FORMAT):
    """The KST date the run's data interval starts on (the team's YESTERDAY)."""
    return in_tz(_context_value(context, "data_interval_start", "execution_date"), KST_NAME, fmt)


@pass_context
def kst_today(context, fmt=DATE_FORMAT):
    """The KST date the run's data interval ends on (the team's TODAY)."""
    return in_tz(_context_value(context, "data_interval_end", "next_execution_date"), KST_NAME, fmt)


def kst_macros():
    """A fresh ``user_defined_macros`` dict with every macro of this module."""
    return {
        "in_tz": in_tz,
        "interval_start": interval_start,
        "interval_end": interval_end,
        "kst_yesterday": kst_yesterday,
        "kst_today": kst_today,
    }
