"""The default setup never loses an editor's work: SQLite writers wait their turn, and a save that still
fails shows the filled form again."""

import threading
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse
from django_tasks_db.utils import exclusive_transaction

from articles.admin.stories import ArticleAdmin
from articles.models import Article
from newsroom.busy_admin import BUSY_MESSAGE
from tests.factories import ArticleFactory

WRITERS = 6
SAVES = 15


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A second connection alias on a SQLite file, configured as the project configures its default."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite default's settings")
    alias = "busy_file"
    connections.settings[alias] = {**connections.settings["default"], "NAME": str(tmp_path / "db.sqlite3")}
    with django_db_blocker.unblock():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("CREATE TABLE story (id INTEGER PRIMARY KEY, writer INTEGER, words TEXT)")
                cursor.execute("CREATE TABLE task (id INTEGER PRIMARY KEY, claimed INTEGER DEFAULT 0)")
                cursor.executemany("INSERT INTO task (claimed) VALUES (%s)", [(0,)] * 50)
            yield alias
        finally:
            connections[alias].close()
            del connections[alias]
            del connections.settings[alias]


def test_the_sqlite_default_logs_ahead_and_takes_the_write_lock_up_front(file_database):
    with connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 10_000
    assert connections[file_database].transaction_mode == "IMMEDIATE"


def test_concurrent_writers_and_the_worker_on_a_sqlite_file_never_meet_a_locked_database(file_database):
    failures, barrier = [], threading.Barrier(WRITERS + 1)

    def writer(number):
        try:
            barrier.wait()
            for _ in range(SAVES):
                # As a form or API save does: read the current state, then write, in one transaction.
                with transaction.atomic(using=file_database), connections[file_database].cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM story WHERE writer = %s", [number])
                    time.sleep(0.002)  # validating, rendering: work between the read and the write
                    cursor.execute("INSERT INTO story (writer, words) VALUES (%s, %s)", [number, "x" * 5000])
        except OperationalError as exc:
            failures.append(exc)
        finally:
            connections[file_database].close()

    def worker():
        # The worker claims tasks the way django-tasks-db does: a short exclusive transaction each.
        try:
            barrier.wait()
            for _ in range(SAVES):
                with exclusive_transaction(file_database), connections[file_database].cursor() as cursor:
                    cursor.execute("SELECT id FROM task WHERE claimed = 0 LIMIT 1")
                    cursor.execute("UPDATE task SET claimed = 1 WHERE id = %s", [cursor.fetchone()[0]])
                time.sleep(0.005)
        except OperationalError as exc:
            failures.append(exc)
        finally:
            connections[file_database].close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    threads.append(threading.Thread(target=worker))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [str(failure) for failure in failures] == []
    with connections[file_database].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM story")
        assert cursor.fetchone()[0] == WRITERS * SAVES
        cursor.execute("SELECT count(*) FROM task WHERE claimed = 1")
        assert cursor.fetchone()[0] == SAVES


@pytest.mark.django_db
def test_a_story_save_the_database_refuses_shows_the_filled_form_again(client, editor):
    article = ArticleFactory(headline="Before", dek="")
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = {
        "headline": "Typed headline",
        "slug": article.slug,
        "dek": "A standfirst the editor typed.",
        "language": "en",
        **{
            f"{p}-{k}": 0
            for p in ("blocks", "bylines", "quotes", "corrections")
            for k in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    }
    with mock.patch.object(ArticleAdmin, "save_model", side_effect=OperationalError("database is locked")):
        response = client.post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert BUSY_MESSAGE in page
    assert 'value="Typed headline"' in page and "A standfirst the editor typed." in page
    assert "was changed successfully" not in page
    assert Article.objects.get(pk=article.pk).headline == "Before"
    # Saving again, once the database is free, keeps the typed story.
    assert client.post(url, form).status_code == 302
    assert Article.objects.get(pk=article.pk).headline == "Typed headline"
