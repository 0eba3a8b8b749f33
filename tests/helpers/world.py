"""One story in every state, each carrying a unique marker in every field a surface could show.

A marker found in a response means that story (or something only it uses) leaked. Markers are
slugs too, so `mkpublishedmk` is never a substring of `mkunpublishedmk`.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from knox.models import AuthToken

from articles.models import Article, Block, Quote
from tests import factories

STATES = [
    "draft",
    "in_review",
    "scheduled",
    "embargoed",
    "published",
    "unpublished",
    "expired",
    "killed",
    # Scheduled, then killed before it ever went live: it was never public, so it must not answer 410.
    "killed_unreleased",
]
PUBLIC_STATES = {"published"}
# Withdrawn after being public: its own address answers 410 with the kill notice, and nothing else.
GONE_STATES = {"killed"}
ROLES = ["anonymous", "owner", "other_reporter", "editor"]


def marker(state):
    return f"mk{state.replace('_', '')}mk"


@dataclass
class Story:
    state: str
    article: Article
    quote: Quote
    speaker_slug: str
    contributor_slug: str
    tag_slug: str
    section_slug: str
    image_id: int
    marker: str = field(init=False)

    def __post_init__(self):
        self.marker = marker(self.state)


@dataclass
class World:
    stories: dict
    users: dict
    tokens: dict
    secrets: list  # strings no response may ever contain: password hashes, token keys, private e-mails


def _fields_for(state, now):
    day, hour = timedelta(days=1), timedelta(hours=1)
    S = Article.Status
    return {
        "draft": {"status": S.DRAFT},
        "in_review": {"status": S.IN_REVIEW},
        "scheduled": {"status": S.SCHEDULED, "go_live_at": now + day},
        "embargoed": {"status": S.PUBLISHED, "go_live_at": now - hour, "embargo_until": now + day},
        "published": {"status": S.PUBLISHED, "go_live_at": now - hour, "first_published_at": now - hour},
        "unpublished": {"status": S.DRAFT, "first_published_at": now - 2 * day, "version": 2},
        "expired": {
            "status": S.PUBLISHED,
            "go_live_at": now - 2 * day,
            "first_published_at": now - 2 * day,
            "expires_at": now - hour,
        },
        "killed": {
            "status": S.KILLED,
            "go_live_at": now - 2 * day,
            "first_published_at": now - 2 * day,
            "killed_at": now - hour,
        },
        "killed_unreleased": {"status": S.KILLED, "go_live_at": now + day, "killed_at": now - hour},
    }[state]


def _user(username, role):
    return factories.UserFactory(
        username=username, is_staff=True, email=f"{username}.private@home.test", role=role
    )


def build_world():
    now = timezone.now()
    users = {
        "owner": _user("owner-reporter", "reporter"),
        "other_reporter": _user("other-reporter", "reporter"),
        "editor": _user("desk-editor", "editor"),
    }
    tokens = {role: AuthToken.objects.create(user=user)[1] for role, user in users.items()}
    stories = {}
    for state in STATES:
        mark = marker(state)
        # Each story has a section of its own, so a section page or list can give its story away.
        section = factories.SectionFactory(name=f"Section {mark}", slug=f"{mark}-section")
        article = factories.ArticleFactory(
            slug=mark,
            headline=f"Headline {mark}",
            dek=f"Standfirst {mark}",
            kicker=mark[:20],
            section=section,
            created_by=users["owner"],
            kill_notice=f"Withdrawn {mark}" if state.startswith("killed") else "",
            **_fields_for(state, now),
        )
        tag = factories.TagFactory(name=f"Tag {mark}", slug=f"{mark}-tag")
        article.tags.add(tag)
        contributor = factories.ContributorFactory(name=f"Writer {mark}", slug=f"{mark}-writer")
        factories.BylineFactory(article=article, contributor=contributor, position=0)
        speaker = factories.SpeakerFactory(name=f"Speaker {mark}", slug=f"{mark}-speaker")
        block = factories.BlockFactory(article=article, position=0, text=f"Paragraph {mark} said the source.")
        quote = factories.QuoteFactory(
            article=article, block=block, speaker=speaker, text=f"Quote {mark}", position=0
        )
        image = factories.ImageFactory(alt_text=f"Picture {mark}", caption=f"Caption {mark}")
        factories.RenditionFactory(image=image)
        article.lead_image = image
        article.save()
        factories.BlockFactory(article=article, position=1, type=Block.Type.IMAGE, text="", image=image)
        if state in ("published", "killed", "expired"):
            factories.CorrectionFactory(article=article, note=f"Correction {mark}")
        stories[state] = Story(
            state=state,
            article=article,
            quote=quote,
            speaker_slug=speaker.slug,
            contributor_slug=contributor.slug,
            tag_slug=tag.slug,
            section_slug=section.slug,
            image_id=image.pk,
        )
    secrets = [
        *(user.password for user in users.values()),
        *tokens.values(),
        *(user.email for user in users.values()),
    ]
    return World(stories=stories, users=users, tokens=tokens, secrets=secrets)
