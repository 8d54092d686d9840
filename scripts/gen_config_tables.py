"""Generate upgrade/config_migration/_airflow_deprecations.py from Airflow 2's own configuration.py.

Airflow 2.x's ``AirflowConfigParser`` carries the ground truth for renamed config options:
``deprecated_options``, ``many_to_one_deprecated_options``, ``deprecated_sections`` and
``deprecated_values``. This script reads those class attributes from the *installed* file with
``ast`` (Airflow is never imported: the tool env has no Airflow) and writes them as plain dicts.

    python scripts/gen_config_tables.py                 # source: .tox/af2 (latest 2.x)
    python scripts/gen_config_tables.py --source PATH/airflow/configuration.py
    python scripts/gen_config_tables.py --check         # exit 1 when the committed table drifted

It also diffs the default airflow.cfg of 1.10.15 (.tox/af110) against 2.0.2's (.tox/af20): the
options 2.0 dropped without a rename, and the defaults 2.0 changed.

For target 3 it reads Airflow 3's own migration table, ``CONFIGS_CHANGES`` of
airflow/cli/commands/config_command.py (what ``airflow config lint`` / ``update`` use: renames,
removals, removals only when the value is the old default, default changes, invalid values),
resolves chained renames to their final home, and diffs 2.x's config.yml against 3's (plus the
config of the providers installed with it) for the options 3 dropped without saying so.

tests/config_migration/test_generated_tables.py runs the --check form.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import os
import pprint
import re
import shutil
import subprocess
import sys
from pathlib import Path

from _generator import tox_dir, write_or_check

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "upgrade" / "config_migration" / "_airflow_deprecations.py"
TABLE_NAMES = (
    "deprecated_options",
    "many_to_one_deprecated_options",
    "deprecated_sections",
    "deprecated_values",
)
# Airflow fills this replacement in at run time from config.yml (2.3+); we take it to mean
# "the new default", i.e. the migrated file should stop pinning the old default.
RUNTIME_DEFAULT_PLACEHOLDER = "XX-set-after-default-config-loaded-XX"


def default_source() -> Path:
    workdir = tox_dir()
    found = sorted(workdir.glob("af2/lib/python*/site-packages/airflow/configuration.py"))
    if not found:
        raise SystemExit(
            f"gen_config_tables: no Airflow 2.x install under {workdir}/af2; "
            "build it with `tox run -e af2 --notest` or pass --source"
        )
    return found[-1]


def default_cfg(env: str) -> Path:
    workdir = tox_dir()
    pattern = f"{env}/lib/python*/site-packages/airflow/config_templates/default_airflow.cfg"
    found = sorted(workdir.glob(pattern))
    if not found:
        raise SystemExit(f"gen_config_tables: no {pattern} under {workdir}; build the tox env {env}")
    return found[-1]


def _read_cfg(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(path, encoding="utf-8")
    return parser


def default_cfg_changes(cfg_110: Path, cfg_20: Path, deprecated_options: dict) -> dict:
    """What 2.0.2's default airflow.cfg dropped or changed relative to 1.10.15's."""
    old, new = _read_cfg(cfg_110), _read_cfg(cfg_20)
    renamed = {(section, key) for section, key, _ in deprecated_options.values()}
    removed_sections = [s for s in old.sections() if not new.has_section(s)]
    removed_options = {}
    changed_defaults = {}
    for section in old.sections():
        if section in removed_sections:
            continue
        for key, value in old.items(section, raw=True):
            if not new.has_option(section, key):
                if (section, key) not in renamed:
                    removed_options.setdefault(section, []).append(key)
                continue
            new_value = new.get(section, key, raw=True)
            if new_value != value:
                changed_defaults[(section, key)] = (value, new_value)
    return {
        "removed_sections_2_0": {s: list(old.options(s)) for s in removed_sections},
        "removed_options_2_0": removed_options,
        "changed_defaults_2_0": changed_defaults,
    }


def airflow_version(configuration_py: Path) -> str:
    text = (configuration_py.parent / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r"""^__version__\s*=\s*["']([^"']+)["']""", text, re.M)
    if match:
        return match.group(1)
    dist = sorted(configuration_py.parent.parent.glob("apache_airflow-*.dist-info"))
    return dist[-1].name.split("-")[1] if dist else "unknown"


def _pattern(node: ast.expr) -> str:
    """Evaluate the small subset of expressions Airflow uses to build its value patterns."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _pattern(node.left) + _pattern(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "escape":
        return re.escape(_pattern(node.args[0]))
    raise ValueError(f"unsupported pattern expression: {ast.unparse(node)}")


