"""The keyword arguments each Airflow 1.10.15 operator class accepted (generated data).

codemods/_generated/operator_kwargs_1_10.json, written by scripts/gen_operator_kwargs_1_10.py:
the class's own arguments along its bases, plus BaseOperator's (codemods/_generated/dag_signature.py);
None for a class whose unknown keywords were not provably dropped by BaseOperator; and the
literal defaults of the class's own arguments (the source text of the value 1.10 used when a call
omitted the argument and no default_args gave it).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Optional

from codemods._generated.dag_signature import BASE_OPERATOR_KWARGS

DATA = Path(__file__).resolve().parent / "_generated" / "operator_kwargs_1_10.json"


@cache
def _data() -> dict:
    return json.loads(DATA.read_text())


@cache
def accepted_1_10() -> dict[str, Optional[frozenset[str]]]:
    classes = _data()["classes"]
    base = BASE_OPERATOR_KWARGS["1.10"]
    return {name: None if params is None else frozenset(params) | base for name, params in classes.items()}


def default_1_10(qualified: str, argument: str) -> Optional[str]:
    """The source text (a `repr`) of the literal default the 1.10.15 class had for `argument`,
    None when it had none, or no literal one."""
    return _data()["defaults"].get(qualified, {}).get(argument)
