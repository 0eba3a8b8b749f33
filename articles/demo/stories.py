"""Demo stories shaped like the seeded interview, written a batch at a time.

A story has a headline, standfirst and dateline, 1–3 bylines, a body of paragraphs (mostly Zipf-drawn
sentences, some of the interview's own) with the odd heading and pulled quote, 2–12 attributed quotes,
up to five tags and a correction now and then. 90% are published; the rest are drafts, scheduled or
killed stories that the publication rule must hide.
"""

import itertools
import random
from datetime import timedelta

from django.db import connections, transaction
from django.utils import timezone
from django.utils.text import slugify

from contributors.models import Contributor

from ..models import Article, Block, Byline, Correction, Quote, Section, Speaker, Tag
from .rows import TableWriter
from .vocabulary import SentenceMaker, corpus, topic_names

SECTIONS = ["World", "Europe", "Politics", "Business", "Climate", "Science", "Health", "Sport", "Culture"]
PLACES = ["Kyiv", "Kharkiv", "Brussels", "Warsaw", "Washington", "London", "Berlin", "Geneva", "Istanbul"]
VERBS = ["said", "told reporters", "insisted", "warned", "added", "said in a statement"]
OCCASIONS = ["in an interview", "at a news conference", "in a televised address", "on social media", ""]
FIRST = ["Olena", "Andriy", "Maria", "James", "Aisha", "Tomasz", "Ingrid", "Kenji", "Lucia", "Pavel"]
LAST = ["Kovalenko", "Smith", "Nowak", "Schmidt", "Haddad", "Rossi", "Tanaka", "Dubois", "Ivanova", "Berg"]
TITLES = ["Minister of Defence", "President", "a senior official", "Mayor", "spokesperson", "analyst"]
# Share of sentences taken word for word from the interview, so pages read like reporting in places.
INTERVIEW_SHARE = 0.2


