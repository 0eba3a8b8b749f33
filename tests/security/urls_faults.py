"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.db import OperationalError
from django.urls import path

from newsroom.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("secret internals: DATABASE_PASSWORD=hunter2")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("api/v1/boom/", boom),
    path("boom/", boom),
    path("api/v1/database-gone/", database_gone),
    path("database-gone/", database_gone),
    *urlpatterns,
]
