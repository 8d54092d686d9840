"""The installed Airflow version as a comparable tuple."""

import re


def airflow_version():
    """(major, minor, micro) of the installed Airflow, e.g. (1, 10, 15) or (3, 3, 2)."""
    from airflow import version as airflow_version_module

    numbers = re.findall(r"\d+", airflow_version_module.version)[:3]
    return tuple(int(n) for n in numbers + ["0"] * (3 - len(numbers)))
