from django.contrib import admin

from . import second_factor


class NewsroomAdminSite(admin.AdminSite):
    login_form = second_factor.LoginForm
    login_template = "admin/newsroom_login.html"

    def has_permission(self, request):
        # A session signed in without the second factor it needs (made before it was required, or by other
        # means) is sent back to sign in.
        return super().has_permission(request) and second_factor.satisfied(request)
