"""Errors raised at the edge, where untrusted input enters."""


def first_line(error: BaseException) -> str:
    """The first line of an error's message ("" when it has none): a report stays one line."""
    message = str(error).strip()
    return message.splitlines()[0] if message else ""


class InputError(Exception):
    """One input could not be turned into articles; reported as one line, never a traceback."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Pickle by fields, so errors cross process-pool boundaries intact.
        return (type(self), (self.source, self.reason))


class StoreError(Exception):
    """The store file cannot be used (not SQLite, made by a newer newsprism, unwritable)."""


class StoreWriteError(Exception):
    """A database server stopped taking writes mid-command (lost connection, disk full, conflict)."""


class ClusterError(Exception):
    """The Dask cluster named by ``--dask`` cannot be reached or started."""
