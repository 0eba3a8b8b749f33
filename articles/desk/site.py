"""The admin site as a desk: branded with SITE_NAME, a home of the user's work, a sidebar by subject."""

from django.conf import settings
from django.template.response import TemplateResponse

from newsroom.admin_site import NewsroomAdminSite

from .home import desk_shelves

# The sidebar as editors think of it. Models named nowhere here and not internal go under "Administration".
GROUPS = [
    ("Stories", ["articles.article", "articles.quote", "articles.correction"]),
    ("People", ["articles.speaker", "contributors.contributor"]),
    ("Pictures", ["articles.image"]),
    ("Sections and tags", ["articles.section", "articles.tag"]),
]
# Parts of a story, reached from the story itself (body editor, history, corrections), or from the
# app's own page at /admin/articles/, not from the sidebar.
INTERNAL = {"articles.block", "articles.embed", "articles.auditentry", "articles.webhookdelivery"}


def _label(model):
    return model["model"]._meta.label_lower


class DeskSite(NewsroomAdminSite):
    index_template = "admin/desk/home.html"

    @property
    def site_header(self):
        return settings.SITE_NAME

    @property
    def site_title(self):
        return settings.SITE_NAME

    index_title = "Desk"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if app_label is not None:
            return apps  # an app's own page lists everything in it, internal parts included
        models = {_label(model): (app, model) for app in apps for model in app["models"]}
        grouped, placed = [], set(INTERNAL)
        for name, labels in GROUPS:
            found = [models[label] for label in labels if label in models]
            placed.update(labels)
            if found:
                grouped.append(self._group(name, [model for _, model in found], found[0][0]))
        rest = [(app, model) for label, (app, model) in models.items() if label not in placed]
        if rest:
            grouped.append(self._group("Administration", [model for _, model in rest], rest[0][0]))
        return grouped

    @staticmethod
    def _group(name, models, app):
        return {**app, "name": name, "models": models, "app_url": models[0]["admin_url"] or app["app_url"]}

    def index(self, request, extra_context=None):
        context = {
            **self.each_context(request),
            "title": self.index_title,
            "subtitle": None,
            "app_list": self.get_app_list(request),
            "shelves": desk_shelves(request.user),
            "can_add_story": request.user.has_perm("articles.add_article"),
            **(extra_context or {}),
        }
        request.current_app = self.name
        return TemplateResponse(request, self.index_template, context)
