"""The Redis cache backend (newsroom/cache.py): a Redis that is away is an empty cache, never an error."""

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from newsroom import cache as backend_module
from newsroom.cache import RedisCache


@pytest.fixture(autouse=True)
def fresh_state(monkeypatch):
    monkeypatch.setattr(backend_module._State, "paused_until", 0.0)
    monkeypatch.setattr(backend_module._State, "lost_writes", False)


def unreachable():
    # Port 1 on the loopback: nothing listens there, so connecting is refused at once.
    return RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 1}})


def test_an_unreachable_redis_reads_as_an_empty_cache():
    cache = unreachable()
    assert cache.get("story", "fallback") == "fallback"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]


def test_after_a_failure_no_call_waits_on_redis(monkeypatch):
    cache = unreachable()
    cache.get("story")
    calls = []
    monkeypatch.setattr(DjangoRedisCache, "get", lambda *args, **kwargs: calls.append(args))
    assert cache.get("story", "fallback") == "fallback"
    assert calls == []


def test_a_lost_write_empties_the_cache_when_redis_answers_again(monkeypatch):
    cache = RedisCache("redis://127.0.0.1:1/0", {})
    events = []

    def refused(*args, **kwargs):
        raise RedisConnectionError("refused")

    monkeypatch.setattr(DjangoRedisCache, "set", refused)
    cache.set("newsroom:story-state:1", "new token")  # an invalidation that never arrived
    monkeypatch.setattr(backend_module._State, "paused_until", 0.0)  # Redis is back
    monkeypatch.setattr(DjangoRedisCache, "clear", lambda self: events.append("clear"))
    monkeypatch.setattr(
        DjangoRedisCache, "get", lambda self, key, default=None, version=None: events.append(key)
    )
    cache.get("newsroom:edge:1:entry")
    assert events == ["clear", "newsroom:edge:1:entry"]
    cache.get("newsroom:edge:1:entry")
    assert events.count("clear") == 1


def test_reads_that_fail_do_not_empty_the_cache(monkeypatch):
    cache = unreachable()
    cache.get("story")
    monkeypatch.setattr(backend_module._State, "paused_until", 0.0)
    cleared = []
    monkeypatch.setattr(DjangoRedisCache, "clear", lambda self: cleared.append(True))
    monkeypatch.setattr(DjangoRedisCache, "get", lambda self, key, default=None, version=None: "kept")
    assert cache.get("story") == "kept"
    assert cleared == []


def test_a_process_ending_with_lost_writes_empties_the_cache_on_its_way_out(monkeypatch):
    from django.core.cache import caches

    cache = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(caches, "all", lambda initialized_only=False: [cache])
    cleared = []
    monkeypatch.setattr(DjangoRedisCache, "clear", lambda self: cleared.append(self))
    monkeypatch.setattr(DjangoRedisCache, "get", lambda self, key, *args: None)
    backend_module.empty_if_writes_were_lost()
    assert cleared == []  # nothing was lost: nothing to do
    cache.set("newsroom:story-state:1", "new token")  # lost: Redis is unreachable
    backend_module.empty_if_writes_were_lost()
    assert cleared == [cache]


@pytest.fixture
def live_redis(tmp_path):
    """A private redis-server on a free loopback port, for what only a real Redis can show."""
    import shutil
    import socket
    import subprocess
    import time

    import redis

    server = shutil.which("redis-server")
    assert server, "redis-server is needed (apt-get install redis-server)"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            server,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                redis.Redis(port=port).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", redis.Redis(port=port)
    finally:
        process.terminate()
        process.wait(10)


def test_reads_and_counters_share_one_round_trip_on_a_real_redis(live_redis):
    url, raw = live_redis
    cache = RedisCache(url, {})
    cache.set_many({"entry": {"body": b"kept"}, "token": "t-1"})
    found, counts = cache.count_and_get_many(["entry", "missing", "token"], [("hits:a", 60), ("hits:b", 5)])
    assert found == {"entry": {"body": b"kept"}, "token": "t-1"}
    assert counts == [1, 1]
    found, counts = cache.count_and_get_many(["token"], [("hits:a", 60)])
    assert (found, counts) == ({"token": "t-1"}, [2])
    # A counter lives as long as its window, from the first count in it.
    assert 0 < raw.ttl(cache.make_key("hits:a")) <= 60
    assert 0 < raw.ttl(cache.make_key("hits:b")) <= 5
    # Counters only, as DRF's own throttles ask: still one round trip.
    assert cache.count_and_get_many([], [("hits:b", 5)]) == ({}, [2])
    # Django reads the counter as the number it is.
    assert cache.get("hits:a") == 2


def test_a_failed_reply_leaves_no_reply_behind_for_the_next_call(live_redis):
    url, raw = live_redis
    cache = RedisCache(url, {})
    cache.set("token", "t-1")
    raw.set(cache.make_key("hits:a"), "not a number")  # INCR answers an error, before EXPIRE's reply
    with pytest.raises(ResponseError):
        cache.count_and_get_many(["token"], [("hits:a", 60)])
    # The connection with the unread reply was dropped, not handed to the next caller.
    assert cache.count_and_get_many(["token"], [("hits:b", 60)]) == ({"token": "t-1"}, [1])
    assert cache.get("token") == "t-1"


@pytest.mark.django_db
def test_on_a_real_redis_the_edge_counts_every_hit_against_the_anonymous_limit(
    live_redis, settings, monkeypatch
):
    from django.test import Client
    from rest_framework.throttling import AnonRateThrottle

    from tests.factories import PublishedArticleFactory

    url, raw = live_redis
    settings.CACHES = {"default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": url}}
    settings.NEWSROOM_RESPONSE_CACHE = True
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "5/min", "user": "1000/min"})
    article = PublishedArticleFactory(bylines=1, quotes=1)
    client = Client()
    statuses = [client.get(f"/api/v1/articles/{article.slug}/").status_code for _ in range(7)]
    # The first two build and keep the response; the next three are edge hits, and each one counted.
    assert statuses == [200, 200, 200, 200, 200, 429, 429]
    [counter] = raw.keys("*throttle*")
    assert int(raw.get(counter)) == 7 and 0 < raw.ttl(counter) <= 60


def test_a_connection_redis_closed_while_idle_is_replaced_without_a_failure(live_redis):
    url, raw = live_redis
    cache = RedisCache(url, {})
    cache.set("token", "t-1")
    assert cache.count_and_get_many(["token"], [("hits:a", 60)]) == ({"token": "t-1"}, [1])
    raw.client_kill_filter(_type="normal", skipme=True)  # as a restart or an idle timeout would
    assert cache.count_and_get_many(["token"], [("hits:a", 60)]) == ({"token": "t-1"}, [2])
    assert backend_module._State.paused_until == 0.0


def test_a_redis_that_is_gone_pauses_the_counting_lookup_like_any_other_call(live_redis):
    url, _ = live_redis
    cache = RedisCache(url, {})
    cache.count_and_get_many([], [("hits:a", 60)])
    cache._connection.port = 1  # as if Redis had gone: nothing listens there
    cache._connection.disconnect()
    assert cache.count_and_get_many(["token"], [("hits:a", 60)]) == ({}, [0])
    assert backend_module._State.paused_until > 0
