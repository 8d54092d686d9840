"""Run DAGs in the real Airflow envs with a provider release the envs do not install.

The tox envs install Airflow without the google provider and without Google's client
libraries. A test that needs a pinned provider release installs it alone (no dependencies, uv
with the project's cache, UV_CACHE_DIR) into a folder it puts first on sys.path; the
third-party modules the provider (or 1.10's contrib code) imports and the env lacks are
permissive stand-ins. Airflow's modules and the provider's own are never replaced: the
stand-ins are found last on the meta path, only for the top-level packages the given
code imports, and never for `airflow` or the standard library.

`STUBS` is Python source to put before a script run with `run_json`; it defines
`use_release(folder, *own)`: `folder` ("" for none) goes first on sys.path, and the missing
modules imported by the code in `own` (files, or folders walked) become stand-ins. Keep `own`
to the code the test needs: a stand-in is importable, so code that only tries an import (as
1.10's settings does MySQLdb) would take it for the real one.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.airflow_envs import airflow_python


def install_release(package: str, version: str, folder: Path, *, env: str = "af2") -> Path:
    """Install `package==version` alone into `folder` for `env`'s Python; fails the test (with
    uv's message) when the release cannot be had, e.g. no network and not in the uv cache."""
    command = [
        "uv",
        "pip",
        "install",
        "-q",
        "--no-deps",
        "--target",
        str(folder),
        "--python",
        str(airflow_python(env)),
        f"{package}=={version}",
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(
            f"cannot install {package}=={version}: `{' '.join(command)}` failed: {exc}", pytrace=False
        )
    if result.returncode != 0:
        pytest.fail(
            f"cannot install {package}=={version} (needs the network or the release in uv's cache, "
            f"UV_CACHE_DIR): `{' '.join(command)}` exited {result.returncode}:\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    return folder


STUBS = """\
import ast, importlib.abc, importlib.machinery, os, sys, types

_STDLIB = getattr(sys, "stdlib_module_names", ())


def _python_files(path):
    if not os.path.isdir(path):
        return [path]
    return [os.path.join(b, n) for b, _, names in os.walk(path) for n in names if n.endswith(".py")]


def _imported_roots(paths):
    roots = set()
    for path in paths:
        for file in _python_files(path):
            for node in ast.walk(ast.parse(open(file, "rb").read())):
                if isinstance(node, ast.Import):
                    roots.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    roots.add(node.module.split(".")[0])
    return {r for r in roots if r != "airflow" and r not in _STDLIB}


class _Meta(type):
    def __getattr__(cls, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Meta(name, (_Stub,), {})

    def __or__(cls, other):
        return cls

    __ror__ = __or__

    def __getitem__(cls, item):
        return cls

    def __iter__(cls):
        return iter(())


class _Stub(metaclass=_Meta):
    def __init__(self, *args, **kwargs):
        pass

    def __call__(self, *args, **kwargs):
        return _Stub()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Stub()


class _StubModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Meta(name, (_Stub,), {})


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    # last on the meta path: only modules no installed package provides
    def __init__(self, roots):
        self.roots = roots

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] not in self.roots:
            return None
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        module = _StubModule(spec.name)
        module.__path__ = []
        return module

    def exec_module(self, module):
        pass


def use_release(folder, *own):
    if folder:
        sys.path.insert(0, folder)
    sys.meta_path.append(_Finder(_imported_roots(own)))
"""
