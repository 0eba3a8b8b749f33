"""Logs an operator can search: one JSON object per line, each naming the request it came from.

Every request gets an id — the one the proxy in front sent in X-Request-ID (when it is a sane token), or
a new one — which is returned in the response's X-Request-ID and added to every log line written while the
request is handled (``request_id``; "-" outside requests, as in the worker). It is set in front of Django
(``RequestIdApplication``, around the edge, so edge hits carry it too) and again by the middleware for
requests that enter Django some other way (the test client).
"""

import contextvars
import os
import re

from django.core.signals import request_finished, request_started
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

HEADER = "X-Request-ID"
HEADER_LOWER = HEADER.lower()
ENVIRON_KEY = "HTTP_X_REQUEST_ID"
SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # anything else is replaced, never echoed or logged

request_id = contextvars.ContextVar("request_id", default="-")


def id_for(environ):
    """The request's id: the proxy's, if sane, else a new one (kept in the environ for the response)."""
    given = environ.get("newsroom.request_id") or environ.get(ENVIRON_KEY)
    value = given if given and SANE.match(given) else new_id()
    environ["newsroom.request_id"] = value
    return value


def new_id():
    # 128 random bits, as a uuid4 has (less the version bits), without building a UUID per request.
    return os.urandom(16).hex()


class RequestIdFilter:
    """Adds ``request_id`` to every record (a filter on the handler, so third-party loggers get it too)."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


class JsonFormatter(BaseJsonFormatter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", False)
        super().__init__("%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s", *args, **kwargs)


class RequestIdApplication:
    """Wraps the WSGI application: the id is known before anything (the edge included) can log."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        value = id_for(environ)
        token = request_id.set(value)

        def start(status, headers, exc_info=None):
            # This request's id, whatever a stored response (an edge hit) carried. Responses from Django
            # carry it already (RequestIdMiddleware, the same id): those are passed on as they are.
            for name, given in headers:
                if name.lower() == HEADER_LOWER:
                    if given == value:
                        return start_response(status, headers, exc_info)
                    headers = [(name, v) for name, v in headers if name.lower() != HEADER_LOWER]
                    break
            return start_response(status, [*headers, (HEADER, value)], exc_info)

        try:
            return self.application(environ, start)
        finally:
            request_id.reset(token)


class RequestIdMiddleware:
    """Answers with the request's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response[HEADER] = id_for(request.META)
        return response


def on_request_started(sender, environ=None, **kwargs):
    request_id.set(id_for(environ) if environ is not None else new_id())


def on_request_finished(sender, **kwargs):
    request_id.set("-")


# Connected when the logging configuration loads this module, which Django does at start-up.
request_started.connect(on_request_started, dispatch_uid="newsroom-request-id")
request_finished.connect(on_request_finished, dispatch_uid="newsroom-request-id")
