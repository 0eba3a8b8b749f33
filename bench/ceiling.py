"""The ceiling for the benchmarks: the fastest Django can answer, with the same bytes.

A minimal Django project in one module — no database, no middleware, one view that returns a fixed blob
of the requested size (``/<bytes>``) — served by the same gunicorn configuration as the real app. Every
figure in bench/run.py is also given as a ratio to this one, measured in the same run.

    gunicorn --config bench/gunicorn.conf.py --chdir bench ceiling:application
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

BLOB = b"x" * (1 << 20)


def blob(request, size):
    return HttpResponse(BLOB[:size], content_type="application/json")


urlpatterns = [path("<int:size>", blob)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-ceiling-has-nothing-to-protect",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_TZ=True,
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402  (after settings)

application = get_wsgi_application()
