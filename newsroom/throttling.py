"""API rate limits that cost one cache round trip per request, whatever the number of limits.

DRF's own throttles keep each client's recent request times as a list: every request reads it and writes
it back, two round trips per limit. These count requests in fixed windows instead (a counter created with
the window's lifetime, plus one per request), and every limit that applies to a request is counted in one
pipelined round trip. The edge (articles/edge.py) counts them in the same round trip as its lookup and
leaves the counts in the request for DRF, so a throttled public read costs no more round trips than an
unthrottled one, and no request is counted twice.

Over a limit the API answers 429 with Retry-After: the seconds until the window ends.
"""

from .cache import count_and_get_many

# environ key: {counter key: count} already counted for this request at the edge.
COUNTED = "newsroom.throttle-counts"


class WindowThrottle:
    """Mixed into DRF's throttles: the same rates and client identities, counted per fixed window."""

    def counter(self, request, view):
        """(counter key, its lifetime in seconds, when the window ends), or None when no limit applies."""
        if self.rate is None:
            return None
        key = self.get_cache_key(request, view)
        if key is None:
            return None
        now = self.timer()
        start = int(now // self.duration) * self.duration
        return f"{key}:{start}", self.duration, start + self.duration

    def settle(self, count, window_end):
        """Whether `count` requests in the window are allowed; remembers the wait when not."""
        self.wait_seconds = max(0.0, window_end - self.timer())
        return count <= self.num_requests

    def allow_request(self, request, view):
        return allowed([self], request, view)

    def wait(self):
        return getattr(self, "wait_seconds", None)


def counters(throttles, request, view=None):
    """The counter each throttle applies to this request: [(throttle, (key, lifetime, window end))]."""
    return [(throttle, found) for throttle in throttles if (found := throttle.counter(request, view))]


def allowed(throttles, request, view=None, counts=None):
    """Count this request against every throttle in one round trip (unless the edge already did, in
    `counts` or the request's environ) and say whether all of them allow it."""
    applying = counters(throttles, request, view)
    if not applying:
        return True
    known = counts if counts is not None else request.META.get(COUNTED, {})
    missing = [(key, lifetime) for _, (key, lifetime, _) in applying if key not in known]
    if missing:
        _, new_counts = count_and_get_many(throttles[0].cache, [], missing)
        known = {**known, **dict(zip((key for key, _ in missing), new_counts, strict=True))}
    # Every throttle settles, so each knows its wait.
    verdicts = [throttle.settle(known[key], end) for throttle, (key, _, end) in applying]
    return all(verdicts)
