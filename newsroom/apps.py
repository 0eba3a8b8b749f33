from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """The admin, with the site that asks staff for their second factor (newsroom/admin_site.py)."""

    default_site = "newsroom.admin_site.NewsroomAdminSite"
