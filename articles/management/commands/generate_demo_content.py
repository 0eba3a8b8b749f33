"""Fill the database with realistic demo stories for load tests and benchmarks (see articles/demo/).

Rows go in with COPY on PostgreSQL (a prepared multi-row INSERT elsewhere), a batch per transaction; the
search vectors of one batch are built by a second connection while the next batch is generated.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from articles.demo.stories import DemoStories, build_missing_search_vectors, build_search_vectors
from articles.models import Article


class Command(BaseCommand):
    help = "Generate N realistic demo stories (deterministic with --seed), for benchmarks and load tests."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True, help="How many stories to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same stories (default 1).")
        parser.add_argument("--batch", type=int, default=1000, help="Stories per transaction (default 1000).")

    def handle(self, *args, stories, seed, batch, **options):
        if stories <= 0 or batch <= 0:
            raise CommandError("--stories and --batch must be positive.")
        prefix = f"demo-{seed}-"
        start_at = Article.objects.filter(slug__startswith=prefix).count()
        if start_at:
            self.stdout.write(f"{start_at} demo stories with seed {seed} exist; adding after them.")
        started = time.monotonic()
        healed = build_missing_search_vectors()
        if healed:
            self.stdout.write(f"Built the search vectors of {healed} stories an earlier run left without.")
        # Draw past existing stories so the new ones continue the sequence rather than repeat it.
        demo = DemoStories(seed=seed if not start_at else f"{seed}:{start_at}", prefix=prefix)
        self.stdout.write(f"Vocabulary and sentence pool ready in {time.monotonic() - started:.0f}s.")
        done, pending = 0, None
        with ThreadPoolExecutor(max_workers=1) as vectors:
            try:
                while done < stories:
                    size = min(batch, stories - done)
                    ids = demo.write_batch(start_at + done, size)
                    if pending is not None:
                        pending.result()
                        pending = None
                    if connection.in_atomic_block:
                        # Inside a transaction (tests) another connection could not see the rows yet.
                        build_search_vectors(ids)
                    else:
                        pending = vectors.submit(self.vectors, ids)
                    done += size
                    self.progress(done, stories, started)
                if pending is not None:
                    pending.result()
            finally:
                vectors.submit(connections.close_all).result()
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Added {stories} stories in {time.monotonic() - started:.0f}s.")
        )
        if connection.vendor == "postgresql":
            self.stdout.write("Run VACUUM ANALYZE before measuring anything.")

    @staticmethod
    def vectors(ids):
        build_search_vectors(ids)

    def progress(self, done, total, started):
        width = 30
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - started, 1e-6)
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\r[{bar}] {done:,}/{total:,} stories, {rate:,.0f}/s", ending="")
        self.stdout.flush()
