"""Storage back ends; SQLite is the default and, for now, the only one."""

from newsprism.store.sqlite import SearchHit, Store

__all__ = ["SearchHit", "Store"]