def _compiled_pattern(call: ast.expr) -> str:
    # re.compile(PATTERN[, re.IGNORECASE]) in 2.0-2.6, re2.compile(PATTERN) later.
    if not (isinstance(call, ast.Call) and call.args):
        raise ValueError(f"expected a compile() call, got {ast.unparse(call)}")
    pattern = _pattern(call.args[0])
    flags = [ast.unparse(a) for a in call.args[1:]] + [ast.unparse(k.value) for k in call.keywords]
    if any("IGNORECASE" in f or f.endswith(".I") for f in flags):
        pattern = "(?i)" + pattern
    # re2's end-of-text anchor is \z; Python's re spells it \Z.
    return pattern.replace("\\z", "\\Z")


def _deprecated_values(node: ast.expr) -> dict:
    table = {}
    for section_key, options in zip(node.keys, node.values):
        section = ast.literal_eval(section_key)
        for option_key, entry in zip(options.keys, options.values):
            option = ast.literal_eval(option_key)
            # 2.x: (pattern, replacement, update-before version); 3.x drops the version.
            compiled, replacement, version = (*entry.elts, None)[:3]
            new_value = ast.literal_eval(replacement)
            table[(section, option)] = (
                _compiled_pattern(compiled),
                None if new_value == RUNTIME_DEFAULT_PLACEHOLDER else new_value,
                ast.literal_eval(version) if version is not None else "3.0",
            )
    return table


def _class_tables(source: Path) -> dict:
    """The TABLE_NAMES attributes assigned in the body of `class AirflowConfigParser` of `source`."""
    tree = ast.parse(source.read_text(encoding="utf-8"))
    parser_class = next(
        n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and n.name == "AirflowConfigParser"
    )
    tables = {}
    for statement in parser_class.body:
        if isinstance(statement, ast.AnnAssign):
            target, value = statement.target, statement.value
        elif isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        else:
            continue
        if not isinstance(target, ast.Name) or target.id not in TABLE_NAMES:
            continue
        if target.id == "deprecated_values":
            tables[target.id] = _deprecated_values(value)
        else:
            tables[target.id] = ast.literal_eval(value)
    return tables


def read_tables(configuration_py: Path) -> dict:
    tables = _class_tables(configuration_py)
    missing = [name for name in TABLE_NAMES if name not in tables]
    if missing == ["many_to_one_deprecated_options"]:  # added in 2.6
        tables["many_to_one_deprecated_options"] = {}
    elif missing:
        raise SystemExit(f"gen_config_tables: {configuration_py} has no {', '.join(missing)}")
    return tables


def default_source_3() -> Path:
    workdir = tox_dir()
    found = sorted(workdir.glob("af3/lib/python*/site-packages/airflow/configuration.py"))
    if not found:
        raise SystemExit(
            f"gen_config_tables: no Airflow 3 install under {workdir}/af3; build the tox env af3"
        )
    return found[-1]


def read_tables_3(configuration_py: Path) -> dict:
    """Airflow 3 split the parser: renames live in the shared base class, values in the subclass."""
    shared = configuration_py.parent / "_shared" / "configuration" / "parser.py"
    base = _class_tables(shared) if shared.exists() else {}
    own = _class_tables(configuration_py)
    return {
        "deprecated_options_3": {**base.get("deprecated_options", {}), **own.get("deprecated_options", {})},
        "deprecated_sections_3": {
            **base.get("deprecated_sections", {}),
            **own.get("deprecated_sections", {}),
        },
        "deprecated_values_3": {**base.get("deprecated_values", {}), **own.get("deprecated_values", {})},
    }


