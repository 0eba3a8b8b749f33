"""API rate limits that cost one cache round trip per request, whatever the number of limits.

DRF's own throttles keep each client's recent request times as a list: every request reads it and writes
it back, two round trips per limit. These count requests in fixed windows instead (a counter created with
the window's lifetime, plus one per request); limits on the same client over the same period share a
counter, and every counter a request touches is counted in one round trip (one script call on Redis). The
edge (articles/edge.py) counts them in the same call as its lookup and leaves the counts in the request for
DRF, so a throttled public read costs no more round trips than an unthrottled one, and no request is
counted twice.

Over a limit the API answers 429 with Retry-After: the seconds until the window ends.
"""

import time

from .cache import count_and_get_many

# environ key: {counter key: count} already counted for this request at the edge.
COUNTED = "newsroom.throttle-counts"


class WindowThrottle:
    """Mixed into DRF's throttles: the same rates and client identities, counted per fixed window.

    Limits that count the same client over the same period share one counter (an anonymous reader's
    address is both the anonymous and the per-client identity), so it is one increment, not two.
    """

    cache_format = "throttle:%(ident)s"
    timer = staticmethod(time.time)

    def counter(self, request, view):
        """(counter key, its lifetime in seconds, when the window ends), or None when no limit applies."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        now = self.timer()
        start = int(now // self.duration) * self.duration
        return f"{key}:{self.duration}:{start}", self.duration, start + self.duration

    def settle(self, count, window_end):
        """Whether `count` requests in the window are allowed; remembers the wait when not."""
        self.wait_seconds = max(0.0, window_end - self.timer())
        return count <= self.num_requests

    def allow_request(self, request, view):
        # The view's other limits are counted in the same round trip, so they find their counts ready.
        others = view.get_throttles() if view is not None else []
        return allowed([self, *others], request, view, settling=[self])

    def wait(self):
        return getattr(self, "wait_seconds", None)


def counters(throttles, request, view=None):
    """The counter each throttle applies to this request: [(throttle, (key, lifetime, window end))]."""
    return [(throttle, found) for throttle in throttles if (found := throttle.counter(request, view))]


def allowed(throttles, request, view=None, settling=None):
    """Count this request against every throttle's counter in one round trip (unless the edge already
    did, as the request's environ says) and say whether the throttles in `settling` (default: all) allow
    it."""
    applying = counters(throttles, request, view)
    known = request.META.setdefault(COUNTED, {})
    missing = dict.fromkeys((key, lifetime) for _, (key, lifetime, _) in applying if key not in known)
    if missing:
        _, new_counts = count_and_get_many(throttles[0].cache, [], list(missing))
        known.update(zip((key for key, _ in missing), new_counts, strict=True))
    settling = throttles if settling is None else settling
    # Every throttle settles, so each knows its wait.
    verdicts = [
        throttle.settle(known[key], end) for throttle, (key, _, end) in applying if throttle in settling
    ]
    return all(verdicts)
