from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from articles.caching import short_lived
from articles.media.serving import serve_media

from . import admin_links, health

urlpatterns = [
    # Ahead of the admin's own: "View on site" only for what the user's admin pages show.
    path(
        "admin/",
        include(
            [
                path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    admin.site.admin_view(admin_links.view_on_site),
                    name="admin-view-on-site",
                )
            ]
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/v1/", include("articles.api.urls")),
    path("api/schema/", short_lived("docs")(SpectacularAPIView.as_view()), name="schema"),
    # The split view serves its start-up script as a file, so the CSP needs no inline script.
    path(
        "api/docs/",
        short_lived("docs")(SpectacularSwaggerSplitView.as_view(url_name="schema")),
        name="api-docs",
    ),
    path("health/", health.health, name="health"),
    path("", include("articles.urls")),
]

handler400 = "newsroom.errors.bad_request"
handler403 = "newsroom.errors.permission_denied"
handler404 = "newsroom.errors.page_not_found"
handler500 = "newsroom.errors.server_error"

if settings.SERVE_MEDIA:
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_media, name="media")]
