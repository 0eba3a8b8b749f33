from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .errors import DATABASE_ERRORS, RETRY_AFTER


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DATABASE_ERRORS:
        return False
    return True


def _cache_ok():
    try:
        cache.set("health:probe", "ok", 10)
        return cache.get("health:probe") == "ok"
    except Exception:  # any cache backend failure (Redis down, timeout) is "not ok", not a 500
        return False


@require_safe
@never_cache
def health(request):
    """For load balancers and operators: 200 when the database and cache answer, 503 otherwise."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    healthy = all(checks.values())
    response = JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{k: "ok" if v else "down" for k, v in checks.items()},
        },
        status=200 if healthy else 503,
    )
    if not healthy:
        response["Retry-After"] = RETRY_AFTER
    return response
