"""The metadata DB URL: engine, where it points, and a printable form without the password."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from upgrade import redact


class BadUrl(ValueError):
    """Not a database URL we can use."""


# SQLAlchemy dialect (the part before "+driver") -> engine
_ENGINES = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "mysql": "mysql",
    "mariadb": "mariadb",
    "sqlite": "sqlite",
}


@dataclass(frozen=True)
class DatabaseUrl:
    engine: str
    host: str | None
    port: int | None
    user: str | None
    password: str | None
    database: str | None
    raw: str

    @property
    def redacted(self) -> str:
        """The URL as given, with the password replaced by ***."""
        return redact.mask_url(self.raw)

    def scrub(self, text: str) -> str:
        """`text` (a driver error may echo the DSN) with URL passwords and password pairs masked."""
        return redact.mask_text(text)


def parse(raw: str) -> DatabaseUrl:
    # Split the way SQLAlchemy (and so Airflow) does: the password runs to the `@`, so an
    # unencoded `#`, `/` or `?` in it is part of it, not a fragment, path or query.
    parts = redact.split_url(raw)
    if parts is None:
        raise BadUrl("not a database URL (expected scheme://user:password@host:port/database)")
    try:
        where = urlsplit("//" + parts.rest)
        port = where.port
    except ValueError as exc:
        raise BadUrl(f"not a database URL: {exc}") from None
    dialect = parts.scheme.split("+", 1)[0].lower()
    if dialect not in _ENGINES:
        raise BadUrl(
            f"unknown database scheme {parts.scheme!r} (expected postgresql://, mysql:// or sqlite://)"
        )
    engine = _ENGINES[dialect]
    if engine == "sqlite":
        return DatabaseUrl(engine, None, None, None, None, where.path or None, raw)
    if not where.hostname:
        raise BadUrl("the URL names no host")
    return DatabaseUrl(
        engine=engine,
        host=where.hostname,
        port=port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        database=where.path.lstrip("/") or None,
        raw=raw,
    )
