"""Stories the publication rule hides, one field set per reason, measured from one instant."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article

NOW = timezone.now()


HIDDEN_STATES = {
    "draft": {"status": Article.Status.DRAFT},
    "in review": {"status": Article.Status.IN_REVIEW},
    "scheduled": {"status": Article.Status.SCHEDULED, "go_live_at": NOW + timedelta(hours=2)},
    "published with future go-live": {
        "status": Article.Status.PUBLISHED,
        "go_live_at": NOW + timedelta(hours=2),
    },
    "embargoed": {
        "status": Article.Status.PUBLISHED,
        "go_live_at": NOW - timedelta(hours=2),
        "embargo_until": NOW + timedelta(hours=1),
    },
    "expired": {
        "status": Article.Status.PUBLISHED,
        "go_live_at": NOW - timedelta(hours=2),
        "expires_at": NOW - timedelta(minutes=1),
    },
    "killed": {"status": Article.Status.KILLED, "go_live_at": NOW - timedelta(hours=2)},
}
