import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from articles.models import Article
from articles.services.scheduling import articles_publish_due


class Command(BaseCommand):
    help = (
        "Apply go-live side effects (version, first-published time, announcements for cache purges and "
        "webhooks) to scheduled and embargoed stories whose time has come. Runs until stopped; --once "
        "makes one pass for cron or tests. Safe to run twice: each story goes live exactly once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Make one pass and exit.")
        parser.add_argument(
            "--interval", type=float, default=15.0, help="Seconds between passes (default 15)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the stories that are due and change nothing."
        )

    def handle(self, *args, once, interval, dry_run, verbosity, **options):
        self.verbosity = verbosity
        if interval <= 0:
            raise CommandError("--interval must be a positive number of seconds.")
        if dry_run:
            due = Article.objects.due_to_go_live().order_by("go_live_at")
            for article in due:
                self.stdout.write(f"due: {article.slug} (go-live {article.go_live_at:%Y-%m-%d %H:%M:%S %Z})")
            self.stdout.write(f"{len(due)} due; nothing changed (dry run).")
            return

        stopping = []
        if not once:
            # Finish the pass in hand on SIGTERM/SIGINT (docker stop, Ctrl-C) rather than dying mid-story.
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))
            self.stdout.write(f"Scheduler running every {interval:g}s; stop with Ctrl-C.")
        while True:
            self._pass()
            if once or stopping:
                return
            deadline = time.monotonic() + interval
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
            if stopping:
                return
            # A long-running process must not hold a connection the database has dropped meanwhile.
            close_old_connections()

    def _pass(self):
        went_live = articles_publish_due()
        stamp = timezone.now().strftime("%H:%M:%S")
        for article in went_live:
            self.stdout.write(self.style.SUCCESS(f"{stamp} live: {article.slug} (version {article.version})"))
        if not went_live and self.verbosity > 1:
            self.stdout.write(f"{stamp} nothing due")
