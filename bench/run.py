#!/usr/bin/env python3
"""Benchmark the public read path: gunicorn + PostgreSQL + Redis on loopback, measured with wrk.

Prints one table: requests per second, p50/p99 latency and queries per request for the interview's detail,
a 20-item list, its last cursor page, a search, a feed and the story page, each with the response cache
on and off, and each as a ratio to the ceiling (bench/ceiling.py: bare Django returning the same number
of bytes) measured in the same run. See bench/README.md for how to prepare the database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench .venv/bin/python bench/run.py
"""

import argparse
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"


THROTTLE_RATES = {"off": "off", "on": "1000000000/min"}


def log(message):
    print(message, file=sys.stderr, flush=True)


def base_env(args, cache_on):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_HTTPS": "0",
        "DJANGO_ALLOWED_HOSTS": f"{HOST},localhost",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url or "",
        "RESPONSE_CACHE": "1" if cache_on else "0",
        # One client hammering from one address is the point here, not an abuser to slow down; in
        # production a CDN takes this load and the origin limits are set per deployment. --throttles on
        # keeps both limits counting every request (at rates this load never reaches), to measure their cost.
        "API_THROTTLE_ANON": THROTTLE_RATES[args.throttles],
        "API_THROTTLE_USER": THROTTLE_RATES[args.throttles],
        "STATIC_ROOT": args.static_root,
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_MAX_REQUESTS": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    return env


def flush_redis(url):
    if not url:
        return
    parsed = urllib.parse.urlparse(url)
    db = (parsed.path or "/0").strip("/") or "0"
    subprocess.run(
        ["redis-cli", "-h", parsed.hostname or HOST, "-p", str(parsed.port or 6379), "-n", db, "FLUSHDB"],
        check=True,
        capture_output=True,
        timeout=30,
    )


class Server:
    """gunicorn in its own process group, stopped for sure when the block ends."""

    def __init__(self, app, port, env, workers, chdir=ROOT):
        self.url = f"http://{HOST}:{port}"
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (kept open for the server's lifetime)
            prefix="bench-gunicorn-", suffix=".log", delete=False
        )
        command = [PYTHON, "-m", "gunicorn", "--config", str(ROOT / "bench/gunicorn.conf.py")]
        command += ["--bind", f"{HOST}:{port}", "--workers", str(workers), "--chdir", str(chdir), app]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def __enter__(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                urllib.request.urlopen(self.url + self.probe, timeout=2).read()
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log.name}")

    probe = "/"

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def wrk(url, args):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds}s", "--latency"]
    command += ["--timeout", "5s", url]
    out = subprocess.run(command, capture_output=True, text=True, timeout=args.seconds + 60).stdout

    def ms(label):
        match = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50": ms("50%"),
        "p99": ms("99%"),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


QUERY_COUNTER = r"""
import json, sys
import django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for path in json.loads(sys.argv[1]):
    cache.clear()
    runs = []
    # Cold: the first request after the cache was emptied. Warm: once the edge holds the response
    # (the first request teaches it which story an address shows, the second is kept).
    for _ in range(3):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        runs.append(len(queries))
    counts[path] = {"cold": runs[0], "warm": runs[-1], "status": response.status_code}
print(json.dumps(counts))
"""


