"""scripts/provider_reader.py: what one provider module's source becomes (the STATE rows of
codemods/_generated/providers/), on small sources written the way provider releases wrote them."""

from __future__ import annotations

import sys
import textwrap

import pytest

from tests.airflow_envs import REPO

sys.path.insert(0, str(REPO / "scripts"))
import provider_reader  # noqa: E402

MODULE = "airflow/providers/acme/operators/thing.py"
Q = "airflow.providers.acme.operators.thing"


def read(source: str, path: str = MODULE) -> dict[str, dict]:
    return provider_reader.read_release({path: textwrap.dedent(source).encode()})


def test_class_bases_qualified_through_imports_and_init_parameters():
    names = read(
        """\
        from airflow.models import BaseOperator

        class ThingOperator(BaseOperator):
            def __init__(self, *, sql, conn_id="x", parameters=None, **kwargs):
                super().__init__(**kwargs)

        class _Private:
            pass
        """
    )
    assert names == {
        Q: {"k": "module"},
        f"{Q}.ThingOperator": {
            "k": "class",
            "b": ["airflow.models.BaseOperator"],
            "p": ["*", "sql", "conn_id=", "parameters=", "**kwargs"],
        },
    }


def test_deprecated_shim_module_reexports_and_points_to_its_replacement():
    names = read(
        """\
        import warnings
        from airflow.providers.acme.operators.other import ThingOperator  # noqa

        warnings.warn(
            "This module is deprecated. "
            "Please use `airflow.providers.acme.operators.other`.",
            DeprecationWarning,
            stacklevel=2,
        )
        """
    )
    # the module it imports is outside this one-file read: an import from another distribution
    assert names[Q].pop("x") == ["airflow.providers.acme.operators.other"]
    assert names[Q] == {
        "k": "module",
        "d": {
            "m": "This module is deprecated. Please use `airflow.providers.acme.operators.other`.",
            "use": "airflow.providers.acme.operators.other",
            "rm": None,
        },
    }
    assert names[f"{Q}.ThingOperator"] == {
        "k": "alias",
        "to": "airflow.providers.acme.operators.other.ThingOperator",
    }


@pytest.mark.parametrize(
    "decorator, deprecation",
    [
        (
            '@deprecated(reason="Please use `HttpOperator` instead.", category=AirflowProviderDeprecationWarning)',
            {
                "m": "Please use `HttpOperator` instead.",
                "use": "airflow.providers.acme.operators.base.HttpOperator",
                "rm": None,
            },
        ),
        (
            '@deprecated(planned_removal_date="June 01, 2025", use_instead="HttpOperator", category=X)',
            {"m": "", "use": "airflow.providers.acme.operators.base.HttpOperator", "rm": "June 01, 2025"},
        ),
    ],
)
def test_deprecated_decorator_on_a_pure_subclass_is_a_rename(decorator, deprecation):
    names = read(
        f"""\
        from deprecated import deprecated
        from airflow.providers.acme.operators.base import HttpOperator

        {decorator}
        class SimpleHttpOperator(HttpOperator):
            pass
        """
    )
    assert names[f"{Q}.SimpleHttpOperator"] == {
        "k": "class",
        "b": ["airflow.providers.acme.operators.base.HttpOperator"],
        "d": deprecation,
        "to": "airflow.providers.acme.operators.base.HttpOperator",
    }


def test_deprecated_subclass_with_its_own_mapping_is_not_a_rename():
    names = read(
        """\
        import warnings
        from airflow.providers.common.sql.operators.sql import SQLExecuteQueryOperator

        class PostgresOperator(SQLExecuteQueryOperator):
            def __init__(self, *, postgres_conn_id="postgres_default", database=None, **kwargs):
                if database is not None:
                    hook_params = kwargs.pop("hook_params", {})
                    kwargs["hook_params"] = {"database": database, **hook_params}
                super().__init__(conn_id=postgres_conn_id, **kwargs)
                warnings.warn("Please use `airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator`.")
        """
    )
    state = names[f"{Q}.PostgresOperator"]
    assert "to" not in state
    assert state["d"]["use"] == "airflow.providers.common.sql.operators.sql.SQLExecuteQueryOperator"
    assert state["sc"] == {"conn_id": "postgres_conn_id"}


