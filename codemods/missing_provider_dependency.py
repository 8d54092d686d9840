"""AU164: an import of a provider module that needs another provider distribution, not installed with it.

What: `from airflow.providers.google.cloud.operators.dataflow import DataflowTemplatedJobStartOperator`
(or the 1.10 `airflow.contrib.operators.dataflow_operator` that becomes it) on a release of the
google provider whose module imports `airflow.providers.apache.beam` at module level.

Why: some provider modules import another provider's modules when they are imported, either
plainly or as `try: from airflow.providers.apache.beam... except ImportError: raise
AirflowOptionalProviderFeatureException("Failed to import apache-airflow-providers-apache-beam...")`
(google's Dataflow hook since google 10.x). That other provider is only an extra of the release
(`apache-airflow-providers-google[apache-beam]`), so `pip install apache-airflow-providers-google`
does not bring it and the DAG file fails to import. 1.10's contrib modules needed no second
package. Which modules import what, per provider release, and each release's and each target
Airflow's provider requirements are generated from the provider and Airflow wheels
(codemods/_generated/providers/, scripts/gen_provider_history.py); the advice is for the chosen
release (`--providers` pins over the newest release allowing the target), and a distribution the
pins list counts as installed. A report: only the deployment's requirements can fix it.

Code written for several versions is checked too: in `try: from airflow.providers... import X` /
`except ImportError: from airflow.contrib... import X`, the provider import is what the target
runs, and the `except ImportError:` does not help when the provider raises
AirflowOptionalProviderFeatureException (not an ImportError). Its 1.10 fallback, written for the
old version only, is not reported.

## Example
```python target=2
from airflow.providers.google.cloud.operators.dataflow import DataflowTemplatedJobStartOperator
```
Use instead, once `apache-airflow-providers-apache-beam` (or `apache-airflow-providers-google[apache-beam]`)
is in the deployment's requirements (or name it in `--providers`):
```python
from airflow.providers.google.cloud.operators.dataflow import DataflowTemplatedJobStartOperator  # noqa: AU164
```
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Optional

from codemods import _providers
from codemods._base import NO_FIX, Finding, Rule
from codemods._import_spans import positioned_aliases
from codemods._target_signature import chosen_releases, target_home


class MissingProviderDependency(Rule):
    code = "AU164"
    name = "missing-provider-dependency"
    summary = (
        "Report imports of provider modules that need another provider distribution (an extra, not installed)"
    )
    tokens = (b"airflow",)
    fix = NO_FIX
    node_types = (ast.Import, ast.ImportFrom)
    in_import_guards = True

    def check(self, node: ast.Import | ast.ImportFrom) -> Iterator[Finding]:
        # in version-switched code, only the imports already written for a provider release
        prefix = "airflow.providers." if self.ctx.imports.guarded(node.lineno) else "airflow"
        if isinstance(node, ast.ImportFrom):
            if node.level or not node.module or not node.module.startswith(prefix):
                return
            modules: list[str] = []
            for name in [node.module, *(f"{node.module}.{a.name}" for a in node.names if a.name != "*")]:
                module = self._target_module(name)
                if module is not None and module not in modules:
                    modules.append(module)
            for module in modules:
                message = self._message(module)
                if message:
                    yield Finding(node, message)
            return
        for alias in positioned_aliases(node, self.ctx.lines):
            module = self._target_module(alias.name) if alias.name.startswith(prefix) else None
            message = self._message(module) if module else None
            if message:
                yield Finding(alias, message)

    def _target_module(self, name: str) -> Optional[str]:
        """The provider module `name` (a module, or a name of one) is, or becomes, on the target."""
        home = target_home(name, self.ctx)
        if home is None:
            return None
        dist = _providers.dist_of(home)
        version = chosen_releases(self.ctx).version(dist) if dist else None
        found = _providers.state(home, version) if version else None
        if found is None:
            return None
        return home if found.get("k") == "module" else home.rpartition(".")[0]

    def _message(self, module: str) -> Optional[str]:
        chosen = chosen_releases(self.ctx)
        needed = [dist for dist in _providers.needs_distributions(module, chosen) if not chosen.pinned(dist)]
        if not needed:
            return None
        dist = _providers.dist_of(module) or ""
        short = dist.removeprefix("apache-airflow-providers-")
        return f"`{module}` needs {' and '.join(needed)} in {short} {chosen.version(dist)}: install it"
