"""The metadata DB URL: engine, where it points, and a printable form without the password."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit


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
        if not self.password:
            return self.raw
        parts = urlsplit(self.raw)
        userinfo, _, hostinfo = parts.netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        return parts._replace(netloc=f"{user}:***@{hostinfo}").geturl()

    def scrub(self, text: str) -> str:
        """`text` with any occurrence of the password removed (driver errors may echo the DSN)."""
        return text.replace(self.password, "***") if self.password else text


def parse(raw: str) -> DatabaseUrl:
    try:
        parts = urlsplit(raw.strip())
        port = parts.port
    except ValueError as exc:
        raise BadUrl(f"not a database URL: {exc}") from None
    dialect = parts.scheme.split("+", 1)[0].lower()
    if dialect not in _ENGINES:
        raise BadUrl(
            f"unknown database scheme {parts.scheme!r} (expected postgresql://, mysql:// or sqlite://)"
        )
    engine = _ENGINES[dialect]
    if engine == "sqlite":
        return DatabaseUrl(engine, None, None, None, None, parts.path or None, raw)
    if not parts.hostname:
        raise BadUrl("the URL names no host")
    return DatabaseUrl(
        engine=engine,
        host=parts.hostname,
        port=port,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        database=parts.path.lstrip("/") or None,
        raw=raw,
    )
