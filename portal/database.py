"""Database engine settings that differ between SQLite and PostgreSQL, and column
types every domain uses."""
import sqlite3

from sqlalchemy import Enum, String, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

# A column that holds a language: a BCP 47 tag of up to the 35 characters RFC 5646 asks
# implementations to keep ("sv-x-lattlast" has 13).
LanguageTag = String(35)


def string_enum(enum, length=16):
    """A column holding a StrEnum's values as text: no database enum type, so a new
    state needs no migration of the type, and reading gives the enum back."""
    return Enum(enum, native_enum=False, create_constraint=False, length=length,
                values_callable=lambda members: [member.value for member in members])


def upsert(dialect, table):
    """An INSERT of ``table`` that can take ``on_conflict_do_update`` on the database
    ``dialect`` (``"sqlite"`` or ``"postgresql"``)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    return insert(table)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """WAL lets readers work while one writer writes; the busy timeout makes a
    second writer wait instead of failing at once."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