class DemoStories:
    def __init__(self, *, seed, prefix, using="default"):
        self.using = using
        self.rnd = random.Random(seed)
        self.prefix = prefix
        self.interview_sentences, self.quote_texts = corpus()
        self.names = topic_names()
        self.name_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.names) + 1)))
        self.sentences = SentenceMaker(random.Random(f"{seed}:words"), exclude=self.names)
        self.now = timezone.now()
        self.people()

    def people(self):
        """Sections, tags, contributors and speakers shared by every story (created once)."""
        rnd = random.Random(0)
        for name in SECTIONS:
            Section.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        Tag.objects.bulk_create(
            [Tag(name=f"Topic {n}", slug=f"topic-{n}") for n in range(300)], ignore_conflicts=True
        )
        Contributor.objects.bulk_create(
            [
                Contributor(
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    slug=f"demo-reporter-{n}",
                    title="Correspondent",
                    organisation="Newsroom",
                )
                for n in range(400)
            ],
            ignore_conflicts=True,
        )
        Speaker.objects.bulk_create(
            [
                Speaker(
                    name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                    slug=f"demo-speaker-{n}",
                    title=rnd.choice(TITLES),
                )
                for n in range(5000)
            ],
            ignore_conflicts=True,
        )
        self.sections = list(Section.objects.values_list("pk", flat=True))
        self.tags = list(Tag.objects.filter(slug__startswith="topic-").values_list("pk", flat=True))
        self.contributors = list(
            Contributor.objects.filter(slug__startswith="demo-reporter-").values_list("pk", flat=True)
        )
        self.speakers = list(
            Speaker.objects.filter(slug__startswith="demo-speaker-").values_list("pk", flat=True)
        )

    def sentence(self):
        if self.rnd.random() < INTERVIEW_SHARE:
            return self.rnd.choice(self.interview_sentences)
        return self.rnd.choice(self.sentences.pool)

    def paragraph(self, topics=()):
        text = " ".join(self.sentence() for _ in range(self.rnd.randint(1, 3)))
        if topics and self.rnd.random() < 0.4:
            text = f"In {self.rnd.choice(topics)}, {text[0].lower()}{text[1:]}"
        return text

    def headline(self, topic):
        words = self.rnd.choice(self.sentences.pool).rstrip(".").replace(",", "").split()
        return f"{topic}: {' '.join(words[: self.rnd.randint(5, 12)])}"

    def article(self, pk, number):
        rnd = self.rnd
        topics = rnd.choices(self.names, cum_weights=self.name_weights, k=3)
        go_live = self.now - timedelta(minutes=rnd.randint(5, 5 * 365 * 24 * 60))
        roll = rnd.random()
        if roll < 0.90:
            status, killed_at = Article.Status.PUBLISHED, None
        elif roll < 0.95:
            status, go_live, killed_at = Article.Status.DRAFT, None, None
        elif roll < 0.98:
            status, killed_at = Article.Status.SCHEDULED, None
            go_live = self.now + timedelta(hours=rnd.randint(1, 72))
        else:
            status, killed_at = Article.Status.KILLED, go_live + timedelta(hours=1)
        headline = self.headline(topics[0])
        row = {
            "id": pk,
            "headline": headline,
            "slug": f"{self.prefix}{number}-{slugify(headline)[:60].strip('-')}",
            "kicker": rnd.choice(["", "", "Exclusive", "Analysis", "Live"]),
            "dek": f"{topics[1]} and {topics[2]}. {self.paragraph()}"[:600],
            "dateline": rnd.choice(PLACES),
            "section_id": rnd.choice(self.sections),
            "source_credit": rnd.choice(["", "CNN", "Reuters", "AP"]),
            "status": status,
            "go_live_at": go_live,
            "first_published_at": go_live if status == Article.Status.PUBLISHED else None,
            "killed_at": killed_at,
            "kill_notice": "Withdrawn for legal reasons." if killed_at else "",
            "version": 1 if status in (Article.Status.PUBLISHED, Article.Status.KILLED) else 0,
            "created_at": go_live or self.now,
            "updated_at": go_live or self.now,
        }
        return row, topics

    def write_batch(self, first, size):
        """Write stories number `first` to `first + size - 1` in one transaction; return their ids."""
        connection = connections[self.using]
        rnd = self.rnd
        articles = TableWriter(connection, Article)
        blocks = TableWriter(connection, Block)
        quotes = TableWriter(connection, Quote)
        bylines = TableWriter(connection, Byline)
        tags = TableWriter(connection, Article.tags.through)
        corrections = TableWriter(connection, Correction)
        with transaction.atomic(using=self.using):
            suspend_search_triggers(connection)
            ids = articles.reserve_ids(size)
            plans = []
            for offset, pk in enumerate(ids):
                row, topics = self.article(pk, first + offset)
                articles.add(**row)
                count = max(3, int(rnd.gauss(26, 10)))
                kinds = []
                for position in range(count):
                    if position and rnd.random() < 0.06:
                        kinds.append("heading")
                    elif position > 2 and rnd.random() < 0.08:
                        kinds.append("quote")
                    else:
                        kinds.append("paragraph")
                plans.append((pk, topics, kinds, rnd.randint(2, 12)))
            block_ids = iter(blocks.reserve_ids(sum(len(kinds) for _, _, kinds, _ in plans)))
            quote_ids = iter(
                quotes.reserve_ids(sum(extra + kinds.count("quote") for _, _, kinds, extra in plans))
            )
            for pk, topics, kinds, extra in plans:
                paragraph_ids, pulled = [], []
                for position, kind in enumerate(kinds):
                    block_id = next(block_ids)
                    if kind == "quote":
                        pulled.append((block_id, position))
                        continue
                    text = self.paragraph(topics) if kind == "paragraph" else self.sentence()[:120]
                    blocks.add(id=block_id, article_id=pk, position=position, type=kind, text=text)
                    if kind == "paragraph":
                        paragraph_ids.append(block_id)
                speaker_pool = rnd.sample(self.speakers, 3)
                for position in range(extra + len(pulled)):
                    quote_id = next(quote_ids)
                    quotes.add(
                        id=quote_id,
                        article_id=pk,
                        block_id=rnd.choice(paragraph_ids) if paragraph_ids else None,
                        speaker_id=rnd.choice(speaker_pool),
                        text=rnd.choice(self.quote_texts),
                        verb=rnd.choice(VERBS),
                        occasion=rnd.choice(OCCASIONS),
                        position=position,
                        is_pull_quote=position < len(pulled),
                        is_verified=rnd.random() < 0.7,
                    )
                    if position < len(pulled):
                        block_id, block_position = pulled[position]
                        blocks.add(
                            id=block_id,
                            article_id=pk,
                            position=block_position,
                            type="quote",
                            quote_id=quote_id,
                        )
                for place, contributor in enumerate(rnd.sample(self.contributors, rnd.choice([1, 1, 2, 3]))):
                    role = Byline.Role.AUTHOR if place == 0 else rnd.choice(list(Byline.Role))
                    bylines.add(article_id=pk, contributor_id=contributor, role=role, position=place)
                for tag in rnd.sample(self.tags, rnd.randint(0, 5)):
                    tags.add(article_id=pk, tag_id=tag)
                if rnd.random() < 0.05:
                    corrections.add(article_id=pk, note="An earlier version misstated a date.")
            for writer in (bylines, tags, corrections):
                for row, pk in zip(writer.rows, writer.reserve_ids(len(writer.rows)), strict=True):
                    row["id"] = pk
            # Parents before children: quotes point at blocks and blocks at quotes, so blocks without
            # their quote go first and quote blocks after the quotes.
            quote_blocks = [row for row in blocks.rows if row.get("quote_id")]
            blocks.rows = [row for row in blocks.rows if not row.get("quote_id")]
            for writer in (articles, blocks, quotes):
                writer.flush()
            blocks.rows = quote_blocks
            for writer in (blocks, bylines, tags, corrections):
                writer.flush()
            resume_search_triggers(connection)
        return ids


def suspend_search_triggers(connection):
    """Skip the per-row search triggers (and deferred checks) for a bulk load made consistent by construction.

    The search vectors of the batch are built once afterwards (`build_search_vectors`), one statement
    for the whole batch instead of one rebuild per block and quote row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A batch is not a request: the request-sized statement timeout would cut it off on a busy
            # machine.
            cursor.execute("SET LOCAL session_replication_role = replica; SET LOCAL statement_timeout = 0")


def resume_search_triggers(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def build_search_vectors(ids, using="default"):
    """Build the search vectors of freshly loaded stories (PostgreSQL; see migration 0007)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # Not a request: no request-sized statement timeout, and no wait for each batch to reach disk.
        cursor.execute("SET synchronous_commit = off; SET statement_timeout = 0")
        cursor.execute(
            "UPDATE articles_article SET search_vector = articles_article_search_document(id, headline, dek) "
            "WHERE id = ANY(%s)",
            [list(ids)],
        )


def build_missing_search_vectors(using="default"):
    """Build the vectors an interrupted run left unbuilt (PostgreSQL); return how many."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute(
            "UPDATE articles_article SET search_vector = articles_article_search_document(id, headline, dek) "
            "WHERE search_vector IS NULL"
        )
        return cursor.rowcount
