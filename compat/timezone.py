"""The KST timezone and KST datetimes that work with pendulum 1 (Airflow 1.10), 2 (2.x) and 3 (2.11/3.x).

Airflow takes a DAG's timezone from ``start_date.tzinfo``, which must be a pendulum timezone on
every version; ``pendulum.timezone(name)`` exists in pendulum 1, 2 and 3 alike.
"""

import pendulum

KST_NAME = "Asia/Seoul"


def kst():
    """The Asia/Seoul pendulum timezone."""
    return pendulum.timezone(KST_NAME)


KST = kst()


def kst_datetime(year, month, day, hour=0, minute=0, second=0):
    """An aware pendulum datetime in KST.

    pendulum 1 spells the constructor ``pendulum.create``; pendulum 2 renamed it to
    ``pendulum.datetime`` (Airflow 2.0+); in pendulum 1 ``pendulum.datetime`` is the class itself. Passing ``tzinfo=`` to ``datetime.datetime`` instead
    would give the zone's LMT offset (+08:28) on pendulum 1.
    """
    make = getattr(pendulum, "create", None) or pendulum.datetime
    return make(year, month, day, hour, minute, second, tz=KST_NAME)


def in_timezone(value, tz_name=KST_NAME):
    """``value`` (an aware datetime, pendulum or stdlib) converted to the timezone ``tz_name``."""
    return pendulum.instance(value).in_timezone(tz_name)
