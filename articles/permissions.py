"""Who may do what to a story. Groups grant model permissions (roles.py); ownership is decided here.

Every write path — admin, API, services — asks these functions, so a reporter is held to their own
drafts whichever door they come through.
"""

from .models import Article


def is_editor(user):
    """Editors (and admins) run the desk: they edit any story and publish, schedule, unpublish, kill."""
    return user.is_active and user.has_perm("articles.publish_article")


def owns(user, article):
    return article.created_by_id is not None and article.created_by_id == user.pk


def can_edit(user, article):
    """Editors edit any story; a reporter edits their own story only while it is a draft."""
    if not user.is_active:
        return False
    if user.has_perm("articles.edit_any_article") and user.has_perm("articles.change_article"):
        return True
    return (
        user.has_perm("articles.change_article")
        and owns(user, article)
        and article.status == Article.Status.DRAFT
    )


def can_submit(user, article):
    return can_edit(user, article)


def can_publish(user, article=None):
    """Publish, schedule, unpublish, kill and send back: the editor's verbs."""
    return is_editor(user)


def can_clear_review(user, article):
    """Review flags are the reviewer's checklist: once a story is submitted, only the desk clears them."""
    if article.status != Article.Status.DRAFT and not can_publish(user, article):
        return False
    return can_edit(user, article)


def can_correct(user, article=None):
    return is_editor(user) and user.has_perm("articles.add_correction")


def visible_articles(user):
    """The stories a user may open in the admin; `can_edit` decides which of them they may change."""
    articles = Article.objects.all()
    if user.has_perm("articles.edit_any_article"):
        return articles
    return articles.filter(created_by=user)


def editable_articles(user):
    """QuerySet twin of `can_edit`: the stories a user may attach blocks or quotes to."""
    articles = Article.objects.all()
    if not user.is_active or not user.has_perm("articles.change_article"):
        return articles.none()
    if user.has_perm("articles.edit_any_article"):
        return articles
    return articles.filter(created_by=user, status=Article.Status.DRAFT)
