"""The one background process: scheduled publishing, then queued tasks (purges, webhooks, renditions)."""

import logging
import signal
import time
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Jobs run before the queue, each at most every so many seconds: (dotted path, seconds).
PERIODIC_JOBS = [
    ("articles.services.scheduling.articles_publish_due", 5),
    # Expiries are announced by tasks queued for their time; this sweep catches any that were missed.
    ("articles.expiry.articles_announce_expired", 60),
]


def requeue_stale(older_than):
    """Put back tasks a worker claimed but never finished (it was killed mid-task): they run again.

    Tasks are written to be safe to repeat, so running one twice is better than losing it.
    """
    cutoff = timezone.now() - older_than
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff).update(
        status=TaskResultStatus.READY, started_at=None
    )


class Periodic:
    def __init__(self, path, every):
        self.function, self.every, self.due = import_string(path), every, 0.0

    def run_if_due(self):
        now = time.monotonic()
        if now < self.due:
            return
        self.due = now + self.every
        try:
            self.function()
        except Exception:
            # One failing job must not stop purges and webhooks; it is tried again next time.
            logger.exception("Periodic job %s failed", self.function.__name__)


class Command(BaseCommand):
    help = (
        "Run the background worker: scheduled publishing and every queued task (CDN purges, webhook "
        "deliveries, image renditions). Stop it with SIGTERM; the task in hand finishes first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between rounds when idle.")
        parser.add_argument("--once", action="store_true", help="Run one round and exit (cron, tests).")
        parser.add_argument(
            "--stale-after",
            type=int,
            default=900,
            help="Seconds after which a task still marked running is taken to be abandoned and run again.",
        )
        parser.add_argument("--max-tasks", type=int, default=100, help="Tasks per round at most.")
        parser.add_argument(
            "--heartbeat-file", help="A file touched every round, for health checks (e.g. /tmp/worker-alive)."
        )

    def handle(self, *, interval, once, stale_after, max_tasks, heartbeat_file, verbosity, **options):
        if interval < 0 or stale_after <= 0 or max_tasks <= 0:
            raise CommandError("--interval must be 0 or more; --stale-after and --max-tasks above 0.")
        self.stopping = False
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        jobs = [Periodic(path, every) for path, every in PERIODIC_JOBS]
        worker_id = get_random_string(32)
        heartbeat = Path(heartbeat_file) if heartbeat_file else None
        while True:
            if heartbeat:
                heartbeat.touch()
            close_old_connections()
            requeued = requeue_stale(timedelta(seconds=stale_after))
            if requeued:
                logger.warning("Re-queued %s abandoned task(s)", requeued)
            for job in jobs:
                job.run_if_due()
            ran = self.run_tasks(worker_id, max_tasks)
            if verbosity > 1:
                self.stdout.write(f"Ran {ran} task(s).")
            if once or self.stopping:
                return
            if ran < max_tasks:
                self.sleep(interval)

    def run_tasks(self, worker_id, max_tasks):
        worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        self.worker = worker
        worker.run()
        return worker._run_tasks

    def stop(self, signum, frame):
        self.stopping = True
        worker = getattr(self, "worker", None)
        if worker is not None:
            worker.running = False  # finish the task in hand, take no other

    def sleep(self, seconds):
        deadline = time.monotonic() + seconds
        while not self.stopping and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))
