"""The one place secrets are masked before anything is printed: database URLs (parsed the way
SQLAlchemy parses them, which is how Airflow reads sql_alchemy_conn), URLs inside text (driver
errors that echo the DSN), and airflow.cfg options that hold secrets.

Masking is structural: the password field of a parsed URL, the value of a `password=` pair,
the value of a secret option. A known password is never searched for as a substring: a
password of `1` would turn `127.0.0.1` into `***27.0.0.***` and so reveal itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "***"

# SQLAlchemy's URL pattern (sqlalchemy.engine.url._parse_url): the password runs to the last
# `@` before the host, so it may hold `#`, `/`, `?` and `:` unencoded; urllib would read a
# `#` as the start of a fragment and print the rest of the password as one.
_URL = re.compile(
    r"""
    (?P<scheme>[A-Za-z][\w+.-]*)://
    (?:
        (?P<username>[^:/@\s]*)
        (?::(?P<password>[^@\s]*))?
    @)?
    (?P<rest>\S*)
    """,
    re.X,
)
# key=value and key: value pairs that carry a password (libpq DSNs, driver messages).
_PAIR = re.compile(
    r"(?P<key>\b(?:password|passwd|pwd|secret|token|api_?key)\b\s*[=:]\s*)(?P<quote>['\"]?)(?P<value>[^\s'\"&;,]+)",
    re.I,
)


@dataclass(frozen=True)
class UrlParts:
    scheme: str
    username: str | None
    password: str | None
    rest: str  # host, port, database, query: as written


def split_url(raw: str) -> UrlParts | None:
    """The parts of `scheme://[user[:password]@]rest`, or None if `raw` is not such a URL."""
    match = _URL.fullmatch(raw.strip())
    if not match:
        return None
    username, password = match.group("username"), match.group("password")
    if match.group("username") is None or "@" not in raw:
        username = password = None
    return UrlParts(match.group("scheme"), username, password, match.group("rest"))


def mask_url(raw: str) -> str:
    """`raw` with its password replaced by ***; anything that is not a URL is returned as is."""
    parts = split_url(raw)
    if parts is None or parts.password is None:
        return raw
    return f"{parts.scheme}://{parts.username}:{MASK}@{parts.rest}"


def _mask_url_match(match: re.Match) -> str:
    if match.group("password") is None:
        return match.group(0)
    return f"{match.group('scheme')}://{match.group('username')}:{MASK}@{match.group('rest')}"


def mask_text(text: str) -> str:
    """`text` (an error message, a report) with every URL's password and every password pair
    masked. A URL runs to the next whitespace, the way drivers print a DSN."""
    text = _URL.sub(_mask_url_match, text)
    return _PAIR.sub(lambda m: f"{m.group('key')}{m.group('quote')}{MASK}", text)


# Words that make an airflow.cfg option a secret. Airflow masks the same kind of option in its
# UI and logs (2.1+: [core] sensitive_var_conn_names and the config's `sensitive` flags).
_SECRET_OPTION = re.compile(
    r"password|passwd|secret|token|fernet_key|api_key|apikey|private_key|passphrase|credential"
    r"|basic_auth|_dsn$|^dsn$|keyfile_dict|service_account_json",
    re.I,
)


def is_secret_option(key: str) -> bool:
    return bool(_SECRET_OPTION.search(key))


def mask_option_value(key: str, value: str) -> str:
    """What `config` may print of an option's value: secrets masked, URL passwords masked."""
    if is_secret_option(key) and value.strip():
        return MASK
    return mask_text(value)


# `key = value` / `key: value` of an airflow.cfg line, also commented out (`# key = value`).
_CFG_OPTION = re.compile(
    r"^(?P<lead>[#;\s]*)(?P<key>[^=:\s#;\[][^=:]*?)(?P<sep>\s*[=:]\s*)(?P<value>.*?)(?P<end>\r?\n?)$"
)


def mask_cfg_line(line: str) -> str:
    """One airflow.cfg line (or a diff line of one: pass it without the +/-/space prefix) with
    a secret option's value, and any URL password, masked."""
    match = _CFG_OPTION.match(line)
    if not match:
        return mask_text(line)
    value = mask_option_value(match.group("key").strip(), match.group("value"))
    return f"{match.group('lead')}{match.group('key')}{match.group('sep')}{value}{match.group('end')}"
