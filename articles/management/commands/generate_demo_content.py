"""Fill the database with realistic demo stories for load tests and benchmarks (see articles/demo/).

Rows go in with COPY on PostgreSQL (a prepared multi-row INSERT elsewhere), a batch per transaction, each
story's search vector built once as the story goes in. On PostgreSQL, `--jobs` processes write batches
side by side (the text is made in Python, the vectors in PostgreSQL: both cores stay busy).
"""

import multiprocessing
import os
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from articles.demo.stories import DemoStories, build_missing_search_vectors
from articles.models import Article

# The generator a forked worker inherits from the command (built once: the sentence pool takes seconds).
_demo = None


def _write(batch):
    first, size = batch
    _demo.write_batch(first, size)
    return size


def _close_connections():
    connections.close_all()


class Command(BaseCommand):
    help = "Generate N realistic demo stories (deterministic with --seed), for benchmarks and load tests."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True, help="How many stories to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same stories (default 1).")
        parser.add_argument("--batch", type=int, default=1000, help="Stories per transaction (default 1000).")
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes writing batches side by side on PostgreSQL (default: one per core).",
        )

    def handle(self, *args, stories, seed, batch, jobs, **options):
        global _demo
        if stories <= 0 or batch <= 0 or jobs <= 0:
            raise CommandError("--stories, --batch and --jobs must be positive.")
        prefix = f"demo-{seed}-"
        start_at = next_number(prefix)
        if start_at:
            self.stdout.write(f"Demo stories with seed {seed} exist; adding after number {start_at - 1}.")
        started = time.monotonic()
        healed = build_missing_search_vectors()
        if healed:
            self.stdout.write(f"Built the search vectors of {healed} stories an earlier run left without.")
        _demo = DemoStories(seed=seed, prefix=prefix)
        self.stdout.write(f"Vocabulary and sentence pool ready in {time.monotonic() - started:.0f}s.")
        batches = [(start_at + first, min(batch, stories - first)) for first in range(0, stories, batch)]
        # Other processes cannot see rows of an open transaction (tests), and SQLite has one writer.
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            jobs = 1
        done = 0
        if jobs == 1:
            for step in batches:
                done += _write(step)
                self.progress(done, stories, started)
        else:
            # Forked workers must not share the parent's connection: each opens its own.
            connections.close_all()
            context = multiprocessing.get_context("fork")
            with context.Pool(jobs, initializer=_close_connections) as pool:
                for size in pool.imap_unordered(_write, batches):
                    done += size
                    self.progress(done, stories, started)
        _demo = None
        self.stdout.write("")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Added {stories} stories in {elapsed:.0f}s ({stories / elapsed:,.0f}/s).")
        )
        if connection.vendor == "postgresql":
            self.stdout.write("Run VACUUM ANALYZE before measuring anything.")

    def progress(self, done, total, started):
        width = 30
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - started, 1e-6)
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\r[{bar}] {done:,}/{total:,} stories, {rate:,.0f}/s", ending="")
        self.stdout.flush()


def next_number(prefix):
    """The number after the highest demo story of this seed, so a new run continues the sequence (and
    fills no gap an interrupted run left, whose later batches may have been written)."""
    numbers = (
        slug[len(prefix) :].split("-", 1)[0]
        for slug in Article.objects.filter(slug__startswith=prefix).values_list("slug", flat=True).iterator()
    )
    return max((int(number) + 1 for number in numbers if number.isdigit()), default=0)
