from django.contrib import admin

from .models import Contributor


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name", "title", "organisation"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
