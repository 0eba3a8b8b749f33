"""Public reads from a read replica, when DATABASE_REPLICA_URL names one.

Only requests that can change nothing and see only published content — anonymous GETs outside the
admin — read from the replica. Everything else, and anything inside a transaction, uses the primary, so
an editor always reads their own writes. The replica may lag a moment behind; CDN purges wait for it
(settings.NEWSROOM_PURGE_DELAY).
"""

from contextvars import ContextVar

from django.conf import settings
from django.db import connections

from articles.caching import is_shareable

REPLICA = "replica"
_public_read = ContextVar("newsroom_public_read", default=False)


def replica_configured():
    return REPLICA in settings.DATABASES


def is_public_read(request):
    return is_shareable(request) and not request.path.startswith("/admin/")


class PublicReadsRouter:
    def db_for_read(self, model, **hints):
        if _public_read.get() and replica_configured() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA


class PublicReadsMiddleware:
    """Marks the request as a public read for the router, for as long as it is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public_read.set(is_public_read(request))
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)
