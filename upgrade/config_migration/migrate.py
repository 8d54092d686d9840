"""Rewrite a 1.10 airflow.cfg model for a 2.x/3.x target; report every change made.

Order matters and follows how Airflow resolves options: section renames first ([kubernetes] ->
[kubernetes_executor] in 2.5), then option moves/renames (which may chain: [scheduler]
statsd_allow_list -> [metrics] statsd_allow_list (2.0) -> metrics_allow_list (2.6)), then value
formats, then options 2.0 removed, then defaults the user relied on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from codemods._generated import airflow_deprecations as generated
from upgrade.config_migration import pod_template, rules
from upgrade.config_migration.cfg_document import CfgDocument, Entry, Section

NOTE = "# airflow-upgrade: "
KUBERNETES_EXECUTORS = {"KubernetesExecutor", "CeleryKubernetesExecutor"}


@dataclass
class Change:
    section: str
    option: str | None
    action: str  # moved | renamed | value | removed | pinned | section | pod-template | note
    message: str

    def line(self) -> str:
        where = f"[{self.section}] {self.option}" if self.option else f"[{self.section}]"
        return f"{where}: {self.message}"


@dataclass
class Migration:
    document: CfgDocument
    target: tuple[int, ...]
    changes: list[Change] = field(default_factory=list)
    pod: dict | None = None

    @property
    def target_is_2_0(self) -> bool:
        return self.target < (2, 1)

    def applies(self, since: str) -> bool:
        return rules.version_tuple(since) <= self.target


def migrate(document: CfgDocument, target: str, pod_template_path: str | None) -> Migration:
    """Migrate `document` in place for `target` ("2.0", "2" or "3")."""
    migration = Migration(document, rules.TARGET_VERSIONS[target])
    kube_before = _kubernetes_settings(document)
    options = [(section.name, entry.key) for section in document.sections for entry in section.entries()]
    written_for_1_10 = any(rules.is_1_10_option(*option) for option in options)
    written_before_3 = written_for_1_10 or any(rules.is_2_x_option(*option) for option in options)
    _rename_sections(migration)
    _move_options(migration, _renames(generated.DEPRECATED_OPTIONS, migration))
    _many_to_one(migration)
    if migration.target >= (3,):
        # Airflow 3 keeps its own, shorter table ([webserver] -> [api], [dag_processor], ...) and
        # no longer falls back from [logging] to [core]: the 2.x moves above must run first.
        # CONFIGS_CHANGES (what `airflow config lint` checks) holds the rest.
        renames = _renames(generated.DEPRECATED_OPTIONS_3, migration)
        renames.update(
            (old, (*new, "3.0")) for old, new in generated.CONFIG_RENAMES_3.items() if old not in renames
        )
        _move_options(migration, renames)
        _drop_removed_auth_backends(migration)
        _comment_out_removed_in_3(migration)
        _update_moved_default_classes(migration)
    _replace_old_values(migration, generated.DEPRECATED_VALUES)
    if migration.target >= (3,):
        _replace_old_values(migration, generated.DEPRECATED_VALUES_3)
    _comment_out_removed(migration)
    # Only a file that still had 1.10 options is a 1.10 file whose missing options meant the
    # 1.10 defaults; in a file that is already 2.x a missing option means the 2.x default (and
    # in a 3.x file, the 3.x default).
    if written_for_1_10:
        _pin_old_defaults(migration)
    if migration.target >= (3,) and written_before_3:
        _pin_2_defaults_changed_in_3(migration)
    if kube_before is not None:
        _pod_template(migration, kube_before, pod_template_path)
    _remote_logging_provider_note(migration)
    return migration


def read_value(raw: str) -> str:
    """The value as Airflow reads it: its parser interpolates, so a file spells `%` as `%%`."""
    return raw.replace("%%", "%")


def written_value(value: str) -> str:
    return value.replace("%", "%%")


# remote_base_log_folder scheme -> the provider that holds its task handler since 2.0
REMOTE_LOG_PROVIDERS = {
    "s3://": "apache-airflow-providers-amazon",
    "gs://": "apache-airflow-providers-google",
    "wasb": "apache-airflow-providers-microsoft-azure",
    "cloudwatch://": "apache-airflow-providers-amazon",
    "stackdriver://": "apache-airflow-providers-google",
    "oss://": "apache-airflow-providers-alibaba",
}


def _remote_logging_provider_note(migration: Migration) -> None:
    # 2.0 moved S3TaskHandler & co. out of core into providers: without the provider installed,
    # Airflow 2 and 3 refuse to start ("Cannot resolve ...S3TaskHandler").
    document = migration.document
    if (document.get("logging", "remote_logging") or "").strip().lower() != "true":
        return
    folder = (document.get("logging", "remote_base_log_folder") or "").strip()
    provider = next((p for scheme, p in REMOTE_LOG_PROVIDERS.items() if folder.startswith(scheme)), None)
    if not provider:
        return
    major = migration.target[0]
    message = (
        f"remote logging to {folder.split(':', 1)[0]} needs {provider} installed with Airflow {major} "
        "(its task handler left Airflow core in 2.0)"
    )
    section = document.section("logging")
    entry = section.find("remote_base_log_folder")
    index = section.items.index(entry)
    # Written once above the option, so a re-run finds it and says nothing more.
    if index > 0 and section.items[index - 1] == _note(message, document.newline):
        return
    section.items.insert(index, _note(message, document.newline))
    migration.changes.append(Change("logging", "remote_base_log_folder", "note", message))


# -- helpers over the document ------------------------------------------------------------------


class AttachedNote(str):
    """A note about the option right below it ("renamed from ...", "was ..."): it moves with it."""


def _note(text: str, newline: str) -> str:
    return f"{NOTE}{text}{newline}"


def _attached_note(text: str, newline: str) -> AttachedNote:
    return AttachedNote(_note(text, newline))


def _ensure_section(document: CfgDocument, name: str, after: str | None = None) -> Section:
    found = document.section(name)
    if found:
        return found
    section = Section(name, f"[{name}]{document.newline}", [])
    anchor = document.section(after) if after else None
    index = document.sections.index(anchor) + 1 if anchor else len(document.sections)
    last = document.sections[index - 1]
    if last.items and not (isinstance(last.items[-1], str) and not last.items[-1].strip()):
        last.items.append(document.newline)
    document.sections.insert(index, section)
    section.items.append(document.newline)
    return section


def _is_comment(item) -> bool:
    # Our own notes belong to the option they were written for, never to the next one.
    return isinstance(item, str) and item.lstrip().startswith(("#", ";")) and not item.startswith(NOTE)


def _detach(section: Section, entry: Entry, replacement: str) -> list:
    """Remove `entry` and the comment block right above it; leave `replacement` in its place."""
    index = section.items.index(entry)
    start = index
    while start > 0 and isinstance(section.items[start - 1], AttachedNote):
        start -= 1
    while start > 0 and _is_comment(section.items[start - 1]):
        start -= 1
    block = section.items[start : index + 1]
    section.items[start : index + 1] = [replacement]
    return block


def _append(section: Section, block: list, newline: str) -> None:
    """Insert `block` at the end of `section`, before its trailing blank lines."""
    end = len(section.items)
    while end > 0 and isinstance(section.items[end - 1], str) and not section.items[end - 1].strip():
        end -= 1
    previous_is_blank = end == 0 or (
        isinstance(section.items[end - 1], str) and not section.items[end - 1].strip()
    )
    # A block with its own comment gets a blank line above it; bare options stay together.
    prefix = [] if previous_is_blank or not _is_comment(block[0]) else [newline]
    section.items[end:end] = prefix + block
    if end + len(prefix) + len(block) == len(section.items):
        section.items.append(newline)


def _rename_key(entry: Entry, new_key: str) -> None:
    entry.lines[0] = new_key + entry.lines[0][len(entry.key) :]
    entry.key = new_key


def _set_value(entry: Entry, value: str, newline: str) -> None:
    entry.value = value
    entry.lines = Entry.new(entry.key, value, newline).lines


def _comment_out(section: Section, entry: Entry, reason: str, newline: str) -> None:
    index = section.items.index(entry)
    commented = [_note(reason, newline)] + [f"# {line}" if line.strip() else line for line in entry.lines]
    section.items[index : index + 1] = commented


# -- the steps ----------------------------------------------------------------------------------


def _rename_sections(migration: Migration) -> None:
    document = migration.document
    for new_name, (old_name, since) in sorted(generated.DEPRECATED_SECTIONS.items()):
        old = document.section(old_name)
        if old is None or not migration.applies(since):
            continue
        if document.section(new_name) is None:
            old.header = f"[{new_name}]" + old.header[len(old.header.rstrip("\r\n")) :]
            old.name = new_name
            old.items.insert(
                0, _note(f"[{old_name}] renamed to [{new_name}] in Airflow {since}", document.newline)
            )
            migration.changes.append(
                Change(old_name, None, "section", f"renamed to [{new_name}] (Airflow {since})")
            )
            continue
        new = document.section(new_name)
        for entry in old.entries():
            if new.find(entry.key) is None:
                block = _detach(old, entry, _note(f"{entry.key} moved to [{new_name}]", document.newline))
                _append(new, block, document.newline)
                migration.changes.append(
                    Change(old_name, entry.key, "moved", f"moved to [{new_name}] ({since})")
                )


def _renames(table: dict, migration: Migration) -> dict:
    """A deprecated_options table as (old section, old option) -> (section, option, since)."""
    return {
        (old_section, old_key): (new_section, new_key, since)
        for (new_section, new_key), (old_section, old_key, since) in table.items()
        if migration.applies(since)
    }


def _move_options(migration: Migration, renames: dict) -> None:
    document = migration.document
    # Walk the file in its own order so moved options keep their relative order. Chains
    # (a -> b in 2.0, b -> c in 2.6) resolve in at most len(renames) rounds.
    for _ in range(len(renames)):
        pending = [
            (section, entry)
            for section in document.sections
            for entry in section.entries()
            if (section.name, entry.key) in renames
        ]
        if not pending:
            return
        for source, entry in pending:
            _move_option(migration, source, entry, *renames[(source.name, entry.key)])


def _move_option(
    migration: Migration, source: Section, entry: Entry, new_section: str, new_key: str, since: str
):
    document = migration.document
    old_section, old_key = source.name, entry.key
    target = document.section(new_section)
    existing = target.find(new_key) if target else None
    if existing is not None:
        reason = f"superseded by [{new_section}] {new_key}, which is set (Airflow {since})"
        _comment_out(source, entry, reason, document.newline)
        migration.changes.append(Change(old_section, old_key, "removed", reason))
        return
    if new_section == old_section:
        _rename_key(entry, new_key)
        index = source.items.index(entry)
        source.items.insert(
            index, _attached_note(f"renamed from {old_key} (Airflow {since})", document.newline)
        )
        migration.changes.append(
            Change(old_section, old_key, "renamed", f"renamed to {new_key} (Airflow {since})")
        )
        return
    what = f"[{new_section}] {new_key}"
    block = _detach(source, entry, _note(f"{old_key} moved to {what} (Airflow {since})", document.newline))
    _rename_key(entry, new_key)
    factor = rules.UNIT_CHANGING_RENAMES.get((old_section, old_key))
    if factor and entry.value.strip().isdigit():
        old_value = entry.value
        _set_value(entry, str(int(old_value) * factor), document.newline)
        block.insert(block.index(entry), _attached_note(f"was {old_key} = {old_value}", document.newline))
    _append(_ensure_section(document, new_section, after=old_section), block, document.newline)
    migration.changes.append(Change(old_section, old_key, "moved", f"moved to {what} (Airflow {since})"))


def _many_to_one(migration: Migration) -> None:
    document = migration.document
    for (new_section, new_key), olds in sorted(generated.MANY_TO_ONE_DEPRECATED_OPTIONS.items()):
        for old_section, old_key, since in olds:
            source = document.section(old_section)
            entry = source.find(old_key) if source else None
            if entry is None or not migration.applies(since):
                continue
            target = document.section(new_section)
            if target is not None and target.find(new_key) is not None:
                _comment_out(
                    source,
                    entry,
                    f"replaced by [{new_section}] {new_key} (Airflow {since})",
                    document.newline,
                )
                migration.changes.append(
                    Change(old_section, old_key, "removed", f"replaced by [{new_section}] {new_key}")
                )
                continue
            block = _detach(
                source,
                entry,
                _note(f"{old_key} moved to [{new_section}] {new_key} (Airflow {since})", document.newline),
            )
            _rename_key(entry, new_key)
            _append(_ensure_section(document, new_section, after=old_section), block, document.newline)
            migration.changes.append(
                Change(old_section, old_key, "moved", f"moved to [{new_section}] {new_key} ({since})")
            )


def _replace_old_values(migration: Migration, table: dict) -> None:
    document = migration.document
    for (section_name, key), (pattern, replacement, update_before) in sorted(table.items()):
        # Values marked "update before 3.0" name features of 2.2+ (grid view, run_id in log
        # templates, session auth backend): a 2.0 target must keep the old value.
        if migration.target_is_2_0 and rules.version_tuple(update_before) >= (3,):
            continue
        section = document.section(section_name)
        entry = section.find(key) if section else None
        if entry is None or not re.search(pattern, read_value(entry.value)):
            continue
        if replacement is None:
            _comment_out(
                section,
                entry,
                f"old default; Airflow {generated.SOURCE_AIRFLOW_VERSION} replaces it with its own default",
                document.newline,
            )
            migration.changes.append(
                Change(section_name, key, "removed", "old default dropped; the new default applies")
            )
            continue
        new_value = written_value(re.sub(pattern, replacement, read_value(entry.value)))
        old_value = entry.value
        _set_value(entry, new_value, document.newline)
        index = section.items.index(entry)
        section.items.insert(
            index,
            _attached_note(
                f"was {old_value!r} (changed format/default, Airflow {update_before})", document.newline
            ),
        )
        migration.changes.append(Change(section_name, key, "value", f"{old_value!r} -> {new_value!r}"))


def _comment_out_removed(migration: Migration) -> None:
    document = migration.document
    for section in list(document.sections):
        if section.name is None:
            continue
        original = section.name
        # kubernetes_executor is the 2.5 name of the 1.10 [kubernetes] section.
        lookup = "kubernetes" if original == "kubernetes_executor" else original
        for entry in section.entries():
            reason = rules.removed_reason(lookup, entry.key)
            if reason is None:
                continue
            _comment_out(section, entry, reason, document.newline)
            migration.changes.append(Change(original, entry.key, "removed", reason))
        if lookup in generated.REMOVED_SECTIONS_2_0 and section.header and not section.header.startswith("#"):
            reason = rules.removed_reason(lookup, "")
            section.items.insert(0, _note(reason, document.newline))
            section.header = f"# {section.header}"
            migration.changes.append(Change(original, None, "removed", reason))


def _pin_old_defaults(migration: Migration) -> None:
    document = migration.document
    for (section_name, key), why in rules.PINNED_OLD_DEFAULTS.items():
        if document.get(section_name, key) is not None or not rules.exists_on_target(
            section_name, key, migration.target
        ):
            continue
        old_default, new_default = generated.CHANGED_DEFAULTS_2_0[(section_name, key)]
        section = _ensure_section(document, section_name)
        block = [
            _note(f"pinned to the 1.10 default ({why}; 2.0 default is {new_default})", document.newline),
            Entry.new(key, old_default, document.newline),
        ]
        _append(section, block, document.newline)
        migration.changes.append(
            Change(section_name, key, "pinned", f"= {old_default} (1.10 default; 2.0 uses {new_default})")
        )


def _pin_2_defaults_changed_in_3(migration: Migration) -> None:
    """Write out the 1.10/2.x default of an option whose default 3.0 changed, if the file relied on it."""
    document = migration.document
    for (section_name, key), (old_default, new_default, _) in sorted(
        generated.CONFIG_DEFAULT_CHANGES_3.items()
    ):
        if document.get(section_name, key) is not None or not rules.exists_on_target(
            section_name, key, migration.target
        ):
            continue
        # An old default that 3 itself rewrites (SequentialExecutor -> LocalExecutor) is gone.
        refused = generated.DEPRECATED_VALUES_3.get((section_name, key))
        if refused and re.search(refused[0], old_default):
            continue
        why = rules.PINNED_2_DEFAULTS.get((section_name, key), "the file relied on the 2.x default")
        section = _ensure_section(document, section_name)
        block = [
            _note(
                f"pinned to the 2.x default ({why}; Airflow 3.0 changed the default to {new_default})",
                document.newline,
            ),
            Entry.new(key, old_default, document.newline),
        ]
        _append(section, block, document.newline)
        migration.changes.append(
            Change(section_name, key, "pinned", f"= {old_default} (2.x default; 3.0 uses {new_default})")
        )


# -- Airflow 3 ----------------------------------------------------------------------------------


def _drop_removed_auth_backends(migration: Migration) -> None:
    """[fab] auth_backends naming airflow.api.auth.backend.* modules, which Airflow 3 removed."""
    document = migration.document
    for section_name in ("fab", "api"):
        section = document.section(section_name)
        entry = section.find("auth_backends") if section else None
        if entry is None:
            continue
        backends = [b.strip() for b in read_value(entry.value).split(",") if b.strip()]
        kept = [
            b
            for b in backends
            if not b.startswith(rules.CORE_AUTH_BACKEND_PACKAGE) or b in generated.AUTH_BACKEND_MODULES_3
        ]
        if kept == backends and backends:
            continue
        if kept:
            _set_value(entry, written_value(", ".join(kept)), document.newline)
            message = f"dropped {', '.join(b for b in backends if b not in kept)}: {rules.AUTH_BACKENDS_3}"
            index = section.items.index(entry)
            section.items.insert(index, _attached_note(message, document.newline))
            migration.changes.append(Change(section_name, "auth_backends", "value", message))
            continue
        _comment_out(section, entry, rules.AUTH_BACKENDS_3, document.newline)
        migration.changes.append(Change(section_name, "auth_backends", "removed", rules.AUTH_BACKENDS_3))


def _update_moved_default_classes(migration: Migration) -> None:
    document = migration.document
    for (section_name, key), (old_path, new_path) in sorted(generated.MOVED_DEFAULT_CLASSES_3.items()):
        section = document.section(section_name)
        entry = section.find(key) if section else None
        if entry is None or entry.value.strip() != old_path:
            continue
        _set_value(entry, new_path, document.newline)
        message = f"was {old_path} (the default class, at its Airflow 3 path)"
        section.items.insert(section.items.index(entry), _attached_note(message, document.newline))
        migration.changes.append(Change(section_name, key, "value", f"{old_path!r} -> {new_path!r}"))


def _comment_out_removed_in_3(migration: Migration) -> None:
    document = migration.document
    for section in document.sections:
        if section.name is None:
            continue
        for entry in section.entries():
            reason = rules.removed_in_3_reason(section.name, entry.key, read_value(entry.value))
            if reason is None:
                continue
            _comment_out(section, entry, reason, document.newline)
            migration.changes.append(Change(section.name, entry.key, "removed", reason))
        for entry in section.entries():
            refused = generated.CONFIG_INVALID_VALUES_3.get((section.name, entry.key))
            if refused and read_value(entry.value).strip() == refused[0]:
                migration.changes.append(
                    Change(section.name, entry.key, "note", f"Airflow 3 refuses {refused[0]!r}: {refused[1]}")
                )


# -- KubernetesExecutor -------------------------------------------------------------------------


def _kubernetes_settings(document: CfgDocument) -> tuple[dict, dict] | None:
    """The 1.10 worker settings, read before migration, or None if KubernetesExecutor is not used."""
    kube = document.section("kubernetes")
    executor = (document.get("core", "executor") or "").strip()
    if kube is None or executor not in KUBERNETES_EXECUTORS:
        return None
    values = {e.key: e.value for e in kube.entries()}
    extra = {}
    for section_name in rules.POD_TEMPLATE_SECTIONS:
        section = document.section(section_name)
        extra[section_name] = {e.key: e.value for e in section.entries()} if section else {}
    return values, extra


def _pod_template(
    migration: Migration, kube_before: tuple[dict, dict], pod_template_path: str | None
) -> None:
    document = migration.document
    kube_values, extra = kube_before
    section_name = "kubernetes_executor" if document.section("kubernetes_executor") else "kubernetes"
    section = document.section(section_name)
    current = section.find("pod_template_file")
    if current is not None and current.value.strip():
        migration.changes.append(
            Change(
                section_name,
                "pod_template_file",
                "note",
                f"already set to {current.value}; no template generated",
            )
        )
        return
    core = {e.key: e.value for e in document.section("core").entries()}
    logging_section = document.section("logging")
    logging = {e.key: e.value for e in logging_section.entries()} if logging_section else {}
    migration.pod = pod_template.build_pod_template(kube_values, extra, core, logging)
    pod_template.validate(migration.pod)
    image = migration.pod["spec"]["containers"][0]["image"]
    migration.changes.append(
        Change(
            "kubernetes",
            "worker_container_repository",
            "note",
            f"worker pods run {image}: it must be an Airflow {migration.target[0]}.x image (with your DAG dependencies) before the switch",
        )
    )
    if kube_values.get("git_password"):
        migration.changes.append(
            Change(
                "kubernetes",
                "git_password",
                "note",
                "not copied into the pod template: store it in a secret and set git_sync_credentials_secret",
            )
        )
    value = pod_template_path or ""
    if current is not None:
        _set_value(current, value, document.newline)
        index = section.items.index(current)
    else:
        current = Entry.new("pod_template_file", value, document.newline)
        _append(section, [current], document.newline)
        index = section.items.index(current)
    section.items.insert(
        index, _note("worker pod generated from the 1.10 [kubernetes] settings", document.newline)
    )
    migration.changes.append(Change(section_name, "pod_template_file", "pod-template", f"= {value}"))
