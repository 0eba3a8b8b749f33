"""A ceiling on the database time one search may take, whatever was typed.

PostgreSQL: a statement timeout for the search's own statements (`SET LOCAL`, so it ends with them).
SQLite: a progress handler that interrupts a statement past its deadline. Either way a search over the
ceiling raises SearchTimedOut, which the API and the admin turn into a message, never a server error.
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connections, transaction

# SQLite calls the progress handler every this many virtual-machine steps (well under a millisecond).
_SQLITE_STEPS = 10_000


class SearchTimedOut(Exception):
    """The search was stopped at its time limit."""

    def __init__(self):
        super().__init__("This search takes too long. Use fewer words, or rarer ones.")


@contextmanager
def time_limit(using, milliseconds=None, planner=None):
    """Run the statements inside within `milliseconds` (default SEARCH_TIMEOUT_MS) of database time each.

    On PostgreSQL `planner` names settings for those statements alone, e.g. {"enable_seqscan": "off"}.
    """
    milliseconds = milliseconds or settings.SEARCH_TIMEOUT_MS
    connection = connections[using]
    if connection.vendor == "postgresql":
        local = {"statement_timeout": str(int(milliseconds)), **(planner or {})}
        with _postgresql_limit(connection, using, local):
            yield
    elif connection.vendor == "sqlite":
        with _sqlite_limit(connection, milliseconds):
            yield
    else:
        yield


@contextmanager
def _postgresql_limit(connection, using, local):
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                # Names and values come from code, never from a request.
                cursor.execute("; ".join(f"SET LOCAL {name} = {value}" for name, value in local.items()))
            yield
            if nested:
                # Inside a caller's transaction the settings would outlive this block: put them back.
                with connection.cursor() as cursor:
                    cursor.execute("; ".join(f"SET LOCAL {name} TO DEFAULT" for name in local))
    except OperationalError as error:
        if getattr(error.__cause__, "pgcode", None) == "57014":  # query_canceled
            raise SearchTimedOut from error
        raise


@contextmanager
def _sqlite_limit(connection, milliseconds):
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.monotonic() + milliseconds / 1000
    raw.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_STEPS)
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error):
            raise SearchTimedOut from error
        raise
    finally:
        raw.set_progress_handler(None, 0)