def config_command_source(configuration_py: Path) -> Path:
    return configuration_py.parent / "cli" / "commands" / "config_command.py"


def _parameter(call: ast.expr) -> tuple[str, str]:
    """ConfigParameter("section", "option") or ConfigParameter("section", option="option")."""
    values = [ast.literal_eval(a) for a in call.args] + [ast.literal_eval(k.value) for k in call.keywords]
    return values[0], values[1]


def read_configs_changes(config_command_py: Path) -> list[dict]:
    """The ConfigChange(...) calls of CONFIGS_CHANGES as dicts of their keyword arguments."""
    tree = ast.parse(config_command_py.read_text(encoding="utf-8"))
    value = next(
        n.value
        for n in tree.body
        if isinstance(n, ast.Assign)
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id == "CONFIGS_CHANGES"
    )
    changes = []
    for call in value.elts:
        # The dataclass defaults of ConfigChange (3.0-3.3): a change is a removal unless it says otherwise.
        change = {"was_removed": True, "default_change": False, "suggestion": "", "remove_if_equals": None}
        change["is_invalid_if"] = None
        for keyword in call.keywords:
            if keyword.arg in ("config", "renamed_to"):
                change[keyword.arg] = _parameter(keyword.value)
            else:
                change[keyword.arg] = ast.literal_eval(keyword.value)
        changes.append(change)
    return changes


def configs_changes_tables(changes: list[dict], deprecated_options_3: dict) -> dict:
    """CONFIGS_CHANGES as lookup tables, the way `airflow config update` applies them.

    A rename whose new home is itself renamed (by CONFIGS_CHANGES or 3's deprecated_options)
    is followed to the final home; one that ends in a removal is a removal.
    """
    renames, removals, removals_if_equals, default_changes, invalid_values = {}, {}, {}, {}, {}
    for change in changes:
        key = change["config"]
        suggestion = " ".join(change["suggestion"].split())
        if change["default_change"]:
            default_changes[key] = (str(change["old_default"]), str(change["new_default"]), suggestion)
        if change.get("renamed_to"):
            renames[key] = change["renamed_to"]
        elif change["was_removed"]:
            if change["remove_if_equals"] is None:
                removals[key] = suggestion
            else:
                values, _ = removals_if_equals.get(key, ((), ""))
                removals_if_equals[key] = ((*values, str(change["remove_if_equals"])), suggestion)
        if change["is_invalid_if"] is not None:
            invalid_values[key] = (str(change["is_invalid_if"]), suggestion)
    later = {old[:2]: new for new, old in deprecated_options_3.items()}
    final_renames = {}
    for old, new in renames.items():
        seen = {old}
        while (new in renames or new in later) and new not in seen:
            seen.add(new)
            new = renames.get(new) or later[new]
        if new in removals:
            removals[old] = removals[new]
        else:
            final_renames[old] = new
    return {
        "config_renames_3": final_renames,
        "config_removals_3": removals,
        "config_removals_if_equals_3": removals_if_equals,
        "config_default_changes_3": default_changes,
        "config_invalid_values_3": invalid_values,
    }


def _config_yml(config_yml: Path) -> dict:
    import yaml  # the tool env has PyYAML (pod templates); only this script needs it here

    return yaml.safe_load(config_yml.read_text(encoding="utf-8"))


def config_yml_options(config_yml: Path) -> dict[str, set[str]]:
    return {section: set(body.get("options") or {}) for section, body in _config_yml(config_yml).items()}


_DOTTED_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")


