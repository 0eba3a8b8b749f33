"""The project's URLs plus views that fail on purpose, for the error-page tests."""

from django.db import OperationalError
from django.http import JsonResponse
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from newsroom.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("secret internals: DATABASE_PASSWORD=hunter2")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


@api_view(["POST"])
@permission_classes([AllowAny])
def echo(request):
    return Response({"received": len(request.data)})


def form(request):
    return JsonResponse({"fields": len(request.POST)})


urlpatterns = [
    path("api/v1/echo/", echo),
    path("form/", form),
    path("api/v1/boom/", boom),
    path("boom/", boom),
    path("api/v1/database-gone/", database_gone),
    path("database-gone/", database_gone),
    *urlpatterns,
]
