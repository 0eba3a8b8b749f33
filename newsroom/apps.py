from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """The admin, on the editors' desk: a site that asks staff for their second factor (newsroom/admin_site.py),
    with the desk home, branding and grouped sidebar (articles/desk/site.py)."""

    default_site = "articles.desk.site.DeskSite"