@pytest.mark.parametrize(
    "body, deprecated_params",
    [
        # if old is not None: warn; new = old
        (
            "if bigquery_conn_id:\n    warnings.warn('use gcp_conn_id')\n    gcp_conn_id = bigquery_conn_id",
            {"bigquery_conn_id": "gcp_conn_id"},
        ),
        # self.new = old
        ("if old is not None:\n    warnings.warn('x')\n    self.new = old", {"old": "new"}),
        # "old" in kwargs: kwargs["new"] = kwargs.pop("old")
        (
            "if 'schema' in kwargs:\n    warnings.warn('renamed')\n    kwargs['database'] = kwargs.pop('schema')",
            {"schema": "database"},
        ),
        # no assignment: the parameter the warning names
        (
            "if delegate_to:\n    warnings.warn('delegate_to is deprecated, use impersonation_chain')",
            {"delegate_to": "impersonation_chain"},
        ),
        # warned and dropped
        ("if delegate_to:\n    warnings.warn('delegate_to is deprecated')", {"delegate_to": None}),
        # a condition without a warning is not a deprecation
        ("if gcp_conn_id:\n    self.x = gcp_conn_id", None),
    ],
)
def test_deprecated_parameters_from_init_code(body, deprecated_params):
    source = (
        "import warnings\nfrom airflow.models import BaseOperator\n\n"
        "class T(BaseOperator):\n"
        "    def __init__(self, gcp_conn_id='g', bigquery_conn_id=None, old=None, delegate_to=None,"
        " impersonation_chain=None, **kwargs):\n" + textwrap.indent(body, " " * 8) + "\n"
    )
    assert read(source)[f"{Q}.T"].get("dp") == deprecated_params


def test_deprecated_omission_records_the_value_used_then():
    names = read(
        """\
        import warnings
        from airflow.models import BaseOperator

        class CreateCluster(BaseOperator):
            def __init__(self, *, region=None, **kwargs):
                if region is None:
                    warnings.warn("Default region value `global` will be deprecated. Please, provide region value.")
                    region = "global"
                super().__init__(**kwargs)
        """
    )
    state = names[f"{Q}.CreateCluster"]
    assert state["dd"] == {"region": "'global'"}
    assert state["dp"] == {"region": None}  # warned about, as before "dd" existed


def test_messages_fold_whitespace_and_keep_fstring_fields_as_source():
    names = read(
        """\
        import warnings

        def helper(x):
            warnings.warn(f\"\"\"helper is deprecated,
                use {NEW_NAME!r}\"\"\")
        """
    )
    assert names[f"{Q}.helper"] == {
        "k": "function",
        "p": ["x"],
        "d": {"m": "helper is deprecated, use {NEW_NAME}", "use": None, "rm": None},
    }


def test_module_constants_are_names_too():
    names = read("RUN_NOW_ENDPOINT = ('POST', 'api/2.0/jobs/run-now')\nlower = 1\n_PRIVATE = 2\n")
    assert names == {Q: {"k": "module"}, f"{Q}.RUN_NOW_ENDPOINT": {"k": "constant"}}


def test_tests_and_example_dags_are_not_read():
    assert read("class X: pass\n", "airflow/providers/acme/example_dags/example_x.py") == {}
    assert read("class X: pass\n", "airflow/providers/acme/get_provider_info.py") == {}


def _read_release(files: dict[str, str]) -> dict[str, dict]:
    return provider_reader.read_release({path: textwrap.dedent(src).encode() for path, src in files.items()})


def test_module_level_imports_of_other_providers_through_the_release_own_modules():
    names = _read_release(
        {
            "airflow/providers/acme/__init__.py": "",
            "airflow/providers/acme/hooks/__init__.py": "",
            "airflow/providers/acme/hooks/flow.py": """\
                from typing import TYPE_CHECKING

                from airflow.exceptions import AirflowOptionalProviderFeatureException
                from airflow.providers.acme.hooks import helpers
                import airflow.providers.other.utils

                try:
                    from airflow.providers.apache.beam.hooks.beam import BeamHook
                except ImportError as e:
                    raise AirflowOptionalProviderFeatureException("Failed to import apache-beam") from e
                try:
                    from airflow.providers.fallback.hooks import FallbackHook
                except ImportError:
                    FallbackHook = None
                if TYPE_CHECKING:
                    from airflow.providers.typing_only.hooks import TypingHook

                def lazy():
                    from airflow.providers.lazy.hooks import LazyHook
                """,
            "airflow/providers/acme/hooks/helpers.py": "from airflow.providers.common.sql.hooks.sql import DbApiHook\n",
            "airflow/providers/acme/operators/flow.py": "from airflow.providers.acme.hooks.flow import FlowHook\n",
            "airflow/providers/acme/operators/plain.py": "from airflow.providers.acme import __version__\n",
        }
    )
    hook = [
        "airflow.providers.apache.beam.hooks.beam",
        "airflow.providers.common.sql.hooks.sql",
        "airflow.providers.other.utils",
    ]
    assert names["airflow.providers.acme.hooks.flow"] == {"k": "module", "x": hook}
    # importing the operator module imports the hook module, and with it what the hook imports
    assert names["airflow.providers.acme.operators.flow"] == {"k": "module", "x": hook}
    assert names["airflow.providers.acme.hooks.helpers"] == {
        "k": "module",
        "x": ["airflow.providers.common.sql.hooks.sql"],
    }
    assert names["airflow.providers.acme.operators.plain"] == {"k": "module"}
    assert names["airflow.providers.acme.hooks"] == {"k": "module"}
