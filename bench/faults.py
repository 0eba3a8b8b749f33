#!/usr/bin/env python3
"""Load and database-fault run against a live gunicorn on PostgreSQL, all on loopback.

1. A private PostgreSQL cluster (initdb in a temporary folder, its own port) is created, migrated and
   seeded, so the run never disturbs another database on the machine.
2. gunicorn serves the app; CLIENTS keep-alive clients read the API, the story page and /health/.
3. Baseline: BASELINE seconds of load must give zero errors.
4. Fault: PostgreSQL is stopped mid-run for OUTAGE seconds and started again. Every failed request
   must fall inside the outage (plus the connect timeout), be a clean 503 with Retry-After (JSON
   under /api/), never a 500, a hang or a dropped connection; after it, everything answers 200 again
   without restarting gunicorn.

Exit status 0 when all of that holds. Bounded: about a minute in total. Run: `python bench/faults.py`.
"""

import contextlib
import http.client
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CLIENTS = int(os.environ.get("FAULTS_CLIENTS", "32"))
BASELINE = float(os.environ.get("FAULTS_BASELINE_SECONDS", "8"))
BEFORE_OUTAGE, OUTAGE, AFTER_OUTAGE = 4.0, 3.0, 8.0
CONNECT_TIMEOUT = 2  # DATABASE_CONNECT_TIMEOUT for the app under test
REQUEST_TIMEOUT = 15  # a request slower than this counts as a hang
PG_BIN = Path(os.environ.get("PG_BIN") or next(Path("/usr/lib/postgresql").glob("*/bin")))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(*command, **kwargs):
    # initdb and pg_ctl refuse to run as root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, command)], check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-faults-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, action, *extra):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        return as_postgres(
            PG_BIN / "pg_ctl", action, "-D", self.data, "-w", "-l", self.folder / "log", "-o", options, *extra
        )

    def start(self):
        self.pg_ctl("start")

    def stop(self):
        self.pg_ctl("stop", "-m", "fast")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Result:
    __slots__ = ("started", "ended", "path", "status", "content_type", "retry_after", "body", "error")

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))


def client_loop(port, paths, stop_at, results, offset):
    connection = None
    n = offset
    while time.monotonic() < stop_at:
        path = paths[n % len(paths)]
        n += 1
        started = time.monotonic()
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            connection.request("GET", path, headers={"Accept": "application/json, text/html"})
            response = connection.getresponse()
            body = response.read()
            results.append(
                Result(
                    started=started,
                    ended=time.monotonic(),
                    path=path,
                    status=response.status,
                    content_type=response.getheader("Content-Type", ""),
                    retry_after=response.getheader("Retry-After"),
                    body=body[:500],
                )
            )
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            results.append(Result(started=started, ended=time.monotonic(), path=path, error=repr(error)))
            if connection is not None:
                connection.close()
            connection = None


def load(port, paths, seconds):
    results = []
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(port, paths, stop_at, results, i), daemon=True)
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    return threads, results


def summary(results, seconds):
    ok = sum(1 for r in results if r.status == 200)
    latencies = sorted(r.ended - r.started for r in results)
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
    return f"{len(results)} requests, {ok} ok, {len(results) / seconds:.0f} req/s, p99 {p99 * 1000:.0f} ms"


def clean_503(result):
    if result.status != 503 or not result.retry_after:
        return False
    if result.path.startswith("/api/") or result.path.startswith("/health/"):
        try:
            body = json.loads(result.body)
        except ValueError:
            return False
        return body.get("code") == "service_unavailable" or body.get("database") == "down"
    return "text/html" in result.content_type and b"Traceback" not in result.body


