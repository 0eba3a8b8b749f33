from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests import factories


def pytest_collection_modifyitems(items):
    """Every transactional test (live servers included) restores the migrated data it flushed.

    A transactional test empties every table when it ends. Without serialized rollback Django then
    recreates content types and permissions under new ids, while the roles made by migrations stay
    gone, and the next test that restores the serialized data collides with those new rows.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = marker is not None and marker.kwargs.get("transaction")
        if transactional or {"live_server", "transactional_db"} & set(item.fixturenames):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(autouse=True)
def _isolated_media_and_static(settings, tmp_path):
    # Uploaded files go to a throwaway folder; static files need no collectstatic manifest in tests.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Slow password hashing only protects real accounts; test users are made by the hundred.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _steady_rate_limit_window(monkeypatch):
    # Rate limits count in fixed windows (newsroom/throttling.py): a test must not straddle a window's end.
    from newsroom.throttling import WindowThrottle

    monkeypatch.setattr(WindowThrottle, "timer", staticmethod(lambda: 1_800_000_030.0))


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and cached responses live in the cache; no test inherits another's.
    cache.clear()
    yield


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def editor(db):
    return factories.UserFactory(username="editor", is_staff=True, role="editor")


@pytest.fixture
def reporter(db):
    return factories.UserFactory(username="reporter", is_staff=True, role="reporter")


@pytest.fixture
def other_reporter(db):
    return factories.UserFactory(username="other-reporter", is_staff=True, role="reporter")


@pytest.fixture
def people(db):
    """The speaker, contributor and tag the API payload of tests/helpers/api.py names."""
    return {
        "speaker": factories.SpeakerFactory(slug="zelensky", name="Volodymyr Zelensky"),
        "contributor": factories.ContributorFactory(slug="tim-lister", name="Tim Lister"),
        "tag": factories.TagFactory(slug="ukraine"),
    }


@pytest.fixture
def published_article(db):
    return factories.PublishedArticleFactory()


@pytest.fixture
def interview(db):
    import json

    from articles.services.seeding import INTERVIEW, article_load

    article, _ = article_load(json.loads(INTERVIEW.read_text(encoding="utf-8")))
    return article


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def chromium(monkeypatch):
    """Debian's headless Chromium driven by Playwright. Missing Chromium fails the test, never skips it.

    Request it after the fixtures that fill the database: while Playwright runs, the test's own queries
    go through a connection of their own that pytest-django never closes, which keeps PostgreSQL from
    dropping the test database at the end.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package "
            "(`apt-get install -y chromium`; CI does it in .ci/system-packages)."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test's thread; without this,
    # Django would refuse the test's own database queries as if they came from async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, timeout=30_000
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def recorder():
    """A local HTTP server that records the requests it gets (CDN APIs, webhook subscribers)."""
    from tests.helpers.recorder import start_recorder

    server = start_recorder()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def run_worker(monkeypatch):
    """One round of `manage.py run_worker`, inside the test's transaction."""
    from django.core.management import call_command

    # The worker closes stale connections between tasks; here that would end the test's transaction.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    monkeypatch.setattr("articles.management.commands.run_worker.close_old_connections", lambda: None)
    return lambda: call_command("run_worker", "--once")
