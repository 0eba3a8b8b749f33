"""JSON logs with the request's id on every line, and the id answered back."""

import io
import json
import logging
import subprocess
import sys

import pytest

from newsroom import logs
from tests.helpers.environment import ROOT, production_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured():
    """The project's handler setup (filter and JSON formatter) on the loggers a request writes to."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.setFormatter(logs.JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_every_line_is_a_json_object_with_the_request_id(client, captured):
    response = client.get("/no-such-page/")
    request_id = response["X-Request-ID"]
    [line] = captured()
    assert line["request_id"] == request_id
    assert {"time", "level", "logger", "message"} <= set(line)
    assert line["level"] == "WARNING" and "Not Found" in line["message"]


def test_a_sane_id_from_the_proxy_is_kept_and_anything_else_replaced(client):
    assert client.get("/", headers={"X-Request-ID": "lb-4f2a:77"})["X-Request-ID"] == "lb-4f2a:77"
    replaced = client.get("/", headers={"X-Request-ID": "bad id\r\nSet-Cookie: x"})["X-Request-ID"]
    assert " " not in replaced and len(replaced) == 32


def test_requests_get_different_ids(client):
    assert client.get("/")["X-Request-ID"] != client.get("/")["X-Request-ID"]


def test_an_answer_kept_in_front_of_django_carries_this_requests_id():
    stored = [("Content-Type", "text/plain"), ("X-Request-ID", "the-request-that-built-it")]

    def edge_hit(environ, start_response):
        start_response("200 OK", stored)
        return [b"kept"]

    seen = {}
    app = logs.RequestIdApplication(edge_hit)
    app({"HTTP_X_REQUEST_ID": "this-one"}, lambda status, headers, exc=None: seen.update(headers))
    assert seen["X-Request-ID"] == "this-one"


def test_production_logs_json_lines_by_default():
    script = "import logging; logging.getLogger('newsroom.test').warning('hello from %s', 'the worker')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["message"] == "hello from the worker"
    assert line["request_id"] == "-" and line["logger"] == "newsroom.test"
