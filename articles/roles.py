"""Newsroom roles as Django groups. Object-level rules (a reporter's own drafts) live in permissions.py."""

ARTICLE_MODELS = ["article", "block", "quote", "byline", "speaker", "image", "embed", "section", "tag"]

ROLES = {
    # Reporters file and edit their own drafts; they cannot publish, correct or delete.
    "reporter": [
        *(f"articles.{action}_{model}" for model in ARTICLE_MODELS for action in ("add", "change", "view")),
        "articles.view_correction",
        "contributors.view_contributor",
    ],
    # Editors run the desk: any story, publishing, scheduling, kills, corrections, the audit log, and
    # the people credited on stories.
    "editor": [
        *(
            f"articles.{action}_{model}"
            for model in [*ARTICLE_MODELS, "correction"]
            for action in ("add", "change", "view", "delete")
        ),
        "articles.publish_article",
        "articles.edit_any_article",
        "articles.view_auditentry",
        *(f"contributors.{action}_contributor" for action in ("add", "change", "view")),
    ],
    # Admins also manage people, groups and tokens.
    "admin": [
        "__all__",
    ],
}


def sync_roles(apps=None):
    """Create or update the role groups. Works in migrations (historical `apps`) and at runtime."""
    if apps is None:
        from django.apps import apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if codes == ["__all__"]:
            group.permissions.set(Permission.objects.all())
            continue
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
