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
from .vectors import SearchParts
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
        self.seed = seed
        self.rnd = random.Random(seed)
        self.parts = SearchParts()
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
        random = self.rnd.random
        pool = self.interview_sentences if random() < INTERVIEW_SHARE else self.sentences.pool
        return pool[int(random() * len(pool))]

    def paragraph(self, topics=()):
        return " ".join(self.paragraph_pieces(topics))

    def paragraph_pieces(self, topics=()):
        """A paragraph as the sentences (and opener) it is made of, to be joined by spaces."""
        random = self.rnd.random
        pieces = [self.sentence() for _ in range(1 + int(random() * 3))]
        if topics and random() < 0.4:
            first = pieces[0]
            pieces[0] = f"{first[0].lower()}{first[1:]}"
            pieces.insert(0, f"In {topics[int(random() * len(topics))]},")
        return pieces

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
            "status": status.value,
            "go_live_at": go_live,
            "first_published_at": go_live if status == Article.Status.PUBLISHED else None,
            "killed_at": killed_at,
            "kill_notice": "Withdrawn for legal reasons." if killed_at else "",
            "version": 1 if status in (Article.Status.PUBLISHED, Article.Status.KILLED) else 0,
            "created_at": go_live or self.now,
            "updated_at": go_live or self.now,
        }
        return row, topics

    def plan(self, pk, number):
        """Story `number`'s headline and outline. Each story draws from its own generator seeded by its
        number, so the same seed makes the same stories however they are batched or shared out."""
        self.rnd = rnd = random.Random(f"{self.seed}:{number}")
        row, topics = self.article(pk, number)
        count = max(3, int(rnd.gauss(26, 10)))
        kinds = []
        for position in range(count):
            if position and rnd.random() < 0.06:
                kinds.append("heading")
            elif position > 2 and rnd.random() < 0.08:
                kinds.append("quote")
            else:
                kinds.append("paragraph")
        return rnd, row, topics, kinds, rnd.randint(2, 12)

    def write_batch(self, first, size):
        """Write stories number `first` to `first + size - 1` in one transaction; return their ids.

        Rows go in with the per-row search triggers off. On PostgreSQL each story's search vector is
        written with the story, once: its body and quotes parts made from parsed pieces (see
        vectors.py), its headline and standfirst parsed as the story moves out of a staging table.
        """
        connection = connections[self.using]
        vectors = connection.vendor == "postgresql"
        if vectors:
            # Stories go through a staging table that also holds their body and quotes vector parts.
            stage_stories(connection)
            articles = TableWriter(connection, Article, table=STAGE, extra=("body", "quoted"))
        else:
            articles = TableWriter(connection, Article)
        blocks = TableWriter(connection, Block)
        quotes = TableWriter(connection, Quote)
        bylines = TableWriter(connection, Byline)
        tags = TableWriter(connection, Article.tags.through)
        corrections = TableWriter(connection, Correction)
        with transaction.atomic(using=self.using):
            suspend_search_triggers(connection)
            ids = articles.reserve_ids(size)
            plans = [self.plan(pk, first + offset) for offset, pk in enumerate(ids)]
            block_ids = iter(blocks.reserve_ids(sum(len(kinds) for *_, kinds, _ in plans)))
            quote_count = sum(extra + kinds.count("quote") for *_, kinds, extra in plans)
            quote_ids = iter(quotes.reserve_ids(quote_count))
            parts = []
            for rnd, row, topics, kinds, extra in plans:
                self.rnd = rnd
                random = rnd.random
                pk = row["id"]
                paragraph_ids, pulled, body, quoted = [], [], [], []
                parts.append((articles.add(**row), body, quoted))
                for position, kind in enumerate(kinds):
                    block_id = next(block_ids)
                    if kind == "quote":
                        pulled.append((block_id, position))
                        continue
                    pieces = self.paragraph_pieces(topics) if kind == "paragraph" else [self.sentence()[:120]]
                    body += pieces
                    text = " ".join(pieces)
                    blocks.add(id=block_id, article_id=pk, position=position, type=kind, text=text)
                    if kind == "paragraph":
                        paragraph_ids.append(block_id)
                speaker_pool = rnd.sample(self.speakers, 3)
                quote_texts = self.quote_texts
                for position in range(extra + len(pulled)):
                    quote_id = next(quote_ids)
                    block_id = paragraph_ids[int(random() * len(paragraph_ids))] if paragraph_ids else None
                    speaker_id = speaker_pool[int(random() * 3)]
                    quoted.append(quote_texts[int(random() * len(quote_texts))])
                    quotes.add(
                        id=quote_id,
                        article_id=pk,
                        block_id=block_id,
                        speaker_id=speaker_id,
                        text=quoted[-1],
                        verb=VERBS[int(random() * len(VERBS))],
                        occasion=OCCASIONS[int(random() * len(OCCASIONS))],
                        position=position,
                        is_pull_quote=position < len(pulled),
                        is_verified=random() < 0.7,
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
                    bylines.add(article_id=pk, contributor_id=contributor, role=role.value, position=place)
                for tag in rnd.sample(self.tags, rnd.randint(0, 5)):
                    tags.add(article_id=pk, tag_id=tag)
                if random() < 0.05:
                    corrections.add(article_id=pk, note="An earlier version misstated a date.")
            for writer in (bylines, tags, corrections):
                for row, pk in zip(writer.rows, writer.reserve_ids(len(writer.rows)), strict=True):
                    row["id"] = pk
            if vectors:
                self.parts.learn(connection, [piece for _, body, quoted in parts for piece in body + quoted])
                for row, body, quoted in parts:
                    row["body"] = self.parts.vector(body)
                    row["quoted"] = self.parts.vector(quoted)
            # Foreign keys are checked at commit (or not at all while the triggers are off).
            for writer in (articles, blocks, quotes, bylines, tags, corrections):
                writer.flush()
            if vectors:
                unstage_stories(connection)
            resume_search_triggers(connection)
        return ids


STAGE = "demo_article_stage"


def stage_stories(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} "
            "(LIKE articles_article INCLUDING DEFAULTS, body tsvector, quoted tsvector)"
        )