def count_queries(env, paths):
    result = subprocess.run(
        [PYTHON, "-c", QUERY_COUNTER, json.dumps(paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


LAST_PAGE = r"""
import base64, json, sys, urllib.parse
import django
django.setup()
from articles.models import Article

# The cursor of the page holding the oldest stories: its position is the go-live time of the story just
# before them, in the list's own (newest first) order.
page_size = int(sys.argv[1])
older = Article.objects.public().order_by("go_live_at", "id").values_list("go_live_at", flat=True)
position = str(older[page_size])
cursor = base64.b64encode(urllib.parse.urlencode({"p": position}).encode()).decode()
interview = Article.objects.public().filter(slug__startswith="zelensky").values_list("slug", flat=True)
# A name as often in the news as a running story: the 50th most common in the demo archive (about 0.5%
# of stories), not the interview's own words, which every demo story borrows.
from articles.demo.vocabulary import topic_names
print(json.dumps({"cursor": cursor, "slug": interview.first(), "search": topic_names()[49]}))
"""


def plan(env):
    result = subprocess.run(
        [PYTHON, "-c", LAST_PAGE, "20"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    if not found["slug"]:
        raise SystemExit("The interview is missing: run `manage.py seed_interview` on the bench database.")
    slug, cursor = found["slug"], urllib.parse.quote(found["cursor"])
    return {
        "detail": f"/api/v1/articles/{slug}/",
        "list (20)": "/api/v1/articles/?page_size=20",
        "list, last page": f"/api/v1/articles/?page_size=20&cursor={cursor}",
        "search": f"/api/v1/articles/?q={found['search'].lower()}",
        "feed": "/feed/",
        "story page": f"/stories/{slug}/",
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", f"redis://{HOST}:6379/7"),
        help='Redis for the response cache; "none" for the default install without one (uncached only)',
    )
    parser.add_argument(
        "--ports", type=int, metavar="FIRST", help="Serve on FIRST and FIRST+1 (default: any free ports)"
    )
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per measurement (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument(
        "--throttles",
        choices=tuple(THROTTLE_RATES),
        default="off",
        help="API rate limits off (default), or on and counting every request without ever refusing one",
    )
    parser.add_argument("--only", nargs="+", metavar="ROW", help="Measure only these rows, e.g. detail")
    parser.add_argument(
        "--mode",
        choices=("cached", "uncached", "both"),
        default="both",
        help="Measure with the response cache on, off, or both (default)",
    )
    args = parser.parse_args()
    if not (args.database_url or "").startswith(("postgres", "sqlite")):
        raise SystemExit("Set DATABASE_URL (or --database-url) to the bench database.")
    if args.redis_url == "none":
        args.redis_url = None
        if args.mode != "uncached":
            raise SystemExit("Without Redis there is no response cache: use --mode uncached.")
    if not 1 <= args.seconds <= 120:
        raise SystemExit("--seconds must be between 1 and 120.")
    args.static_root = tempfile.mkdtemp(prefix="bench-static-")

    env_on, env_off = base_env(args, True), base_env(args, False)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env_on,
        check=True,
        timeout=300,
    )
    paths = plan(env_on)
    if args.only:
        paths = {name: path for name, path in paths.items() if name in args.only}
    rows = []
    ceiling = {}
    # The ceiling runs beside the app the whole time and is measured right after each row, at that row's
    # size: on a shared machine the load drifts, and a ratio is only fair between neighbours.
    ceiling_env = {**env_on, "DJANGO_SETTINGS_MODULE": ""}
    ports = (args.ports, args.ports + 1) if args.ports else (free_port(), free_port())
    with Server("ceiling:application", ports[0], ceiling_env, args.workers, chdir=ROOT / "bench") as top:
        modes = [
            (mode, env)
            for mode, env in (("cached", env_on), ("uncached", env_off))
            if args.mode in (mode, "both")
        ]
        for mode, env in modes:
            flush_redis(args.redis_url)
            queries = count_queries(env, list(paths.values()))
            flush_redis(args.redis_url)
            log(f"== {mode}: starting gunicorn")
            with Server("newsroom.wsgi:application", ports[1], env, args.workers) as server:
                for name, path in paths.items():
                    status, body = fetch(server.url + path)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}")
                    for _ in range(20):  # warm the worker processes and, when on, the cache
                        fetch(server.url + path)
                        fetch(f"{top.url}/{len(body)}")
                    log(f"   {name}: wrk {args.seconds}s, then the ceiling at {len(body)} bytes")
                    figures = wrk(server.url + path, args)
                    ceiling[(mode, name)] = wrk(f"{top.url}/{len(body)}", args)
                    rows.append(
                        {"endpoint": name, "mode": mode, "bytes": len(body), **figures, **queries[path]}
                    )
    for row in rows:
        row["ceiling_rps"] = ceiling[(row["mode"], row["endpoint"])]["rps"]
        row["ratio"] = row["rps"] / row["ceiling_rps"] if row["ceiling_rps"] else 0.0
    print_table(rows, ceiling, args)
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows}, indent=2))


def print_table(rows, ceiling, args):
    database = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    print(
        f"gunicorn sync x{args.workers}, wrk -t{args.threads} -c{args.connections} -d{args.seconds}s, "
        f"{database}{' + Redis' if args.redis_url else ', no Redis'} on {HOST}"
    )
    print("| endpoint | cache | bytes | req/s | p50 ms | p99 ms | queries | ceiling req/s | ×ceiling |")
    print("|" + "---|" * 9)
    for row in rows:
        flag = f" ({row['errors']} non-2xx)" if row["errors"] else ""
        print(
            f"| {row['endpoint']} | {row['mode']} | {row['bytes']:,} | {row['rps']:,.0f}{flag} | "
            f"{row['p50']:.2f} | {row['p99']:.2f} | {row['cold']}/{row['warm']} | "
            f"{row['ceiling_rps']:,.0f} | {row['ratio']:.2f} |"
        )


if __name__ == "__main__":
    main()