def moved_default_classes(config_yml_2: Path, config_yml_3: Path) -> dict:
    """Options whose default is the same class under a new module path in 3 (airflow.models.xcom.BaseXCom
    -> airflow.sdk.execution_time.xcom.BaseXCom): the old path only works through a deprecation shim."""
    old, new = _config_yml(config_yml_2), _config_yml(config_yml_3)
    moved = {}
    for section, body in old.items():
        for option, spec in (body.get("options") or {}).items():
            spec_3 = (new.get(section, {}).get("options") or {}).get(option)
            before, after = str(spec.get("default")), str((spec_3 or {}).get("default"))
            if (
                spec_3
                and before != after
                and _DOTTED_PATH.match(before)
                and _DOTTED_PATH.match(after)
                and before.rsplit(".", 1)[1] == after.rsplit(".", 1)[1]
            ):
                moved[(section, option)] = (before, after)
    return moved


def provider_config_options(site_packages: Path) -> dict[str, set[str]]:
    """The `config` of every provider installed next to Airflow (get_provider_info() returns a literal)."""
    options: dict[str, set[str]] = {}
    for info in sorted(site_packages.glob("airflow/providers/**/get_provider_info.py")):
        tree = ast.parse(info.read_text(encoding="utf-8"))
        returned = next(n.value for n in ast.walk(tree) if isinstance(n, ast.Return))
        for section, body in (ast.literal_eval(returned).get("config") or {}).items():
            options.setdefault(section, set()).update(body.get("options") or {})
    return options


def options_tables_3(configuration_py_2: Path, configuration_py_3: Path, tables_3: dict) -> dict:
    """The options Airflow 3 knows, and the ones latest 2.x had that 3 dropped without a table entry."""
    options_2 = config_yml_options(configuration_py_2.parent / "config_templates" / "config.yml")
    options_3 = config_yml_options(configuration_py_3.parent / "config_templates" / "config.yml")
    for section, names in provider_config_options(configuration_py_3.parent.parent).items():
        options_3.setdefault(section, set()).update(names)
    accounted = (
        set(tables_3["config_renames_3"])
        | set(tables_3["config_removals_3"])
        | {old[:2] for old in tables_3["deprecated_options_3"].values()}
    )
    removed = {}
    for section, names in options_2.items():
        gone = sorted(n for n in names - options_3.get(section, set()) if (section, n) not in accounted)
        if gone:
            removed[section] = gone
    backends = configuration_py_3.parent / "api" / "auth" / "backend"
    return {
        "moved_default_classes_3": moved_default_classes(
            configuration_py_2.parent / "config_templates" / "config.yml",
            configuration_py_3.parent / "config_templates" / "config.yml",
        ),
        "options_3": {section: sorted(names) for section, names in sorted(options_3.items())},
        "removed_sections_3": sorted(set(options_2) - set(options_3)),
        "removed_options_3": removed,
        "auth_backend_modules_3": sorted(
            f"airflow.api.auth.backend.{p.stem}" for p in backends.glob("*.py") if p.stem != "__init__"
        ),
    }


