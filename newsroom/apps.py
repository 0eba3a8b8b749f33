from django.contrib.admin.apps import AdminConfig


class NewsroomAdminConfig(AdminConfig):
    """The admin on the editors' desk (articles/desk/site.py): the desk home, branding, a grouped sidebar,
    and the second factor asked of staff (newsroom/admin_site.py)."""

    default_site = "articles.desk.site.DeskSite"