def unstage_stories(connection):
    """Move the staged stories into place with their search vectors, joined as in migration 0007's
    `articles_article_search_document`: headline (A), standfirst (B), body (C), quotes (C)."""
    columns = [field.column for field in Article._meta.concrete_fields]
    quote = connection.ops.quote_name
    values = [
        "setweight(to_tsvector(%(config)s, coalesce(headline, '')), 'A') "
        "|| setweight(to_tsvector(%(config)s, coalesce(dek, '')), 'B') "
        "|| setweight(body, 'C') || setweight(quoted, 'C')"
        if column == "search_vector"
        else quote(column)
        for column in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO articles_article ({', '.join(map(quote, columns))}) "
            f"SELECT {', '.join(values)} FROM {STAGE}; DELETE FROM {STAGE}",
            {"config": Article.SEARCH_CONFIG},
        )


def suspend_search_triggers(connection):
    """Skip the per-row search triggers (and deferred checks) for a bulk load made consistent by construction.

    The batch writes each story's search vector itself (`unstage_stories`), instead of one rebuild
    per block and quote row.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A batch is not a request: the request-sized statement timeout would cut it off on a busy
            # machine, and nothing is lost by not waiting for each batch to reach the disk.
            cursor.execute(
                "SET LOCAL session_replication_role = replica; SET LOCAL statement_timeout = 0; "
                "SET LOCAL synchronous_commit = off"
            )


def resume_search_triggers(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")


def build_missing_search_vectors(using="default"):
    """Build the vectors an interrupted run of an earlier version left unbuilt (PostgreSQL); how many."""
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