def render(tables: dict, version: str) -> str:
    def block(name: str, comment: str) -> str:
        body = pprint.pformat(tables[name], width=100, sort_dicts=True)
        return f"# {comment}\n{name.upper()} = {body}\n"

    return (
        '"""GENERATED by scripts/gen_config_tables.py from apache-airflow '
        f'{version} airflow/configuration.py. Do not edit."""\n\n'
        f'SOURCE_AIRFLOW_VERSION = "{version}"\n\n'
        + block("deprecated_options", "(new section, new option) -> (old section, old option, since version)")
        + "\n"
        + block(
            "many_to_one_deprecated_options",
            "(new section, new option) -> [(old section, old option, since version), ...]",
        )
        + "\n"
        + block("deprecated_sections", "new section -> (old section, since version)")
        + "\n"
        + block(
            "deprecated_values",
            "(section, option) -> (old-value regex, replacement or None = the new default, "
            "update-before version)",
        )
        + "\n# Sections of 1.10.15's default airflow.cfg that 2.0.2's no longer has: section -> options\n"
        + f"REMOVED_SECTIONS_2_0 = {pprint.pformat(tables['removed_sections_2_0'], width=100)}\n"
        + "\n# Options 2.0.2 dropped without a rename in deprecated_options: section -> options\n"
        + f"REMOVED_OPTIONS_2_0 = {pprint.pformat(tables['removed_options_2_0'], width=100)}\n"
        + "\n# (section, option) -> (1.10.15 default, 2.0.2 default)\n"
        + f"CHANGED_DEFAULTS_2_0 = {pprint.pformat(tables['changed_defaults_2_0'], width=100)}\n"
        + f"\n# The same tables from apache-airflow {tables['version_3']} (target 3)\n"
        + f'SOURCE_AIRFLOW_3_VERSION = "{tables["version_3"]}"\n'
        + block(
            "deprecated_options_3", "(new section, new option) -> (old section, old option, since version)"
        )
        + block("deprecated_sections_3", "new section -> (old section, since version)")
        + block("deprecated_values_3", "(section, option) -> (old-value regex, replacement or None, '3.0')")
        + f"\n# From CONFIGS_CHANGES of apache-airflow {tables['version_3']} "
        "airflow/cli/commands/config_command.py\n"
        + block("config_renames_3", "(old section, old option) -> (section, option) it finally lives at")
        + block("config_removals_3", "(section, option) -> Airflow's suggestion (may be empty)")
        + block(
            "config_removals_if_equals_3",
            "(section, option) -> (the old values that are dropped for the new default, suggestion)",
        )
        + block("config_default_changes_3", "(section, option) -> (2.x default, 3 default, suggestion)")
        + block("config_invalid_values_3", "(section, option) -> (value 3 refuses, suggestion)")
        + f"\n# Options of {tables['version_3']}'s config.yml and of the providers installed with it\n"
        + block("options_3", "section -> options")
        + block(
            "removed_options_3",
            f"Options of {version}'s config.yml that {tables['version_3']} dropped with no entry above: "
            "section -> options",
        )
        + block(
            "removed_sections_3",
            f"Sections of {version}'s config.yml of which {tables['version_3']} reads no option",
        )
        + block("auth_backend_modules_3", "the airflow.api.auth.backend modules 3 still ships")
        + block(
            "moved_default_classes_3",
            f"(section, option) -> ({version} default, the same class's {tables['version_3']} path)",
        )
    )


def ruff_formatted(text: str) -> str:
    """The text as `ruff format` leaves it (the lint env checks formatting of upgrade/)."""
    ruff = shutil.which("ruff", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if ruff is None:
        raise SystemExit("gen_config_tables: ruff not found (it is in the tool env)")
    result = subprocess.run(
        [ruff, "format", "--stdin-filename", str(OUTPUT), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="an installed airflow/configuration.py (2.x)")
    parser.add_argument("--source-3", type=Path, help="an installed Airflow 3 airflow/configuration.py")
    parser.add_argument("--cfg-110", type=Path, help="1.10.15 config_templates/default_airflow.cfg")
    parser.add_argument("--cfg-20", type=Path, help="2.0.2 config_templates/default_airflow.cfg")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on drift")
    args = parser.parse_args(argv)
    source = args.source or default_source()
    tables = read_tables(source)
    tables.update(
        default_cfg_changes(
            args.cfg_110 or default_cfg("af110"),
            args.cfg_20 or default_cfg("af20"),
            tables["deprecated_options"],
        )
    )
    source_3 = args.source_3 or default_source_3()
    tables.update(read_tables_3(source_3), version_3=airflow_version(source_3))
    tables.update(
        configs_changes_tables(
            read_configs_changes(config_command_source(source_3)), tables["deprecated_options_3"]
        )
    )
    tables.update(options_tables_3(source, source_3, tables))
    text = ruff_formatted(render(tables, airflow_version(source)))
    return write_or_check({args.output: text}, check=args.check, script="gen_config_tables.py")


if __name__ == "__main__":
    sys.exit(main())
