"""CDN purging. One backend is configured (settings.NEWSROOM_PURGER); the worker calls it.

Backends purge by surrogate key (Fastly, Cloudflare) or by URL (Varnish and other caches that accept the
HTTP PURGE method). Each raises on failure so the task that called it is tried again later.
"""

from urllib.parse import urljoin

import requests
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.module_loading import import_string

TIMEOUT = (3.05, 10)  # connect, read: a slow CDN API must not hold the worker for long


class PurgeError(Exception):
    pass


class Purger:
    """Does nothing: the default when no CDN sits in front of the site."""

    enabled = False

    def __init__(self, **options):
        self.options = options

    def purge(self, *, keys, urls):
        pass

    def _send(self, method, url, **kwargs):
        try:
            response = requests.request(method, url, timeout=TIMEOUT, allow_redirects=False, **kwargs)
        except requests.RequestException as exc:
            raise PurgeError(f"{method} {url}: {exc}") from exc
        if response.status_code >= 300:
            raise PurgeError(f"{method} {url}: HTTP {response.status_code} {response.text[:200]}")
        return response


class HttpPurger(Purger):
    """Caches that take the HTTP PURGE method: one request for each URL, with the site's Host header.

    Options: URL (where the cache listens, e.g. http://varnish:6081), HOST (the public host name).
    """

    enabled = True

    def purge(self, *, keys, urls):
        for url in urls:
            self._send("PURGE", urljoin(self.options["URL"], url), headers=self._host())

    def _host(self):
        return {"Host": self.options["HOST"]} if self.options.get("HOST") else {}


class VarnishPurger(HttpPurger):
    """Varnish with xkey (varnish/default.vcl): PURGE requests naming surrogate keys in an `xkey-purge`
    header, which drop every response carrying any of them, then the URLs given.

    Options as for HttpPurger.
    """

    batch = 100  # keys per request, well inside Varnish's header limits

    def purge(self, *, keys, urls):
        for start in range(0, len(keys), self.batch):
            headers = {**self._host(), "xkey-purge": " ".join(keys[start : start + self.batch])}
            self._send("PURGE", urljoin(self.options["URL"], "/"), headers=headers)
        super().purge(keys=keys, urls=urls)


class FastlyPurger(Purger):
    """Fastly-style: POST /service/{id}/purge with the keys in a Surrogate-Key header.

    Options: SERVICE_ID, API_TOKEN, API_URL (default https://api.fastly.com), SOFT (mark stale instead of
    removing, so stale-while-revalidate can still answer while the origin is busy).
    """

    enabled = True
    batch = 256  # keys per request, Fastly's limit

    def purge(self, *, keys, urls):
        url = f"{self.options.get('API_URL', 'https://api.fastly.com').rstrip('/')}/service/"
        url += f"{self.options['SERVICE_ID']}/purge"
        headers = {"Fastly-Key": self.options["API_TOKEN"], "Accept": "application/json"}
        if self.options.get("SOFT"):
            headers["Fastly-Soft-Purge"] = "1"
        for start in range(0, len(keys), self.batch):
            chunk = keys[start : start + self.batch]
            self._send("POST", url, headers={**headers, "Surrogate-Key": " ".join(chunk)})


class CloudflarePurger(Purger):
    """Cloudflare-style: POST /zones/{zone}/purge_cache with {"tags": [...]} (the Cache-Tag header's keys).

    Options: ZONE_ID, API_TOKEN, API_URL (default https://api.cloudflare.com/client/v4).
    """

    enabled = True
    batch = 30  # tags per request

    def purge(self, *, keys, urls):
        base = self.options.get("API_URL", "https://api.cloudflare.com/client/v4").rstrip("/")
        url = f"{base}/zones/{self.options['ZONE_ID']}/purge_cache"
        headers = {"Authorization": f"Bearer {self.options['API_TOKEN']}"}
        for start in range(0, len(keys), self.batch):
            self._send("POST", url, headers=headers, json={"tags": keys[start : start + self.batch]})


BACKENDS = {
    "none": "articles.purge.Purger",
    "http": "articles.purge.HttpPurger",
    "varnish": "articles.purge.VarnishPurger",
    "fastly": "articles.purge.FastlyPurger",
    "cloudflare": "articles.purge.CloudflarePurger",
}


def get_purger():
    config = settings.NEWSROOM_PURGER
    backend = config.get("BACKEND") or "none"
    return import_string(BACKENDS.get(backend, backend))(**config.get("OPTIONS", {}))


def purging_enabled():
    """Whether a CDN purger is configured, without making one (asked for every public response)."""
    return (settings.NEWSROOM_PURGER.get("BACKEND") or "none") != "none"


def _path(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


# Named pages that list stories, for caches that purge by URL (keys reach every other one).
LIST_URL_NAMES = ("front-page", "article-list", "quote-list", "latest-rss", "latest-atom", "sitemap-index")
SITEMAP_SECTIONS = ("stories", "pages", "news")


def story_urls(article, people_paths=()):
    """The URLs that show a story or list it, for caches that purge by URL."""
    paths = [
        _path("article-detail", slug=article.slug),
        article.get_absolute_url(),
        *(_path(name) for name in LIST_URL_NAMES),
        *(_path("sitemap-section", section=section) for section in SITEMAP_SECTIONS),
        *people_paths,
    ]
    if article.section_id and article.section:
        paths.append(article.section.get_absolute_url())
    return list(dict.fromkeys(path for path in paths if path))
