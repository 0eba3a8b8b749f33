#!/usr/bin/env python3
"""The project's Varnish configuration, live: varnishd with varnish/default.vcl in front of gunicorn, the
worker purging by surrogate key, all on loopback.

Each change an editor makes — publish, correct, rename a contributor, kill, and a story reaching its
expiry — must show through Varnish on the story page, its API detail, the lists, the feeds and the news
sitemap within DEADLINE seconds, every one of which was cached (a HIT) before the change. Nothing sent with
a token, a session or a preview link is stored, and purges from other addresses are refused.

Prints the time from each change to its visibility (and writes them with --json FILE); exits non-zero when
any check fails. Needs Debian's varnish and varnish-modules, and a PostgreSQL server (DATABASE_URL's server,
default 127.0.0.1:5432; a fresh database VARNISH_LIVE_DB is made there and dropped). Bounded: well under a
minute. Run: `python bench/varnish_live.py` (VARNISH_LIVE_TRACE=1 prints every poll).
"""

import argparse
import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEADLINE = 5.0  # seconds from a change to its visibility through Varnish
POLL = 0.05
WARM_WITHIN = 3.0  # seconds a cacheable page may take to be stored again after a late purge
SERVER = os.environ.get("VARNISH_LIVE_SERVER", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("VARNISH_LIVE_DB", "newsroom_varnish_live")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    connection.close()
    return f"{SERVER}/{DATABASE}"


def drop_database():
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
    connection.close()


class Client:
    """HTTP/1.1 to Varnish, one connection, from a chosen loopback address."""

    def __init__(self, port, source="127.0.0.1"):
        self.port, self.source = port, source

    def request(self, method, path, headers=None, body=None):
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=15, source_address=(self.source, 0)
        )
        try:
            connection.request(method, path, body=body, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def get(self, path, **headers):
        return self.request("GET", path, headers)


class Stack:
    def __init__(self, stack: ExitStack, folder: Path):
        self.folder = folder
        self.web_port, self.varnish_port = free_port(), free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))},
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DJANGO_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_HTTPS": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": fresh_database(),
            "SITE_URL": f"http://127.0.0.1:{self.varnish_port}",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(folder / "media"),
            "NEWSROOM_PURGER": "varnish",
            "PURGE_URL": f"http://127.0.0.1:{self.varnish_port}",
            # One address polls many times a second: that is this check, not an abuser.
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "GUNICORN_WORKERS": "2",
        }
        stack.callback(drop_database)
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input"], ["seed_interview"]):
            subprocess.run(
                [PYTHON, "manage.py", *command], cwd=ROOT, env=self.env, check=True, capture_output=True
            )
        self.start(stack, [PYTHON, "-m", "gunicorn", "--config", "bench/gunicorn.conf.py", "newsroom.wsgi"])
        self.start(stack, [PYTHON, "manage.py", "run_worker"])
        vcl = (ROOT / "varnish" / "default.vcl").read_text()
        vcl = vcl.replace('.host = "web";', '.host = "127.0.0.1";')
        vcl = vcl.replace('.port = "8000";', f'.port = "{self.web_port}";')
        (folder / "default.vcl").write_text(vcl)
        varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
        self.start(
            stack,
            [
                varnishd,
                "-F",
                "-j",
                "none",
                "-n",
                str(folder / "varnish"),
                "-a",
                f"127.0.0.1:{self.varnish_port}",
                "-f",
                str(folder / "default.vcl"),
                "-s",
                "malloc,64m",
                "-p",
                "default_ttl=0",
            ],
        )
        self.client = Client(self.varnish_port)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.client.get("/")[0] == 200 and self.client.get("/health/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("the stack did not come up within 60 s")

    def start(self, stack, command):
        name = Path(command[1] if command[0] == PYTHON else command[0]).name
        log = stack.enter_context(open(self.folder / f"{name}-{len(command)}.log", "w"))  # noqa: SIM115
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

        def stop():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

        stack.callback(stop)


class Checks:
    def __init__(self, client):
        self.client = client
        self.failures, self.timings, self.passed = [], {}, 0

    def check(self, ok, message):
        print(("  ok   " if ok else "  FAIL ") + message)
        if ok:
            self.passed += 1
        else:
            self.failures.append(message)

    def warm(self, paths):
        """Request each path until Varnish answers it from its cache, for up to WARM_WITHIN seconds.

        The worker purges asynchronously, so a purge for the previous change may land between the
        request that fills the cache and the one that checks it; a page that is cacheable is a HIT
        again on the next try, one that is not never is.
        """
        for path in paths:
            deadline = time.monotonic() + WARM_WITHIN
            while True:
                self.client.get(path)
                status, headers, _ = self.client.get(path)
                if headers.get("x-cache") == "HIT" or time.monotonic() > deadline:
                    break
                time.sleep(POLL)
            self.check(
                headers.get("x-cache") == "HIT", f"{path} is cached ({status}, {headers.get('x-cache')})"
            )

    def until_visible(self, name, since, expectations):
        """Poll every expectation (path → predicate on status and body) until all hold, or DEADLINE."""
        pending = dict(expectations)
        seen = {}
        while pending and time.monotonic() - since < DEADLINE + 1:
            for path, predicate in list(pending.items()):
                status, headers, body = self.client.get(path)
                if os.environ.get("VARNISH_LIVE_TRACE"):
                    print(
                        f"    {time.monotonic() - since:.3f} {path} {status} {headers.get('x-cache')} "
                        f"age={headers.get('age')}"
                    )
                if predicate(status, body.decode("utf-8", "replace")):
                    seen[path] = time.monotonic() - since
                    del pending[path]
            time.sleep(POLL)
        for path in pending:
            self.check(False, f"{name}: {path} did not change within {DEADLINE:.0f} s")
        if seen:
            slowest = max(seen.values())
            self.timings[name] = {
                "slowest": round(slowest, 3),
                "by_path": {p: round(t, 3) for p, t in seen.items()},
            }
            self.check(
                not pending and slowest <= DEADLINE, f"{name}: visible everywhere after {slowest:.2f} s"
            )


def contains(text):
    return lambda status, body: status == 200 and text in body


def lacks(text):
    return lambda status, body: status == 200 and text not in body


def status_is(code):
    return lambda status, body: status == code


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the timings to this file")
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it happens, also in CI's log
    started = time.monotonic()
    with ExitStack() as stack:
        folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
        stack.callback(shutil.rmtree, folder, True)
        live = Stack(stack, folder)
        os.environ.update(live.env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        checks = run(live, Checks(live.client))
        took = time.monotonic() - started
        print(f"\nFrom each change to its visibility through Varnish (took {took:.0f} s):")
        for name, timing in checks.timings.items():
            print(f"  {name:<22} {timing['slowest']:.2f} s")
        print(f"varnish: {checks.passed} passed, {len(checks.failures)} failed")
        if options.json:
            Path(options.json).write_text(json.dumps(checks.timings, indent=2))
        if checks.failures:
            for path in folder.glob("*.log"):
                print(f"--- {path.name}\n{path.read_text()[-3000:]}")
            return 1
    return 0


def run(live, checks):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client as DjangoClient
    from django.utils import timezone
    from knox.models import AuthToken

    from articles import preview
    from articles.models import Article
    from contributors.models import Contributor

    client = live.client
    editor = get_user_model().objects.create_user("desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    _, token = AuthToken.objects.create(user=editor)
    auth = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    interview = Article.objects.public().get()
    page, api = interview.get_absolute_url(), f"/api/v1/articles/{interview.slug}/"
    lists = ["/", "/api/v1/articles/", "/feed/", "/feed/atom/", "/sitemap-news.xml"]

    def write(method, path, payload=None, **headers):
        status, response_headers, body = client.request(
            method, path, {**auth, **headers}, json.dumps(payload or {}).encode()
        )
        if status >= 300:
            raise SystemExit(f"{method} {path}: {status} {body[:300]!r}")
        return response_headers, json.loads(body or b"{}")

    print("Private requests are never stored")
    for name, headers, path in [
        ("a token", {"Authorization": f"Token {token}"}, api),
        ("a session", {"Cookie": f"sessionid={session_for(DjangoClient, editor)}"}, page),
    ]:
        for _ in range(2):
            status, response_headers, _ = client.get(path, **headers)
        checks.check(
            response_headers.get("x-cache") == "PASS"
            and "no-store" in response_headers.get("cache-control", ""),
            f"with {name}: {path} passed to the app, not stored ({response_headers.get('x-cache')})",
        )
    draft = Article.objects.create(
        headline="Draft seen only through a preview link", slug="preview-only-draft"
    )
    link = preview.links(draft, preview.make_token(draft))
    for path in (link["page"], link["api"]):
        for _ in range(2):
            status, response_headers, _ = client.get(path)
        checks.check(
            status == 200 and response_headers.get("x-cache") == "PASS",
            f"a preview link: {path.split('?')[0]} passed, not stored",
        )
        checks.check(
            client.get(path.split("?")[0])[0] == 404, "  and without the link the draft is not found"
        )

    print("Purges only from allowed addresses")
    status, _, _ = Client(live.varnish_port, source="127.0.0.2").request(
        "PURGE", "/", {"xkey-purge": "pages"}
    )
    checks.check(status == 403, f"a purge from 127.0.0.2 is refused ({status})")

    print("Publish: a new story enters its page, the API, the lists, the feeds and the news sitemap")
    _, created = write(
        "POST",
        "/api/v1/articles/",
        {
            "headline": "Bridge reopens after the floods",
            "dek": "Traffic crosses the river again.",
            "body": [{"type": "paragraph", "text": "The bridge reopened on Tuesday."}],
            "bylines": [{"contributor": interview.bylines.first().contributor.slug, "role": "author"}],
        },
    )
    slug = created["slug"]
    new_page, new_api = f"/stories/{slug}/", f"/api/v1/articles/{slug}/"
    checks.warm([page, api, *lists, new_page, new_api])
    since = time.monotonic()
    write("POST", f"{new_api}publish/")
    checks.until_visible(
        "publish",
        since,
        {
            new_page: contains("Bridge reopens after the floods"),
            new_api: contains('"Bridge reopens after the floods"'),
            **{path: contains(slug) for path in lists},
        },
    )

    print("Correction: the note shows on the story and in its API detail")
    checks.warm([page, api, *lists])
    since = time.monotonic()
    write(
        "POST", f"{api}corrections/", {"kind": "correction", "note": "An earlier version misdated the visit."}
    )
    checks.until_visible(
        "correction",
        since,
        {
            page: contains("misdated the visit"),
            api: contains("misdated the visit"),
        },
    )

    print("Contributor rename (as in the admin): every story page, API answer, list and feed naming them")
    contributor = Contributor.objects.get(pk=interview.bylines.first().contributor_id)
    person = contributor.get_absolute_url()
    checks.warm(
        [page, api, "/api/v1/articles/", "/feed/", person, f"/api/v1/contributors/{contributor.slug}/"]
    )
    since = time.monotonic()
    contributor.name = "Renamed Reporter"
    contributor.save()
    checks.until_visible(
        "contributor rename",
        since,
        {
            path: contains("Renamed Reporter")
            for path in (
                page,
                api,
                "/api/v1/articles/",
                "/feed/",
                person,
                f"/api/v1/contributors/{contributor.slug}/",
            )
        },
    )

    print("Kill: the story answers 410 and leaves the lists, feeds and news sitemap")
    checks.warm([new_page, new_api, *lists])
    since = time.monotonic()
    write("POST", f"{new_api}kill/", {"notice": "Withdrawn: the bridge is still closed."})
    checks.until_visible(
        "kill",
        since,
        {
            new_page: status_is(410),
            new_api: status_is(410),
            **{path: lacks(slug) for path in lists},
        },
    )

    print("Expiry: the story leaves every public surface when its time comes, announced by the worker")
    _, expiring = write(
        "POST",
        "/api/v1/articles/",
        {
            "headline": "Road closures for the weekend",
            "body": [{"type": "paragraph", "text": "Three roads close on Saturday."}],
            "bylines": [{"contributor": contributor.slug, "role": "author"}],
        },
    )
    write("POST", f"/api/v1/articles/{expiring['slug']}/publish/")
    story = Article.objects.get(slug=expiring["slug"])
    story.expires_at = timezone.now() + timedelta(seconds=3)
    story.save()  # as the admin does; the worker is told to announce the expiry at that time
    old_page, old_api = f"/stories/{story.slug}/", f"/api/v1/articles/{story.slug}/"
    time.sleep(1.0)  # the purge of this edit goes through; then the new state is cached
    checks.warm([old_page, old_api, *lists])
    time.sleep(max(0.0, story.expires_at.timestamp() - time.time()))
    since = time.monotonic()
    checks.until_visible(
        "expiry",
        since,
        {
            old_page: status_is(404),
            old_api: status_is(404),
            **{path: lacks(story.slug) for path in lists},
        },
    )
    return checks


def session_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client.cookies["sessionid"].value


if __name__ == "__main__":
    sys.exit(main())
