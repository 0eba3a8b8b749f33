"""gunicorn settings shared by docker-compose and the benchmarks. Environment variables override."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 10
# Recycle workers now and then so a slow leak cannot take a worker down on a busy night.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))  # 0: never
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESSLOG")  # "-" for stdout
