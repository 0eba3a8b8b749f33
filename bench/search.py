#!/usr/bin/env python3
"""Benchmark search: the API's `?q=` and the admin story list's search box, one request at a time.

Requests go through the whole Django stack in-process (test client; no response cache), against the
database in DATABASE_URL, which `generate_demo_content` filled (see bench/README.md). For each query —
a word found nowhere, a rare word, a topic name in about a tenth of the stories, the corpus's most common
non-stop-word, two-word queries and a phrase — it prints p50/p99 latency and queries per request for the
first page, the next page, and the admin's search; beside them the same list without a search, as the
reference for what the stack costs without searching. On PostgreSQL "DB ms" is the search statement's
own execution time inside the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/search.py
    .venv/bin/python bench/search.py --plans      # also EXPLAIN ANALYZE each query's search
    .venv/bin/python bench/search.py --show 3     # also the first page's headlines for three queries
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
# One client on one address is the load generator here, not an abuser.
os.environ["API_THROTTLE_ANON"] = "off"
os.environ["API_THROTTLE_USER"] = "off"
os.environ["RESPONSE_CACHE"] = "0"
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# The admin's pages need no collected static files here.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.demo.vocabulary import topic_names  # noqa: E402
from articles.models import Article  # noqa: E402
from articles.search import search_stories  # noqa: E402

API = "/api/v1/articles/"
ADMIN = "/admin/articles/article/"


def most_common_word():
    """The corpus's most frequent non-stop-word (stemmed), from PostgreSQL's column statistics."""
    if connection.vendor != "postgresql":
        return "said"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT e FROM (SELECT unnest(most_common_elems::text::text[]) AS e, "
            "unnest(most_common_elem_freqs) AS f FROM pg_stats WHERE tablename = 'articles_article' "
            "AND attname = 'search_vector') s ORDER BY f DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return row[0] if row else "said"


def queries():
    names = topic_names()
    common = most_common_word()
    return [
        ("found nowhere", "qxzqxzqxz"),
        ("rare word (topic #5000)", names[4999].lower()),
        ("topic in ~1/10 of stories", names[0].lower()),
        (f"most common word ({common})", common),
        ("two common words", "russian troops"),
        ("rare + common word", f"{names[999].lower()} {common}"),
        ("phrase", '"open road"'),
        ("phrase of common words", '"russian forces"'),
    ]


def timed(client, path, params, repeat):
    """p50 and p99 wall-clock ms, p50 ms of this process's CPU, statuses and the last response.

    On a shared machine wall-clock time includes waiting for a core; CPU time does not (it counts the
    Django side, and SQLite's, which runs in-process; PostgreSQL's work is in its own process).
    """
    times, cpu, statuses, response = [], [], set(), None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, params)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        statuses.add(response.status_code)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return statistics.median(times), p99, statuses, response, statistics.median(cpu)


def count_queries(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        client.get(path, params)
    return len(captured.captured_queries)


def editor_client():
    user, _ = get_user_model().objects.get_or_create(
        username="bench-search-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def explain(query, options="ANALYZE, BUFFERS, COSTS OFF"):
    """EXPLAIN of the first page's statement, as the API runs it (same plan settings and time limit)."""
    found = search_stories(Article.objects.public().with_listing(), query)
    page = found.order_by("-search_rank", "-id")[:21]
    sql, params = page.query.sql_with_params()
    with page._cost_limit(page.db), connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def plan(query):
    # The folded lists (tags, bylines, renditions) are per-row subplans of the 21 rows shown: left out.
    return "\n".join(line for line in explain(query) if "fold" not in line)


def database_ms(query, repeat=5):
    """Median execution time of the search statement inside PostgreSQL (EXPLAIN ANALYZE, no timing of
    each node), which waits less on a busy machine than the whole request does."""
    if connection.vendor != "postgresql":
        return None
    times = []
    for _ in range(repeat):
        lines = explain(query, "ANALYZE, TIMING OFF, COSTS OFF")
        times.append(float(next(line for line in lines if line.startswith("Execution Time")).split()[2]))
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=30, help="Requests per row (default 30).")
    parser.add_argument("--plans", action="store_true", help="Print each query's plan.")
    parser.add_argument("--show", type=int, default=0, help="Print first pages of this many queries.")
    parser.add_argument("--no-admin", action="store_true", help="Skip the admin rows.")
    args = parser.parse_args()

    stories = Article.objects.count()
    public = Article.objects.public().count()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"{connection.vendor}, {stories:,} stories ({public:,} public), {args.repeat} requests a row, "
        f"load average {load} on {os.cpu_count()} cores\n"
    )
    client = Client()
    admin = None if args.no_admin else editor_client()
    rows = []
    base = timed(client, API, {}, args.repeat)
    reference = count_queries(client, API, {})
    rows.append(("list, no search (reference)", "", base[0], base[1], reference, "", "", base[4], ""))
    for label, query in queries():
        params = {"q": query}
        timed(client, API, params, 3)  # warm
        p50, p99, statuses, response, cpu = timed(client, API, params, args.repeat)
        body = response.json()
        shown = len(body.get("results", []))
        next_p50 = ""
        if body.get("next"):
            next_p50 = f"{timed(client, body['next'], {}, max(5, args.repeat // 3))[0]:.1f}"
        admin_p50 = ""
        if admin is not None:
            timed(admin, ADMIN, params, 2)
            admin_p50 = f"{timed(admin, ADMIN, params, max(5, args.repeat // 3))[0]:.1f}"
        status = "/".join(str(s) for s in sorted(statuses))
        count = count_queries(client, API, params)
        database = database_ms(query)
        database = "" if database is None else f"{database:.1f}"
        rows.append((label, query, p50, p99, count, next_p50, admin_p50, cpu, database, status, shown))
    if admin is not None:
        admin_list = timed(admin, ADMIN, {}, max(5, args.repeat // 3))[0]
        print(f"admin story list, no search: p50 {admin_list:.1f} ms\n")

    print(
        "| query | q | p50 ms | p99 ms | CPU p50 ms | DB ms | queries | next page p50 ms | admin p50 ms "
        "| status | shown |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        label, query, p50, p99, count, next_p50, admin_p50, cpu, database, *rest = row
        status, shown = rest if rest else ("200", 20)
        print(
            f"| {label} | `{query}` | {p50:.1f} | {p99:.1f} | {cpu:.1f} | {database} | {count} | {next_p50} "
            f"| {admin_p50} | {status} | {shown} |"
        )

    for label, query in queries()[1 : 1 + args.show]:
        results = client.get(API, {"q": query, "page_size": 5}).json().get("results", [])
        print(f"\nFirst page for {query!r} ({label}):")
        for article in results:
            print(f"  {article['published_at'][:10]}  {article['headline'][:90]}")

    if args.plans and connection.vendor == "postgresql":
        for label, query in queries():
            print(f"\n### {label}: `{query}`\n\n```\n{plan(query)}\n```")


if __name__ == "__main__":
    main()
