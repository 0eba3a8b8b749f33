"""Production settings, security headers, error pages and database outages."""

import json
import os
import secrets
import subprocess
import sys
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from tests.factories import PublishedArticleFactory
from tests.helpers.environment import ROOT, production_env

pytestmark = pytest.mark.django_db


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_when_https_is_switched_off():
    # Proves the check above can fail: without HTTPS the deploy checks complain.
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(DJANGO_HTTPS="0"))
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_production_refuses_to_start_with_a_weak_secret_key():
    result = manage("check", env=production_env(DJANGO_SECRET_KEY="short"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_make_cookies_secure_and_http_only():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({"
        "k: getattr(s, k) for k in ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        "'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SECURE_SSL_REDIRECT',"
        "'SECURE_HSTS_SECONDS', 'DEBUG', 'X_FRAME_OPTIONS', 'SECURE_CONTENT_TYPE_NOSNIFF', 'OTP_REQUIRED']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    values = json.loads(result.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "DEBUG": False,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "OTP_REQUIRED": True,
    }


@pytest.mark.parametrize("path", ["/", "/api/v1/articles/", "/admin/login/", "/api/docs/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, settings, path):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get(path, secure=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert csp["frame-ancestors"] == "'none'"


def test_api_docs_load_swagger_ui_from_our_own_static_files(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn" not in page.lower() and "https://" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # the start-up script is a separate file the CSP allows
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "Not found."}


def test_unknown_page_answers_plain_404_without_debug_output(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert "urlpatterns" not in body and "Traceback" not in body


@pytest.fixture
def faulty_client(settings):
    settings.ROOT_URLCONF = "tests.helpers.urls_faults"
    return Client(raise_request_exception=False)


def test_a_crash_answers_json_500_under_api_without_internals(faulty_client):
    response = faulty_client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "message": "Something went wrong on our side."}


def test_a_crash_answers_a_plain_500_page_without_internals(faulty_client):
    response = faulty_client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong" in body
    assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body


def test_database_error_in_a_view_answers_json_503_with_retry_after(faulty_client):
    response = faulty_client.get("/api/v1/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["code"] == "service_unavailable"


def test_database_error_on_a_page_answers_html_503(faulty_client):
    response = faulty_client.get("/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "Briefly unavailable" in response.content.decode()


def _every_query_fails(*args, **kwargs):
    raise OperationalError("could not connect to server: Connection refused")


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/api/v1/speakers/", "/", "/stories/some-story/"])
def test_an_unreachable_database_answers_503_on_every_surface(path):
    PublishedArticleFactory(slug="some-story")
    client = Client(raise_request_exception=False)
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", _every_query_fails):
        response = client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"]
    if path.startswith("/api/"):
        assert response.json()["code"] == "service_unavailable"


def test_health_reports_database_and_cache(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_health_answers_503_when_the_database_is_down(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", _every_query_fails):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "down", "cache": "ok"}
    assert response["Retry-After"]


def test_health_answers_503_when_the_cache_is_down(client):
    with mock.patch("django.core.cache.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["cache"] == "down"


def test_health_is_reachable_over_plain_http_when_https_is_enforced(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/").status_code == 200
    assert client.get("/api/v1/articles/").status_code == 301


def test_postgresql_connections_have_connect_and_statement_timeouts():
    env = production_env(DATABASE_URL="postgres://u@127.0.0.1:5432/x", DATABASE_STATEMENT_TIMEOUT_MS="15000")
    code = (
        "import django; django.setup(); from django.conf import settings as s; print(s.DATABASES['default'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert "'connect_timeout': 5" in result.stdout
    assert "'options': '-c statement_timeout=15000'" in result.stdout
    assert "'CONN_HEALTH_CHECKS': True" in result.stdout


def bare_env(**extra):
    """Return an environment with none of the project's settings, plus `extra` (None drops a name)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    env.update({key: value for key, value in extra.items() if value is not None})
    return env


def starts(env):
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "django_env, key",
    [
        (None, None),
        ("Production", None),
        ("development", None),
        ("production", "short"),
        (None, "django-insecure-development-only-key-do-not-deploy"),
        ("development", "a" * 64),
    ],
)
def test_without_debug_the_project_refuses_a_missing_short_or_development_key(django_env, key):
    result = starts(bare_env(DJANGO_ENV=django_env, DJANGO_SECRET_KEY=key))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_an_unknown_django_env_is_refused_even_with_a_strong_key():
    result = starts(bare_env(DJANGO_ENV="staging", DJANGO_SECRET_KEY=secrets.token_urlsafe(64)))
    assert result.returncode != 0
    assert "DJANGO_ENV must be development or production" in result.stderr


def test_a_debug_server_starts_on_the_development_key_and_a_strong_key_starts_anywhere():
    assert starts(bare_env(DJANGO_DEBUG="1")).returncode == 0
    strong = secrets.token_urlsafe(64)
    for django_env in (None, "Production", "development"):
        result = starts(bare_env(DJANGO_ENV=django_env, DJANGO_SECRET_KEY=strong))
        assert result.returncode == 0, result.stderr
