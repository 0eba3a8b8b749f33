from datetime import timedelta

import pytest
import time_machine
from django.urls import resolve
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles import caching, purge
from articles.signals import Event, announce
from tests.factories import ArticleFactory, PublishedArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return PublishedArticleFactory(bylines=1, quotes=2)


def publish(article, capture, event=Event.PUBLISHED):
    with capture(execute=True):
        announce(article, event)


def test_without_a_purger_nothing_is_queued(story, django_capture_on_commit_callbacks):
    publish(story, django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.exists()


@pytest.mark.parametrize("event", list(Event))
def test_fastly_style_purge_names_the_story_its_lists_and_people(
    settings, recorder, story, run_worker, django_capture_on_commit_callbacks, event
):
    settings.NEWSROOM_PURGER = {
        "BACKEND": "fastly",
        "OPTIONS": {"SERVICE_ID": "svc1", "API_TOKEN": "secret-token", "API_URL": recorder.url},
    }
    publish(story, django_capture_on_commit_callbacks, event)
    assert recorder.calls == []  # publishing only queues the purge; the worker sends it
    run_worker()
    [call] = recorder.calls
    assert (call.method, call.path) == ("POST", "/service/svc1/purge")
    assert call.headers["Fastly-Key"] == "secret-token"
    keys = set(call.headers["Surrogate-Key"].split())
    contributor = story.bylines.get().contributor_id
    speaker = story.quotes.first().speaker_id
    assert {
        f"article-{story.pk}",
        "articles-list",
        f"contributor-{contributor}",
        f"speaker-{speaker}",
    } <= keys


def test_cloudflare_style_purge_sends_tags(
    settings, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGER = {
        "BACKEND": "cloudflare",
        "OPTIONS": {"ZONE_ID": "zone9", "API_TOKEN": "cf-token", "API_URL": recorder.url},
    }
    publish(story, django_capture_on_commit_callbacks, Event.KILLED)
    run_worker()
    [call] = recorder.calls
    assert (call.method, call.path) == ("POST", "/zones/zone9/purge_cache")
    assert call.headers["Authorization"] == "Bearer cf-token"
    assert {f"article-{story.pk}", "articles-list"} <= set(call.json()["tags"])


def test_varnish_purge_names_the_keys_then_each_url(
    settings, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGER = {
        "BACKEND": "varnish",
        "OPTIONS": {"URL": recorder.url, "HOST": "news.example"},
    }
    publish(story, django_capture_on_commit_callbacks, Event.CORRECTED)
    run_worker()
    assert {call.method for call in recorder.calls} == {"PURGE"}
    assert {call.headers["Host"] for call in recorder.calls} == {"news.example"}
    by_key = [call for call in recorder.calls if "xkey-purge" in call.headers]
    keys = {key for call in by_key for key in call.headers["xkey-purge"].split()}
    assert {f"article-{story.pk}", f"slug-{story.slug}", *caching.LIST_KEYS} <= keys
    paths = {call.path for call in recorder.calls if call not in by_key}
    assert {
        f"/api/v1/articles/{story.slug}/",
        f"/stories/{story.slug}/",
        "/api/v1/articles/",
        "/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-news.xml",
    } <= paths


def test_every_url_a_story_purges_is_an_address_of_this_site(story):
    for path in purge.story_urls(story):
        resolve(path.split("?")[0])
    assert len(purge.story_urls(story)) >= len(purge.LIST_URL_NAMES) + len(purge.SITEMAP_SECTIONS) + 2


@pytest.mark.parametrize("kind", ["section", "tag", "image", "speaker"])
def test_editing_what_a_story_shows_purges_its_key_the_story_and_every_list(
    settings, recorder, run_worker, django_capture_on_commit_callbacks, kind
):
    settings.NEWSROOM_PURGER = {"BACKEND": "varnish", "OPTIONS": {"URL": recorder.url}}
    story = ArticleFactory(dressed=True)
    thing = {
        "section": story.section,
        "tag": story.tags.first(),
        "image": story.lead_image,
        "speaker": story.quotes.exclude(speaker=None).first().speaker,
    }[kind]
    with django_capture_on_commit_callbacks(execute=True):
        if kind == "image":
            thing.caption = "A new caption."
        else:
            thing.name = "Renamed"
        thing.save()
    run_worker()
    keys = {key for call in recorder.calls for key in call.headers.get("xkey-purge", "").split()}
    assert {f"{kind}-{thing.pk}", f"article-{story.pk}", *caching.LIST_KEYS} <= keys


def test_a_new_section_purges_the_lists(settings, recorder, run_worker, django_capture_on_commit_callbacks):
    settings.NEWSROOM_PURGER = {"BACKEND": "varnish", "OPTIONS": {"URL": recorder.url}}
    with django_capture_on_commit_callbacks(execute=True):
        SectionFactory()
    run_worker()
    keys = {key for call in recorder.calls for key in call.headers.get("xkey-purge", "").split()}
    assert {"sections-list", "pages"} <= keys


def test_a_failed_purge_is_tried_again_later(
    settings, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGER = {
        "BACKEND": "fastly",
        "OPTIONS": {"SERVICE_ID": "svc1", "API_TOKEN": "t", "API_URL": recorder.url},
    }
    recorder.statuses = [503]
    publish(story, django_capture_on_commit_callbacks)
    run_worker()
    assert len(recorder.calls) == 1
    run_worker()  # not yet due
    assert len(recorder.calls) == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        run_worker()
    assert len(recorder.calls) == 2


def test_renaming_a_contributor_purges_their_key_and_their_stories(
    settings, recorder, story, run_worker, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PURGER = {
        "BACKEND": "fastly",
        "OPTIONS": {"SERVICE_ID": "svc1", "API_TOKEN": "t", "API_URL": recorder.url},
    }
    contributor = story.bylines.get().contributor
    with django_capture_on_commit_callbacks(execute=True):
        contributor.name = "New Name"
        contributor.save()
    run_worker()
    [call] = recorder.calls
    assert {f"contributor-{contributor.pk}", f"article-{story.pk}"} <= set(
        call.headers["Surrogate-Key"].split()
    )
