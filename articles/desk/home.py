"""What the desk home lists: each user's work, cut to the stories their role lets them open."""

from dataclasses import dataclass

from django.utils import timezone

from articles import permissions
from articles.models import Article

Status = Article.Status
LIMIT = 10


@dataclass
class Shelf:
    key: str
    title: str
    empty: str
    stories: list
    more_url: str = ""


def desk_shelves(user, *, now=None):
    """Return the desk home's lists for `user`: drafts, review, schedule, published, overdue."""
    now = now or timezone.now()
    visible = permissions.visible_articles(user).select_related("updated_by", "created_by")
    changelist = "/admin/articles/article/"
    shelves = [
        Shelf(
            "overdue",
            "Overdue",
            "Nothing overdue: the scheduler is keeping up.",
            list(visible.overdue(at=now).order_by("go_live_at")[:LIMIT]),
            f"{changelist}?timing=overdue",
        ),
        Shelf(
            "drafts",
            "My drafts",
            "No drafts of yours.",
            list(visible.filter(status=Status.DRAFT, created_by=user).order_by("-updated_at")[:LIMIT]),
            f"{changelist}?status__exact=draft",
        ),
        Shelf(
            "review",
            "Awaiting review",
            "Nothing is waiting for review.",
            list(visible.filter(status=Status.IN_REVIEW).order_by("updated_at")[:LIMIT]),
            f"{changelist}?status__exact=in_review",
        ),
        Shelf(
            "scheduled",
            "Scheduled next",
            "Nothing scheduled.",
            list(
                visible.filter(status=Status.SCHEDULED, go_live_at__gt=now - Article.SCHEDULER_GRACE)
                .exclude(pk__in=visible.overdue(at=now).values("pk"))
                .order_by("go_live_at")[:LIMIT]
            ),
            f"{changelist}?status__exact=scheduled",
        ),
        Shelf(
            "published",
            "Recently published",
            "Nothing published yet.",
            list(visible.public(at=now).order_by("-go_live_at")[:LIMIT]),
            f"{changelist}?timing=live",
        ),
    ]
    # Overdue work is a warning: shown only when there is some.
    return [shelf for shelf in shelves if shelf.stories or shelf.key != "overdue"]
