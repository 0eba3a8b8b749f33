"""Error answers that never show debug output: JSON under /api/, a plain page elsewhere.

API errors have the shape `{"code": ..., "message": ...}`, the same as the API's own errors.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader

# Seconds a client should wait before retrying when the database is unreachable.
RETRY_AFTER = "5"
DATABASE_ERRORS = (OperationalError, InterfaceError)


def wants_json(request):
    return request.path.startswith("/api/") or request.path.startswith("/health/")


def error_response(request, status, code, message, headers=None):
    if wants_json(request):
        response = JsonResponse({"code": code, "message": message}, status=status)
    else:
        # Rendered without the request: no context processor may touch a database that is down.
        page = loader.get_template("errors/error.html").render(
            {"status": status, "message": message, "SITE_NAME": settings.SITE_NAME}
        )
        response = HttpResponse(page, status=status)
    # An error is asked for again every time: no cache may keep it (a story's "not found" says otherwise).
    response["Cache-Control"] = "no-cache"
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def service_unavailable(request):
    return error_response(
        request,
        503,
        "service_unavailable",
        "The service is briefly unavailable. Please try again in a few seconds.",
        headers={"Retry-After": RETRY_AFTER},
    )


def bad_request(request, exception=None):
    return error_response(request, 400, "bad_request", "The request could not be understood.")


def permission_denied(request, exception=None):
    return error_response(request, 403, "permission_denied", "You may not do that.")


def page_not_found(request, exception=None):
    return error_response(request, 404, "not_found", "Not found.")


def server_error(request):
    # Called inside Django's exception handling, so the failure is still at hand: a database that
    # went away mid-request (in a view or in any middleware) is an outage, not a bug.
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    return error_response(request, 500, "server_error", "Something went wrong on our side.")