def main():
    cluster = Cluster()
    gunicorn = None
    failures = []
    try:
        cluster.start()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": cluster.url,
            "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "DATABASE_CONN_MAX_AGE": "60",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "MEDIA_ROOT": str(cluster.folder / "media"),
            "DJANGO_LOG_LEVEL": "CRITICAL",
            # The run is one client address making thousands of requests; throttling is not under test.
            "API_THROTTLE_ANON": "off",
            "API_THROTTLE_USER": "off",
        }
        env.pop("REDIS_URL", None)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*manage, "seed_interview"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run(
            [*manage, "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env={**env, "STATIC_ROOT": str(cluster.folder / "static")},
            check=True,
        )
        slug = (
            subprocess.run(
                [
                    *manage,
                    "shell",
                    "-c",
                    "from articles.models import Article; print(Article.objects.get().slug)",
                ],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        server_log = open(cluster.folder / "gunicorn.log", "w")  # noqa: SIM115 (closed with the cluster)
        gunicorn = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "newsroom.wsgi",
                "--config", "bench/gunicorn.conf.py",
                "--bind", f"127.0.0.1:{port}",
                "--workers", "4", "--worker-class", "gthread", "--threads", "8",
            ],
            cwd=ROOT,
            env={**env, "STATIC_ROOT": str(cluster.folder / "static")},
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        paths = ["/api/v1/articles/", f"/api/v1/articles/{slug}/", f"/stories/{slug}/", "/health/"]

        # Warm-up: every worker imports the views and opens its database connection.
        for thread in load(port, paths, 2.0)[0]:
            thread.join(2.0 + REQUEST_TIMEOUT + 5)
        threads, results = load(port, paths, BASELINE)
        for thread in threads:
            thread.join(BASELINE + REQUEST_TIMEOUT + 5)
        print(f"baseline, {CLIENTS} clients: {summary(results, BASELINE)}")
        bad = [r for r in results if r.status != 200]
        if bad:
            failures.append(
                f"baseline had {len(bad)} errors, e.g. {bad[0].status} {bad[0].error} {bad[0].path}"
            )

        total = BEFORE_OUTAGE + OUTAGE + AFTER_OUTAGE
        threads, results = load(port, paths, total)
        time.sleep(BEFORE_OUTAGE)
        outage_began = time.monotonic()
        cluster.stop()
        time.sleep(OUTAGE)
        cluster.start()
        outage_ended = time.monotonic()
        for thread in threads:
            thread.join(total + REQUEST_TIMEOUT + 5)
        print(f"fault run ({OUTAGE:.0f} s outage): {summary(results, total)}")
        grace = CONNECT_TIMEOUT + 1
        failed = [r for r in results if r.status != 200]
        # A request fails because of the outage if it was in flight at some moment of it.
        outside = [r for r in failed if r.ended < outage_began or r.started > outage_ended + grace]
        unclean = [r for r in failed if not clean_503(r)]
        hung = [r for r in results if r.ended - r.started >= REQUEST_TIMEOUT - 1]
        after = [r for r in results if r.started > outage_ended + grace]
        recovered = sum(r.status == 200 for r in after)
        print(
            f"  failed {len(failed)} (all inside the outage: {not outside}; clean 503s: "
            f"{len(failed) - len(unclean)}), after recovery {recovered}/{len(after)} ok"
        )
        if not failed:
            failures.append("no request failed during the outage: the fault did not happen")
        if outside:
            failures.append(f"{len(outside)} failures outside the outage, e.g. {vars_of(outside[0])}")
        if unclean:
            failures.append(f"{len(unclean)} failures were not clean 503s, e.g. {vars_of(unclean[0])}")
        if hung:
            failures.append(f"{len(hung)} requests hung")
        if not after or any(r.status != 200 for r in after):
            failures.append("the service did not fully recover after the database came back")
        if gunicorn.poll() is not None:
            failures.append("gunicorn died")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(15)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        cluster.destroy()
    for failure in failures:
        print("FAIL:", failure)
    print("faults: " + ("FAILED" if failures else "passed"))
    return 1 if failures else 0


def vars_of(result):
    return {name: getattr(result, name) for name in ("path", "status", "error", "retry_after", "body")}


if __name__ == "__main__":
    sys.exit(main())
