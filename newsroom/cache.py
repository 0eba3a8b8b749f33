"""Django's Redis cache, made cheaper per call and harmless when Redis is away.

- Django builds a new redis-py client object for every cache call, and building one copies some 170
  response callbacks: on a warm story served from the cache that cost more than the round trip to Redis.
  A client is only a thin wrapper around its connection pool and safe to share, so one per pool is kept.
- Everything kept in this cache can be rebuilt from the database, so a Redis that is down or unreachable
  is treated as an empty cache that keeps nothing: readers are served from the database (slower, never
  wrong, never a 500), and for a few seconds after a failure no call waits on Redis again.
- A write lost that way may have been an invalidation (a story's new state token, say), so the cache
  could lie once Redis is back: the process that lost it empties the cache at its next successful call,
  or as it exits (a management command, a recycled worker) if no call came first.
"""

import atexit
import logging
import os
import time

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
PAUSE_SECONDS = 5


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class _State:
    # Per process: Django gives each thread its own cache object.
    paused_until = 0.0
    lost_writes = False


def _miss_when_down(name, fallback, *, writes):
    """Django's method `name`, answering `fallback(*args, **kwargs)` while Redis is unavailable."""

    def wrapped(self, *args, **kwargs):
        if time.monotonic() < _State.paused_until:
            _State.lost_writes |= writes
            return fallback(*args, **kwargs)
        try:
            if _State.lost_writes:
                DjangoRedisCache.clear(self)
                _State.lost_writes = False
                logger.warning("Cache back: emptied it, as writes were lost while it was away")
            method = OWN_METHODS.get(name) or getattr(DjangoRedisCache, name)
            return method(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            logger.warning("Cache unavailable, serving without it for %ss: %s", PAUSE_SECONDS, exc)
            _State.paused_until = time.monotonic() + PAUSE_SECONDS
            _State.lost_writes |= writes
            return fallback(*args, **kwargs)

    wrapped.__name__ = name
    return wrapped


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._connection = None  # see _round_trip
        self._connection_pid = self._connection_used = None

    def validate_key(self, key):
        # Django's check warns about keys memcached would refuse, walking every character of every key
        # on every call; Redis takes any key.
        pass

    def count_and_get_many(self, keys, counters):
        """``get_many(keys)`` and, in the same round trip, one more on each counter (key, lifetime),
        created with its lifetime when new. Returns (found, counts).

        The commands (MGET, then INCR and EXPIRE NX per counter) go out in one write on one connection
        and their replies are read back in order: one round trip, and none of the client's
        per-command machinery (retries, callbacks, events), which on a warm edge hit cost several times what
        Redis spends answering. A Lua script would do the same in one command but costs Redis some 50 µs
        a call (it copies the stored response into Lua and back), on the same cores as the application.
        """
        made = {self.make_and_validate_key(key): key for key in keys}
        commands = [("MGET", *made)] if made else []
        for key, lifetime in counters:
            counter = self.make_and_validate_key(key)
            # EXPIRE NX (Redis 7): the window's lifetime is set once, by whichever request created it.
            commands += [("INCR", counter), ("EXPIRE", counter, max(1, int(lifetime)), "NX")]
        replies = self._round_trip(commands)
        found = {}
        if made:
            loads = self._cache._serializer.loads
            found = {made[k]: loads(v) for k, v in zip(made, replies[0], strict=True) if v is not None}
        return found, replies[1 if made else 0 :: 2]

    def _round_trip(self, commands):
        """The replies to `commands`, sent together in one write on this cache object's own connection.

        Django gives each thread its own cache object; this one keeps one connection of its own (made as the
        write pool makes them) instead of borrowing one from the pool per call: a borrow checks the
        connection for unread data and records metrics, which cost about as much as the round trip itself.
        Any failure drops the connection, so none is reused with replies left unread. One found closed after
        waiting idle (Redis restarted, or closed idle clients) is replaced once before the failure counts.
        """
        connection = self._connection
        if connection is None or self._connection_pid != os.getpid():
            pool = self._cache._get_connection_pool(True)
            connection = self._connection = pool.connection_class(**pool.connection_kwargs)
            self._connection_pid, self._connection_used = os.getpid(), False
        try:
            return self._send_and_read(connection, commands)
        except RedisConnectionError:
            if not self._connection_used:
                raise
            self._connection_used = False
            return self._send_and_read(connection, commands)  # reconnects: the connection was dropped

    def _send_and_read(self, connection, commands):
        try:
            connection.send_packed_command(connection.pack_commands(commands))
            replies = [connection.read_response() for _ in commands]
        except BaseException:
            # Replies may be left unread (an error reply raises): the connection is not reused as it is.
            connection.disconnect()
            raise
        self._connection_used = True
        return replies


# Method → (its answer while Redis is away, whether it writes).
FALLBACKS = {
    "get": (lambda key, default=None, *args, **kwargs: default, False),
    "get_many": (lambda *args, **kwargs: {}, False),
    "has_key": (lambda *args, **kwargs: False, False),
    "add": (lambda *args, **kwargs: False, True),
    "set": (lambda *args, **kwargs: None, True),
    "set_many": (lambda data, *args, **kwargs: list(data), True),
    "touch": (lambda *args, **kwargs: False, True),
    "delete": (lambda *args, **kwargs: False, True),
    "delete_many": (lambda *args, **kwargs: None, True),
    "clear": (lambda *args, **kwargs: False, True),
    # Nothing found, nothing counted: rate limits are not enforced while Redis is away.
    "count_and_get_many": (lambda keys, counters: ({}, [0] * len(counters)), True),
}
# Methods of this class (not Django's) that the same guard wraps.
OWN_METHODS = {"count_and_get_many": RedisCache.count_and_get_many}
for _name, (_fallback, _writes) in FALLBACKS.items():
    setattr(RedisCache, _name, _miss_when_down(_name, _fallback, writes=_writes))


def count_and_get_many(cache, keys, counters):
    """``RedisCache.count_and_get_many`` for any cache: in one round trip on Redis, call by call elsewhere."""
    if hasattr(cache, "count_and_get_many"):
        return cache.count_and_get_many(keys, counters)
    counts = []
    for key, lifetime in counters:
        cache.add(key, 0, max(1, int(lifetime)))
        counts.append(cache.incr(key))
    return cache.get_many(keys), counts


@atexit.register
def empty_if_writes_were_lost():
    """A process ending with lost invalidations tries once more to empty the caches it wrote to."""
    if not _State.lost_writes:
        return
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, RedisCache):
            _State.paused_until = 0.0
            cache.get("newsroom:probe")  # empties it first, if Redis answers
