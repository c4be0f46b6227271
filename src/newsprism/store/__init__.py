"""Storage back ends behind one Store API: SQLite (embedded, the default) and PostgreSQL (a shared server)."""

import sqlite3

from newsprism.errors import StoreWriteError, first_line
from newsprism.store.base import SUPERSEDED, EventRow, SearchHit, Store, is_postgres

STORE_WRITE_ERRORS = (sqlite3.OperationalError, StoreWriteError)  # a store that stopped taking writes mid-command


def store_write_problem(error: Exception) -> str:
    """The one line a user needs for a store that refused a write (the transaction is rolled back)."""
    message = first_line(error) or type(error).__name__
    if "locked" in message or "busy" in message:
        return f"the store is locked by another writer ({message}): run again when it has finished"
    if "full" in message or "I/O" in message:
        return f"cannot write the store ({message}): is the disk full or the file over its size limit?"
    return f"the store refused a write ({message})"


__all__ = ["STORE_WRITE_ERRORS", "SUPERSEDED", "EventRow", "SearchHit", "Store", "is_postgres", "store_write_problem"]
