"""Engine creation (SQLite in WAL mode, or PostgreSQL via psycopg 3) and bringing the schema up to date."""

from __future__ import annotations

from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from models import config
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(RuntimeError):
    """The store cannot be opened or brought up to date; the message says why in one line."""


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={int(config.sqlite_busy_timeout() * 1000)}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL, foreign keys and a busy timeout; their folder is created."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"unreadable database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the SQLite file {folder}: {exc.strerror}") from None
        if parsed.database and parsed.database != ":memory:":
            refused = _not_a_store_file(Path(parsed.database).expanduser())
            if refused:
                raise StoreError(refused)
        engine = create_engine(parsed, connect_args={"timeout": config.sqlite_busy_timeout()})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True)
    raise StoreError(f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or postgresql+psycopg://")


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _not_a_store_file(path: Path) -> str | None:
    """Why the file at `path` cannot be a SQLite store (a folder, a FIFO, a device, another kind of file), or None
    (absent: it will be created; or a SQLite file, perhaps damaged: SQLite says so when it is opened)."""
    import stat

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"cannot open the database {path}: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return f"cannot open the database {path}: it is a folder, not a SQLite file"
    if not stat.S_ISREG(mode):
        return f"cannot open the database {path}: not a regular file"
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        return f"cannot open the database {path}: {exc.strerror}"
    if head and not head.startswith(b"SQLite format 3\x00"[: len(head)]):
        return f"cannot open the database {path}: not a SQLite database file"
    return None


def _locked(exc: DBAPIError) -> bool:
    return "database is locked" in str(exc.orig or exc)


def _store_error(exc: DBAPIError) -> StoreError:
    first = str(exc.orig or exc).strip().splitlines()
    return StoreError(f"cannot open the database: {first[0] if first else type(exc).__name__}")


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except DBAPIError as exc:
        if _locked(exc):
            raise  # a failure of the moment (exit 1 at the CLI boundary), not a store that cannot be opened
        raise _store_error(exc) from None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply the pending migrations; returns (revision before, revision after)."""
    try:
        before = current_revision(engine)
        known = {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
        if before is not None and before not in known:
            raise StoreError(
                f"the database is at revision {before}, unknown to this version of tenderwatch (upgrade tenderwatch)"
            )
        if before != head_revision():
            command.upgrade(alembic_config(engine), "head")
        return before, head_revision()
    except DBAPIError as exc:
        if _locked(exc):
            raise  # a failure of the moment (exit 1 at the CLI boundary), not a store that cannot be opened
        raise _store_error(exc) from None


class Store:
    """The opened, up-to-date store: an engine and a session factory."""

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = create_store_engine(url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def dispose(self) -> None:
        self.engine.dispose()
