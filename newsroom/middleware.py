import logging

from django.conf import settings

from .errors import DATABASE_ERRORS, error_response, page_not_found, service_unavailable

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """A database outage answers 503 with Retry-After, never a traceback or a hung worker.

    Django re-checks persistent connections at the start of each request (CONN_HEALTH_CHECKS), so
    the first request after the database comes back reconnects on its own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return service_unavailable(request)
        return None


class RequestSizeLimitMiddleware:
    """Refuses oversized bodies from their Content-Length, before anything reads them.

    Django bounds form bodies (DATA_UPLOAD_MAX_MEMORY_SIZE) only when they are read through
    `request.body` or `request.POST`; API parsers read the stream directly. Uploads
    (multipart) get the larger MAX_UPLOAD_BYTES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400, "bad_request", "Invalid Content-Length header.")
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
        limit = settings.MAX_UPLOAD_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            return error_response(
                request,
                413,
                "request_too_large",
                f"The request body is larger than the {limit // (1024 * 1024)} MB this endpoint accepts.",
            )
        return self.get_response(request)


class ApiNotFoundMiddleware:
    """Unknown /api/ addresses answer the API's JSON 404 with DEBUG on too, where Django would show its
    debug page: a client developing against a local server meets the error shape it will meet live."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and request.path.startswith("/api/")
            and not response.get("Content-Type", "").startswith("application/")
        ):
            return page_not_found(request)
        return response
