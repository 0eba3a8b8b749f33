"""Fill the database with realistic demo stories for load tests and benchmarks.

Stories are shaped like the seeded interview: a headline, standfirst and dateline, 1–3 bylines, a body of
paragraphs with the odd heading and pulled quote, attributed quotes and a correction now and then. Their
sentences come from the interview's own text, so sizes and words are those of real reporting. The same
--seed gives the same stories. Rows go in with bulk inserts, a batch per transaction, so 100,000 stories
load in minutes.
"""

import itertools
import random
import re
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Block, Byline, Correction, Quote, Section, Speaker, Tag
from articles.seeding import INTERVIEW
from contributors.models import Contributor

SECTIONS = ["World", "Europe", "Politics", "Business", "Climate", "Science", "Health", "Sport", "Culture"]
PLACES = ["Kyiv", "Kharkiv", "Brussels", "Warsaw", "Washington", "London", "Berlin", "Geneva", "Istanbul"]
VERBS = ["said", "told reporters", "insisted", "warned", "added", "said in a statement"]
OCCASIONS = ["in an interview", "at a news conference", "in a televised address", "on social media", ""]
FIRST = ["Olena", "Andriy", "Maria", "James", "Aisha", "Tomasz", "Ingrid", "Kenji", "Lucia", "Pavel"]
LAST = ["Kovalenko", "Smith", "Nowak", "Schmidt", "Haddad", "Rossi", "Tanaka", "Dubois", "Ivanova", "Berg"]
TITLES = ["Minister of Defence", "President", "a senior official", "Mayor", "spokesperson", "analyst"]

# Search triggers rebuild a story's vector on every block or quote row; for a bulk load one rebuild per
# story at the end of its batch is the same result at a fraction of the cost (see migration 0007).
SEARCH_TRIGGERS = [("articles_block", "articles_block_search"), ("articles_quote", "articles_quote_search")]


SYLLABLES = "ka lo vi ren tor mi sha dan bel gor ul es ri nov ak zan ter pol mar sin bur the ost ila".split()  # noqa: SIM905


def lexicon(size=20_000):
    """Made-up names of people, places and things. Stories draw their topics from it with Zipf's law, so
    a name is in a few hundred stories, as in a real archive, instead of the interview's words in all."""
    rnd = random.Random(0)
    words = {}
    while len(words) < size:
        words["".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))).capitalize()] = None
    return list(words)


def corpus():
    """Sentences of the interview, without the page furniture, to build bodies from."""
    text = INTERVIEW.with_name("interview.txt").read_text(encoding="utf-8")
    sentences = [s.strip() for s in re.split(r"(?<=[.!?”])\s+", text) if 40 <= len(s.strip()) <= 400]
    quotes = [m.group(1) for m in re.finditer(r"“([^”]{20,300})”", text)]
    return sentences, quotes


