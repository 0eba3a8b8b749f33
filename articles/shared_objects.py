"""Objects stories share — pictures, embeds, speakers, sections, tags — held to the rules of those stories.

A reporter reaches a shared object only when it tells them nothing about a story they may not open:
it is unused, shown in a public story, or used by a story of theirs. A change to one is a change to
every story that shows it, so it is allowed only to someone who may edit each of them, and a live
story among them gets a new public version, an audit entry and an announcement, as any edit does.
"""

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q

from . import permissions
from .models import Article, Embed, Image, Section, Speaker, Tag
from .services.editing import article_record_edit

# How a story reaches each shared model, as lookups from Article.
STORY_PATHS = {
    Image: ("lead_image", "blocks__image"),
    Embed: ("blocks__embed",),
    Speaker: ("quotes__speaker",),
    Section: ("section",),
    Tag: ("tags",),
}
SHARED_MODELS = tuple(STORY_PATHS)


def _used_by(model, stories):
    return reduce(or_, (Exists(stories.filter(**{path: OuterRef("pk")})) for path in STORY_PATHS[model]))


def stories_using(obj):
    """The stories that show `obj`, whatever their state."""
    paths = STORY_PATHS[type(obj)]
    return Article.objects.filter(reduce(or_, (Q(**{path: obj}) for path in paths))).distinct()


def reachable(model, user):
    """The objects of a shared `model` that `user` may find in lists, searches, choices and pages."""
    objects = model.objects.all()
    if not user.is_active or not user.is_staff:
        return objects.none()
    if user.has_perm("articles.edit_any_article"):
        return objects
    unused = ~_used_by(model, Article.objects.all())
    seen = _used_by(model, Article.objects.public()) | _used_by(model, permissions.visible_articles(user))
    return objects.filter(unused | seen)


def may_reach(user, obj):
    return reachable(type(obj), user).filter(pk=obj.pk).exists()


# A duplicate upload of a picture the uploader may not reach is refused without naming it.
DUPLICATE_OUT_OF_REACH = (
    "This picture is already in the library. Ask an editor for it rather than uploading it again."
)


def visible_stories_using(obj, user):
    """The stories showing `obj` that `user` may open: what a "Used in" list may name."""
    return stories_using(obj).filter(pk__in=permissions.visible_articles(user).values("pk"))


def can_change(user, obj):
    """Whether `user` may change or delete `obj`: only someone who may edit every story showing it."""
    return all(permissions.can_edit(user, story) for story in stories_using(obj))


def shared_object_change(*, obj, by, change):
    """Apply `change` (a callable that saves or deletes `obj`) as an edit of every story showing `obj`.

    Call inside a transaction: each live story gets its new version and announcement with the change.
    """
    stories = list(stories_using(obj))
    if not all(permissions.can_edit(by, story) for story in stories):
        raise PermissionDenied("This is shown in a story you cannot edit; ask an editor to change it.")
    result = change()
    for story in stories:
        article_record_edit(article=story, by=by)
    return result
