from django.contrib import admin

from newsroom.busy_admin import KeepFormWhenBusy

from .models import Contributor


@admin.register(Contributor)
class ContributorAdmin(KeepFormWhenBusy, admin.ModelAdmin):
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "title", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