class Command(BaseCommand):
    help = "Generate N realistic demo stories (deterministic with --seed), for benchmarks and load tests."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, required=True, help="How many stories to add.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same stories (default 1).")
        parser.add_argument("--batch", type=int, default=500, help="Stories per transaction (default 500).")

    def handle(self, *args, stories, seed, batch, **options):
        if stories <= 0 or batch <= 0:
            raise CommandError("--stories and --batch must be positive.")
        self.random = random.Random(seed)
        self.sentences, self.quote_texts = corpus()
        self.names = lexicon()
        self.name_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(self.names) + 1)))
        self.prefix = f"demo-{seed}-"
        start_at = Article.objects.filter(slug__startswith=self.prefix).count()
        if start_at:
            self.stdout.write(f"{start_at} demo stories with seed {seed} exist; adding after them.")
            # Draw past them so the new stories continue the same sequence rather than repeat it.
            self.random = random.Random(f"{seed}:{start_at}")
        self.people()
        self.now = timezone.now()
        started = time.monotonic()
        done = 0
        while done < stories:
            size = min(batch, stories - done)
            self.write_batch(start_at + done, size)
            done += size
            self.progress(done, stories, started)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Added {stories} stories in {time.monotonic() - started:.0f}s.")
        )

    def progress(self, done, total, started):
        width = 30
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - started, 1e-6)
        bar = "#" * filled + "." * (width - filled)
        self.stdout.write(f"\r[{bar}] {done:,}/{total:,} stories, {rate:,.0f}/s", ending="")
        self.stdout.flush()

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

    def paragraph(self, topics=()):
        text = " ".join(self.random.choice(self.sentences) for _ in range(self.random.randint(1, 4)))
        if topics and self.random.random() < 0.4:
            text = f"In {self.random.choice(topics)}, {text[0].lower()}{text[1:]}"
        return text

    def story(self, number):
        rnd = self.random
        topics = rnd.choices(self.names, cum_weights=self.name_weights, k=3)
        go_live = self.now - timedelta(minutes=rnd.randint(5, 5 * 365 * 24 * 60))
        roll = rnd.random()
        # Mostly published; a realistic share of drafts, scheduled and killed stories the rule must hide.
        if roll < 0.90:
            status, killed_at = Article.Status.PUBLISHED, None
        elif roll < 0.95:
            status, go_live, killed_at = Article.Status.DRAFT, None, None
        elif roll < 0.98:
            status, killed_at = Article.Status.SCHEDULED, None
            go_live = self.now + timedelta(hours=rnd.randint(1, 72))
        else:
            status, killed_at = Article.Status.KILLED, go_live + timedelta(hours=1)
        headline = f"{topics[0]}: {rnd.choice(self.sentences)[:180].rstrip(' ,.')}"
        article = Article(
            headline=headline,
            slug=f"{self.prefix}{number}-{slugify(headline)[:60].strip('-')}",
            kicker=rnd.choice(["", "", "Exclusive", "Analysis", "Live"]),
            dek=f"{topics[1]} and {topics[2]}. {self.paragraph()}"[:600],
            dateline=rnd.choice(PLACES),
            section_id=rnd.choice(self.sections),
            source_credit=rnd.choice(["", "CNN", "Reuters", "AP"]),
            status=status,
            go_live_at=go_live,
            first_published_at=go_live if status == Article.Status.PUBLISHED else None,
            killed_at=killed_at,
            kill_notice="Withdrawn for legal reasons." if killed_at else "",
            version=1 if status in (Article.Status.PUBLISHED, Article.Status.KILLED) else 0,
        )
        article.topics = topics
        return article

    def write_batch(self, first, size):
        rnd = self.random
        with transaction.atomic():
            vendor_pg = connection.vendor == "postgresql"
            if vendor_pg:
                with connection.cursor() as cursor:
                    for table, trigger in SEARCH_TRIGGERS:
                        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {trigger}")
            articles = Article.objects.bulk_create([self.story(first + n) for n in range(size)])
            blocks, quote_plans, bylines, tag_links, corrections = [], [], [], [], []
            for article in articles:
                count = max(3, int(rnd.gauss(26, 10)))
                quote_positions = set()
                for position in range(count):
                    if position and rnd.random() < 0.06:
                        blocks.append(
                            Block(
                                article=article,
                                position=position,
                                type="heading",
                                text=rnd.choice(self.sentences)[:120],
                            )
                        )
                    elif position > 2 and rnd.random() < 0.08:
                        quote_positions.add(position)  # a pulled quote, written once its quote exists
                    else:
                        text = self.paragraph(article.topics)
                        blocks.append(Block(article=article, position=position, text=text))
                quote_plans.append((article, sorted(quote_positions), rnd.randint(2, 12)))
                for place, contributor in enumerate(rnd.sample(self.contributors, rnd.choice([1, 1, 2, 3]))):
                    role = Byline.Role.AUTHOR if place == 0 else rnd.choice(list(Byline.Role))
                    bylines.append(
                        Byline(article=article, contributor_id=contributor, role=role, position=place)
                    )
                tag_links += [
                    Article.tags.through(article_id=article.pk, tag_id=tag)
                    for tag in rnd.sample(self.tags, rnd.randint(0, 5))
                ]
                if rnd.random() < 0.05:
                    corrections.append(
                        Correction(article=article, note="An earlier version misstated a date.")
                    )
            blocks = Block.objects.bulk_create(blocks, batch_size=5000)
            paragraphs = {}
            for block in blocks:
                if block.type == "paragraph":
                    paragraphs.setdefault(block.article_id, []).append(block)
            quotes = []
            for article, pulled, count in quote_plans:
                speaker_pool = rnd.sample(self.speakers, 3)
                for position in range(count + len(pulled)):
                    quotes.append(
                        Quote(
                            article=article,
                            block=rnd.choice(paragraphs.get(article.pk) or [None]),
                            speaker_id=rnd.choice(speaker_pool),
                            text=rnd.choice(self.quote_texts),
                            verb=rnd.choice(VERBS),
                            occasion=rnd.choice(OCCASIONS),
                            position=position,
                            is_pull_quote=position < len(pulled),
                            is_verified=rnd.random() < 0.7,
                        )
                    )
            quotes = Quote.objects.bulk_create(quotes, batch_size=5000)
            by_article = {}
            for quote in quotes:
                by_article.setdefault(quote.article_id, []).append(quote)
            Block.objects.bulk_create(
                [
                    Block(article=article, position=position, type="quote", quote=quote)
                    for article, pulled, _ in quote_plans
                    for position, quote in zip(pulled, by_article[article.pk], strict=False)
                ],
                batch_size=5000,
            )
            Byline.objects.bulk_create(bylines, batch_size=5000)
            Article.tags.through.objects.bulk_create(tag_links, batch_size=5000)
            Correction.objects.bulk_create(corrections)
            if vendor_pg:
                with connection.cursor() as cursor:
                    # Deferred foreign-key checks must run before the table can be altered again.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for table, trigger in SEARCH_TRIGGERS:
                        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {trigger}")
                    cursor.execute(
                        "UPDATE articles_article SET search_vector = "
                        "articles_article_search_document(id, headline, dek) WHERE id = ANY(%s)",
                        [[article.pk for article in articles]],
                    )
