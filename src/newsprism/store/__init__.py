"""Storage back ends; SQLite is the default and, for now, the only one."""

from newsprism.store.sqlite import STORE_WRITE_ERRORS, SearchHit, Store, store_write_problem

__all__ = ["STORE_WRITE_ERRORS", "SearchHit", "Store", "store_write_problem"]
